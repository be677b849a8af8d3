"""The desktop application: `create_window` for scripts and tests, `open_window` for people."""

from __future__ import annotations

import os
import sys
from pathlib import Path

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


def _application() -> QApplication:
    app = QApplication.instance()
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
    return app


def _no_display() -> bool:
    # Without this, Qt aborts the process with a core dump and a long plugin message.
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


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


def open_window(experiment: Path | None) -> int:
    """Show the main window on `experiment` (or the default) and run the event loop."""
    if _no_display():
        print(
            "error: no display to open the window on (DISPLAY is not set); "
            "use 'workbench run EXPERIMENT.toml' to train without a window",
            file=sys.stderr,
        )
        return 2
    app = _application()
    try:
        window = show_window(experiment)
    except ExperimentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    code = app.exec()
    del window  # referenced until here: a collected window would close
    return code
