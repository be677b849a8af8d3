"""Build Training Workbench for this operating system: the frozen app, then its installers.

    python packaging/build.py                  # the CPU build and its installers
    python packaging/build.py --self-test      # ... and run the frozen app's self-test
    python packaging/build.py --variant cuda   # with the CUDA libraries of the installed torch

Needs the app and PyInstaller installed in the running Python (`pip install ".[package]"`,
after a CPU torch: see packaging/README.md). Steps:

1. Checks: the installed torch matches the variant (a CUDA torch would add gigabytes to the
   CPU build), PyInstaller is there, and which Qt bindings are installed.
2. PyInstaller on packaging/workbench.spec: dist/workbench/ (one folder), and on macOS
   dist/Workbench.app. Its work files go to build/pyinstaller/.
3. With --self-test: `workbench --self-test` from the bundle, offscreen; a failure stops here.
4. The installers, into dist/installers/ (with SHA256SUMS):
   - Linux: workbench-VERSION-linux-ARCH.tar.xz (the folder), and
     Workbench-VERSION-ARCH.AppImage when appimagetool is found ($APPIMAGETOOL, or on PATH);
     without it, the AppDir is left in build/appimage/ and the command to finish is printed.
   - Windows: Workbench-VERSION-windows-x64-setup.exe, by Inno Setup 6 ($ISCC, on PATH, or
     its default folders) from packaging/windows/workbench.iss.
   - macOS: Workbench-VERSION-macos-ARCH.dmg (hdiutil), with /Applications to drag onto.

macOS signing and notarization, off unless these are set:
    WORKBENCH_CODESIGN_IDENTITY   "Developer ID Application: NAME (TEAMID)" from the keychain:
                                  PyInstaller signs every binary and the app with the
                                  hardened runtime (packaging/macos/entitlements.plist); the
                                  DMG is signed too.
    WORKBENCH_NOTARY_PROFILE      a `xcrun notarytool store-credentials` profile, or
    WORKBENCH_NOTARY_APPLE_ID, WORKBENCH_NOTARY_TEAM_ID, WORKBENCH_NOTARY_PASSWORD (an
                                  app-specific password): the DMG is notarized and stapled.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DIST = ROOT / "dist"
BUILD = ROOT / "build"
INSTALLERS = DIST / "installers"
BUNDLE = DIST / "workbench"
MAC_APP = DIST / "Workbench.app"
ICONS = ROOT / "resources" / "icons"
APP_NAME = "Training Workbench"
# The targets for the Linux CPU build.
BUNDLE_LIMIT_MB = 800
INSTALLER_LIMIT_MB = 300


def version() -> str:
    text = (ROOT / "workbench" / "__init__.py").read_text("utf-8")
    found = re.search(r'__version__ = "([^"]+)"', text)
    if found is None:
        raise SystemExit("error: no __version__ in workbench/__init__.py")
    return found.group(1)


def arch() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(machine, machine)


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def run(command: list[str], **kwargs) -> None:
    print("$ " + " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, **kwargs)


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            file = Path(folder) / name
            if not file.is_symlink():
                total += file.stat().st_size
    return total / 1e6


# -- 1. checks -------------------------------------------------------------------------------
def torch_cuda_version() -> str | None:
    """torch.version.cuda of the installed torch, read from its file (no torch import)."""
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            "error: torch is not installed; install the CPU build first:\n"
            "  pip install torch --index-url https://download.pytorch.org/whl/cpu"
        )
    file = Path(list(spec.submodule_search_locations)[0]) / "version.py"
    found = re.search(r"^cuda\b[^=]*=\s*(None|['\"]([^'\"]*)['\"])", file.read_text(), re.M)
    return found.group(2) if found and found.group(2) else None


def check_environment(variant: str) -> None:
    step("checking the environment")
    if importlib.util.find_spec("PyInstaller") is None:
        raise SystemExit("error: PyInstaller is not installed: pip install '.[package]'")
    cuda = torch_cuda_version()
    print(f"torch: {'CUDA ' + cuda if cuda else 'CPU'} build; variant: {variant}")
    if variant == "cpu" and cuda:
        raise SystemExit(
            f"error: the installed torch is a CUDA {cuda} build, which would add gigabytes to "
            "the CPU build. Install the CPU wheel:\n"
            "  pip install --force-reinstall torch --index-url https://download.pytorch.org/whl/cpu\n"
            "or build the CUDA variant: python packaging/build.py --variant cuda"
        )
    if variant == "cuda" and not cuda and sys.platform != "darwin":
        raise SystemExit(
            "error: --variant cuda needs a CUDA build of torch, e.g.\n"
            "  pip install torch --index-url https://download.pytorch.org/whl/cu128"
        )
    others = [name for name in ("PyQt5", "PyQt6", "PySide2") if importlib.util.find_spec(name)]
    if others:
        print(f"note: {', '.join(others)} installed; the spec leaves them out (PySide6 only)")
    if importlib.util.find_spec("PySide6") is None:
        raise SystemExit("error: PySide6 is not installed: pip install .")
    missing = [
        name
        for name in ("workbench.ico", "workbench.icns", "png/workbench-256.png")
        if not (ICONS / name).is_file()
    ]
    if missing:
        raise SystemExit(f"error: icons missing ({missing}): python packaging/make_icons.py")


# -- 2. PyInstaller ----------------------------------------------------------------------------
def pyinstaller(variant: str, clean: bool) -> None:
    step(f"PyInstaller: the {variant} build")
    env = {**os.environ, "WORKBENCH_VARIANT": variant}
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm"]
    command += ["--distpath", DIST, "--workpath", BUILD / "pyinstaller"]
    if clean:
        command.append("--clean")
    started = time.perf_counter()
    run([*command, PACKAGING / "workbench.spec"], env=env, cwd=ROOT)
    print(f"PyInstaller took {time.perf_counter() - started:.0f} s")


def frozen_program() -> Path:
    """The bundle's program that prints to a terminal."""
    if sys.platform == "win32":
        return BUNDLE / "workbench-cli.exe"
    if sys.platform == "darwin":
        return MAC_APP / "Contents" / "MacOS" / "workbench"
    return BUNDLE / "workbench"


def bundle_root() -> Path:
    return MAC_APP if sys.platform == "darwin" else BUNDLE


# -- 3. the self-test ------------------------------------------------------------------------
def self_test(program: Path) -> None:
    step(f"self-test of the frozen app: {program} --self-test")
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    # From an empty folder: nothing of the source tree next to it can stand in for the bundle.
    with tempfile.TemporaryDirectory(prefix="workbench-frozen-") as folder:
        completed = subprocess.run([str(program), "--self-test"], cwd=folder, env=env)
    if completed.returncode != 0:
        raise SystemExit(f"error: the frozen self-test failed (exit code {completed.returncode})")


# -- 4. installers -------------------------------------------------------------------------------
def linux_tarball(name: str) -> Path:
    """The folder as NAME.tar.xz, unpacking to NAME/ (the program is NAME/workbench)."""
    target = INSTALLERS / f"{name}.tar.xz"
    step(f"tarball: {target.name}")
    tar, xz = shutil.which("tar"), shutil.which("xz")
    if tar and xz and sys.platform.startswith("linux"):
        # GNU tar piped to a multi-threaded xz: Python's lzma uses one core.
        archive = subprocess.Popen(
            [tar, "-C", DIST, "--owner=0", "--group=0", "--numeric-owner", "--sort=name"]
            + [f"--transform=s,^workbench,{name},", "-cf", "-", "workbench"],
            stdout=subprocess.PIPE,
        )
        with target.open("wb") as out:
            compressed = subprocess.run([xz, "-6", "-T0", "-c"], stdin=archive.stdout, stdout=out)
        archive.stdout.close()
        if archive.wait() != 0 or compressed.returncode != 0:
            raise SystemExit("error: tar | xz failed")
    else:
        with tarfile.open(target, "w:xz", preset=6) as archive:
            archive.add(BUNDLE, arcname=name)
    return target


def linux_appdir() -> Path:
    """The AppImage's folder: the bundle in usr/lib/workbench, AppRun, .desktop file, icons."""
    appdir = BUILD / "appimage" / "Workbench.AppDir"
    step(f"AppDir: {appdir.relative_to(ROOT)}")
    shutil.rmtree(appdir, ignore_errors=True)
    lib = appdir / "usr" / "lib" / "workbench"
    lib.parent.mkdir(parents=True)
    try:  # hard links: the same disk, no second copy of a 700 MB folder
        shutil.copytree(BUNDLE, lib, symlinks=True, copy_function=os.link)
    except OSError:
        shutil.rmtree(lib, ignore_errors=True)
        shutil.copytree(BUNDLE, lib, symlinks=True)
    shutil.copy2(PACKAGING / "linux" / "AppRun", appdir / "AppRun")
    (appdir / "AppRun").chmod(0o755)
    desktop = PACKAGING / "linux" / "workbench.desktop"
    shutil.copy2(desktop, appdir / "workbench.desktop")
    applications = appdir / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    shutil.copy2(desktop, applications / "workbench.desktop")
    shutil.copy2(ICONS / "png" / "workbench-256.png", appdir / "workbench.png")
    (appdir / ".DirIcon").symlink_to("workbench.png")
    hicolor = appdir / "usr" / "share" / "icons" / "hicolor"
    for png in sorted((ICONS / "png").glob("workbench-*.png")):
        size = png.stem.split("-")[1]
        folder = hicolor / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copy2(png, folder / "workbench.png")
    (hicolor / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(ICONS / "workbench.svg", hicolor / "scalable" / "apps" / "workbench.svg")
    return appdir


def linux_appimage(appdir: Path, name: str) -> Path | None:
    target = INSTALLERS / f"{name}.AppImage"
    tool = os.environ.get("APPIMAGETOOL") or shutil.which("appimagetool")
    command = f"ARCH={arch()} appimagetool {appdir} {target}"
    if not tool:
        print(
            "appimagetool not found: no AppImage built. The AppDir is ready; with appimagetool "
            "(https://github.com/AppImage/appimagetool/releases) on PATH or in $APPIMAGETOOL, "
            f"finish with:\n  {command}"
        )
        return None
    step(f"AppImage: {target.name}")
    # An appimagetool that is itself an AppImage needs FUSE, or this, to run (CI, containers).
    env = {**os.environ, "ARCH": arch(), "APPIMAGE_EXTRACT_AND_RUN": "1"}
    run([tool, appdir, target], env=env)
    return target


def find_iscc() -> str | None:
    candidates = [os.environ.get("ISCC"), shutil.which("iscc"), shutil.which("ISCC")]
    for base in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        if os.environ.get(base):
            programs = "Programs" if base == "LOCALAPPDATA" else ""
            candidates.append(str(Path(os.environ[base], programs, "Inno Setup 6", "ISCC.exe")))
    return next((c for c in candidates if c and Path(c).is_file()), None)


def windows_installer(name: str) -> Path:
    target = INSTALLERS / f"{name}.exe"
    step(f"Inno Setup: {target.name}")
    iscc = find_iscc()
    if iscc is None:
        raise SystemExit(
            "error: Inno Setup 6 not found (ISCC.exe): install it (winget install "
            "JRSoftware.InnoSetup, or choco install innosetup) or set ISCC to its path"
        )
    run(
        [
            iscc,
            f"/DAppVersion={version()}",
            f"/DDistDir={BUNDLE}",
            f"/DOutputDir={INSTALLERS}",
            f"/DOutputName={name}",
            f"/DIconFile={ICONS / 'workbench.ico'}",
            PACKAGING / "windows" / "workbench.iss",
        ]
    )
    return target


def macos_dmg(name: str) -> Path:
    target = INSTALLERS / f"{name}.dmg"
    identity = os.environ.get("WORKBENCH_CODESIGN_IDENTITY")
    if identity:
        step("codesign: checking the app's signature")
        run(["codesign", "--verify", "--deep", "--strict", "--verbose=2", MAC_APP])
    step(f"DMG: {target.name}")
    stage = BUILD / "dmg"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    run(["ditto", MAC_APP, stage / MAC_APP.name])  # keeps signatures and symlinks intact
    (stage / "Applications").symlink_to("/Applications")
    target.unlink(missing_ok=True)
    command = ["hdiutil", "create", "-volname", APP_NAME, "-srcfolder", stage, "-ov"]
    command += ["-fs", "HFS+", "-format", "ULFO", target]
    for attempt in range(3):  # hdiutil fails now and then with "Resource busy"
        try:
            run(command)
            break
        except subprocess.CalledProcessError:
            if attempt == 2:
                raise
            time.sleep(10)
    if identity:
        run(["codesign", "--force", "--timestamp", "--sign", identity, target])
    notarize(target, signed=bool(identity))
    return target


def notarize(dmg: Path, signed: bool) -> None:
    profile = os.environ.get("WORKBENCH_NOTARY_PROFILE")
    apple_id = os.environ.get("WORKBENCH_NOTARY_APPLE_ID")
    if not profile and not apple_id:
        print("not notarized (set WORKBENCH_NOTARY_PROFILE or WORKBENCH_NOTARY_APPLE_ID)")
        return
    if not signed:
        raise SystemExit("error: notarizing needs a signed app: set WORKBENCH_CODESIGN_IDENTITY")
    step("notarizing (xcrun notarytool, waits for Apple's answer)")
    if profile:
        credentials = ["--keychain-profile", profile]
    else:
        credentials = ["--apple-id", apple_id, "--team-id", os.environ["WORKBENCH_NOTARY_TEAM_ID"]]
        credentials += ["--password", os.environ["WORKBENCH_NOTARY_PASSWORD"]]
    run(["xcrun", "notarytool", "submit", dmg, *credentials, "--wait"])
    run(["xcrun", "stapler", "staple", dmg])


def installers(variant: str) -> list[Path]:
    INSTALLERS.mkdir(parents=True, exist_ok=True)
    tag = f"{version()}-cuda" if variant == "cuda" else version()
    made: list[Path] = []
    if sys.platform == "win32":
        made.append(windows_installer(f"Workbench-{tag}-windows-x64-setup"))
    elif sys.platform == "darwin":
        made.append(macos_dmg(f"Workbench-{tag}-macos-{arch()}"))
    else:
        made.append(linux_tarball(f"workbench-{tag}-linux-{arch()}"))
        appimage = linux_appimage(linux_appdir(), f"Workbench-{tag}-{arch()}")
        if appimage is not None:
            made.append(appimage)
    sums = []
    for path in made:
        with path.open("rb") as file:
            digest = hashlib.file_digest(file, "sha256").hexdigest()
        sums.append(f"{digest}  {path.name}\n")
    (INSTALLERS / "SHA256SUMS").write_text("".join(sums))
    return made


def main(argv: list[str] | None = None) -> int:
    """Build; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variant", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--self-test", action="store_true", help="run the frozen self-test")
    parser.add_argument("--bundle-only", action="store_true", help="no installers")
    parser.add_argument("--no-build", action="store_true", help="reuse the bundle in dist/")
    parser.add_argument("--clean", action="store_true", help="PyInstaller --clean")
    args = parser.parse_args(argv)

    if not args.no_build:
        check_environment(args.variant)
        pyinstaller(args.variant, args.clean)
    elif not frozen_program().exists():
        raise SystemExit(f"error: --no-build, but there is no {frozen_program()}")
    bundle_size = size_mb(bundle_root())
    print(f"\nbundle: {bundle_root().relative_to(ROOT)}, {bundle_size:.0f} MB unpacked")
    if args.self_test:
        self_test(frozen_program())
    made = [] if args.bundle_only else installers(args.variant)

    step("done")
    print(f"{bundle_root().relative_to(ROOT)}: {bundle_size:.0f} MB unpacked")
    for path in made:
        print(f"{path.relative_to(ROOT)}: {size_mb(path):.0f} MB")
    if args.variant == "cpu" and sys.platform.startswith("linux"):
        if bundle_size > BUNDLE_LIMIT_MB:
            print(f"warning: the bundle is over the {BUNDLE_LIMIT_MB} MB target")
        for path in made:
            if size_mb(path) > INSTALLER_LIMIT_MB:
                print(f"warning: {path.name} is over the {INSTALLER_LIMIT_MB} MB target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
