"""The frozen app's entry point: PyInstaller runs this file as `__main__` (see workbench.spec).

In order:

1. A windowed build (Windows' workbench.exe, a macOS app opened from the Finder) has no
   console: `sys.stdout` and `sys.stderr` are None, and the first `print` or traceback to
   them would fail. They go to a log file instead (the per-user log folder, `workbench.log`),
   with faulthandler's report of a hard crash. This runs before `freeze_support()` so that
   the Search tab's worker processes, which run this file again, log there too; it starts
   nothing and imports nothing heavy.
2. `multiprocessing.freeze_support()`, before anything might start a process: in a worker
   process (the Search tab starts them with the spawn context, see workbench/search/
   runner.py) it runs the worker and exits here; in the app it returns at once.
3. On Windows, torch before Qt: torch >= 2.9 can fail to load c10.dll when PySide6's DLLs
   came first. workbench/app.py does the same for the window; importing it here covers the
   Qt-printed PDF of `workbench report` too.
4. The same `main()` as the `workbench` command of a pip install.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time

LOG_NAME = "workbench.log"
LOG_LIMIT_BYTES = 2_000_000  # started afresh when over this, the previous one kept as .1


def _log_folder() -> str:
    try:
        from platformdirs import user_log_dir

        return user_log_dir("workbench", appauthor=False)
    except Exception:  # the log must never stop the app from starting
        return os.path.join(os.path.expanduser("~"), ".workbench")


def _open_log():
    """The log file, appended to (worker processes share it); os.devnull if it cannot be."""
    worker = "--multiprocessing-fork" in sys.argv
    try:
        folder = _log_folder()
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, LOG_NAME)
        if not worker and os.path.exists(path) and os.path.getsize(path) > LOG_LIMIT_BYTES:
            os.replace(path, path + ".1")
        stream = open(path, "a", encoding="utf-8", errors="replace", buffering=1)
    except OSError:
        return open(os.devnull, "w", encoding="utf-8")
    role = "worker process" if worker else "started"
    stream.write(f"--- workbench {role}, pid {os.getpid()}, {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
    return stream


def redirect_missing_streams() -> None:
    """Give a windowed build's None stdout/stderr a file; leave real ones alone."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    stream = _open_log()
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream
        try:
            import faulthandler

            faulthandler.enable(stream)
        except (OSError, ValueError, RuntimeError):  # os.devnull in some sandboxes
            pass


def main() -> int:
    """Start the app (or, in a worker process, the worker); returns the exit code."""
    redirect_missing_streams()
    multiprocessing.freeze_support()
    if sys.platform == "win32":
        import torch  # noqa: F401 - before Qt, see the module docstring

    from workbench.__main__ import main as workbench_main

    return workbench_main()


if __name__ == "__main__":
    sys.exit(main())
