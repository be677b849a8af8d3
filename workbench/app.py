"""The desktop application: `create_window` for scripts and tests, `open_window` for people."""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

if sys.platform == "win32":
    # torch before Qt: on Windows, torch >= 2.9 can fail to load its DLLs when PySide6 came
    # first. Elsewhere the window shows first and torch loads in a thread (ui/warmup.py).
    import torch  # noqa: F401

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from workbench import __version__
from workbench.config import Experiment, ExperimentError, load_experiment
from workbench.data.sources import load_source
from workbench.errors import print_error
from workbench.ui.language import install as install_language
from workbench.ui.main_window import MainWindow


def _icon_files() -> list[Path]:
    """The app icon's PNGs: in the frozen app's bundle, or in a source checkout's resources/."""
    roots = [
        Path(getattr(sys, "_MEIPASS", "")) / "resources",
        Path(__file__).parents[1] / "resources",
    ]
    for root in roots:
        found = sorted((root / "icons" / "png").glob("workbench-*.png"))
        if found:
            return found
    return []  # installed from a wheel, which carries no resources/: Qt's default icon


def _application(language: str | None = None) -> QApplication:
    """The application; one made here is translated first (`language`, or the setting's).

    An application that exists already (a test's) keeps its translators: the tests' window
    is English whatever the person running them chose.
    """
    app = QApplication.instance()
    created = app is None
    if app is None:
        app = QApplication(sys.argv[:1])
    if app.windowIcon().isNull():
        icon = QIcon()
        for png in _icon_files():  # every size: the task bar and the title bar pick theirs
            icon.addFile(str(png))
        if not icon.isNull():
            app.setWindowIcon(icon)
    app.setApplicationName("Training Workbench")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("workbench")
    if created:  # before any widget: the settings' names are set, nothing is built yet
        install_language(app, language)
    return app


def _no_display() -> bool:
    # Without this, Qt aborts the process with a core dump and a long plugin message.
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class SystemLibrary(NamedTuple):
    """A shared library Qt's X11 (xcb) plugin loads, and the package that installs it."""

    soname: str
    debian: str  # Debian and Ubuntu
    fedora: str
    arch: str


# Libraries of PySide6's xcb platform plugin that a bare or minimal Linux may lack (`ldd` on
# PySide6/Qt/lib/libQt6XcbQpa.so.6). Without any of them Qt prints a plugin message and
# aborts the process with a core dump; since Qt 6.5 xcb-cursor is the usual one missing.
XCB_LIBRARIES = (
    SystemLibrary("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    SystemLibrary("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    SystemLibrary("libxcb-image.so.0", "libxcb-image0", "xcb-util-image", "xcb-util-image"),
    SystemLibrary("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms"),
    SystemLibrary(
        "libxcb-render-util.so.0",
        "libxcb-render-util0",
        "xcb-util-renderutil",
        "xcb-util-renderutil",
    ),
    SystemLibrary("libxcb-shape.so.0", "libxcb-shape0", "libxcb", "libxcb"),
    SystemLibrary("libxcb-xkb.so.1", "libxcb-xkb1", "libxcb", "libxcb"),
    SystemLibrary("libX11-xcb.so.1", "libx11-xcb1", "libX11-xcb", "libx11"),
    SystemLibrary("libxkbcommon.so.0", "libxkbcommon0", "libxkbcommon", "libxkbcommon"),
    SystemLibrary(
        "libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11"
    ),
    SystemLibrary("libEGL.so.1", "libegl1", "libglvnd-egl", "libglvnd"),
    SystemLibrary("libGL.so.1", "libgl1", "libglvnd-glx", "libglvnd"),
    SystemLibrary("libfontconfig.so.1", "libfontconfig1", "fontconfig", "fontconfig"),
    SystemLibrary("libdbus-1.so.3", "libdbus-1-3", "dbus-libs", "dbus"),
)


def _uses_xcb() -> bool:
    """Whether Qt will open its window through X11 (xcb) on this Linux session."""
    if not sys.platform.startswith("linux"):
        return False
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.startswith("xcb")
    # Unset: Qt takes Wayland on a Wayland session (whose plugin needs none of these).
    return bool(os.environ.get("DISPLAY")) and not os.environ.get("WAYLAND_DISPLAY")


def _bundled_library_dirs() -> list[Path]:
    """Folders that may carry Qt's libraries with the app: PySide6's own, a frozen bundle."""
    folders = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        folders.append(Path(bundle))
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.origin:
        folders.append(Path(spec.origin).parent / "Qt" / "lib")
    return [folder for folder in folders if folder.is_dir()]


def missing_libraries(
    load: Callable[[str], object] = ctypes.CDLL,
    libraries: Iterable[SystemLibrary] = XCB_LIBRARIES,
    bundled: Iterable[Path] | None = None,
) -> list[SystemLibrary]:
    """The libraries that neither the system's loader nor the app's bundle can load.

    Args:
        load: Loads a library by name or path and raises OSError when it cannot
            (`ctypes.CDLL`, which searches as the dynamic loader does; tests pass a fake).
        libraries: What to look for.
        bundled: Folders to try after the system's search; default `_bundled_library_dirs`.
    """
    folders = list(_bundled_library_dirs() if bundled is None else bundled)
    missing = []
    for library in libraries:
        for candidate in [library.soname, *(str(f / library.soname) for f in folders)]:
            try:
                load(candidate)
                break
            except OSError:
                continue
        else:
            missing.append(library)
    return missing


def missing_libraries_message(missing: Iterable[SystemLibrary]) -> str:
    """One line: which libraries are missing and the command that installs them, per system."""
    missing = list(missing)

    def packages(system: str) -> str:
        return " ".join(dict.fromkeys(getattr(library, system) for library in missing))

    names = ", ".join(library.soname for library in missing)
    return (
        f"error: the window needs system libraries that are missing ({names}); install "
        f"them: Debian/Ubuntu 'sudo apt install {packages('debian')}', Fedora 'sudo dnf "
        f"install {packages('fedora')}', Arch 'sudo pacman -S {packages('arch')}' "
        "(or train without a window: 'workbench run EXPERIMENT.toml')"
    )


def create_window(experiment: str | Path | None = None, deferred_start: bool = False) -> MainWindow:
    """The main window, built but not shown, with no event loop entered.

    `experiment` is a path to an experiment file, or None for the default experiment (the
    built-in digits and a small MLP). A bad file raises `ExperimentError`. With
    `deferred_start`, the learning-rate preview stays empty until `window.warmup.start()` has
    done its work (see `show_window`); without, everything is ready on return.
    """
    _application()
    loaded = load_experiment(experiment) if experiment is not None else Experiment()
    if experiment is not None:
        # A file whose data cannot be read is refused here, with its one-line reason, rather
        # than opening a window on data it does not have.
        load_source(loaded.data)
    return MainWindow(loaded, deferred_start)


def show_window(experiment: str | Path | None = None) -> MainWindow:
    """The main window as `open_window` shows it: on screen first, the rest of its start after.

    The imports the window needs soon but not to be shown (see `workbench.ui.warmup`) start
    in a thread at the event loop's first turn; the window's `warmup.ready` says when they are
    done. A bad experiment file raises `ExperimentError`.
    """
    window = create_window(experiment, deferred_start=True)
    window.show()
    QTimer.singleShot(0, window.warmup.start)
    return window


def open_window(experiment: Path | None, language: str | None = None) -> int:
    """Show the main window on `experiment` (or the default) and run the event loop.

    `language` ("system", "en", "ja") overrides the stored setting for this start.
    """
    if _no_display():
        print(
            "error: no display to open the window on (DISPLAY is not set); "
            "use 'workbench run EXPERIMENT.toml' to train without a window",
            file=sys.stderr,
        )
        return 2
    # Qt would abort with a core dump and a plugin message that names no package.
    missing = missing_libraries() if _uses_xcb() else []
    if missing:
        print(missing_libraries_message(missing), file=sys.stderr)
        return 2
    app = _application(language)
    try:
        window = show_window(experiment)
    except ExperimentError as error:
        print_error(f"{error}")
        return 2
    code = app.exec()
    del window  # referenced until here: a collected window would close
    return code
