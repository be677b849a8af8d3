"""Benchmark: how long `workbench` takes from process start to its main window on screen.

Run as a script, not collected by pytest:
    python tests/benchmarks/startup.py [--runs 5]
Each run is a fresh `python -c ...` process (QT_QPA_PLATFORM=offscreen, a temporary
WORKBENCH_DATA_DIR) that builds and shows the window the way `open_window` does. The parent
takes its clock just before starting the process; the child reports, against that clock, when
`import workbench.app` was done, when the window was built, when it was shown (a zero-time
timer after `show()`, the first turn of the event loop) and when it was ready (learning-rate
preview, data preview and parameter counts filled in: torch and the warm-up imports have
loaded in their thread; `torch_ready` before that is when a run can start). It also says
whether torch had been imported when the window was shown: on Linux and macOS it is not (it
loads in the background); on Windows it must be, as torch has to be imported before Qt there.
`import torch` alone is timed in fresh processes in the same run, for comparison. Prints the
medians and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

_CHILD = r"""
import json, sys, time
start = float(sys.argv[1])
marks = {}
import workbench.app as app
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
marks["imported"] = time.time() - start
window = app.show_window(None)
marks["built_and_shown"] = time.time() - start
window.warmup.torch_ready.connect(lambda: marks.__setitem__("torch_ready", time.time() - start))

def shown():
    marks["shown"] = time.time() - start
    marks["torch_before_shown"] = "torch" in sys.modules

def ready():
    if window.form.lr_preview() and window.data_preview.counts() and window.warmup.is_ready():
        marks["ready"] = time.time() - start
        print(json.dumps(marks), flush=True)
        window.close()
        QApplication.instance().quit()
    else:
        QTimer.singleShot(5, ready)

QTimer.singleShot(0, shown)
QTimer.singleShot(0, ready)
QApplication.instance().exec()
"""

_TORCH = "import sys, time; start = float(sys.argv[1]); import torch; print(time.time() - start)"


def _child(code: str, env: dict[str, str]) -> str:
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, repr(start)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    windows: list[dict[str, float]] = []
    torch_s: list[float] = []
    with tempfile.TemporaryDirectory(prefix="workbench-startup-") as data_dir:
        env["WORKBENCH_DATA_DIR"] = data_dir
        _child(_TORCH, env)  # one unmeasured run, so the first measured one is not cold
        for _ in range(runs):
            windows.append(json.loads(_child(_CHILD, env)))
            torch_s.append(float(_child(_TORCH, env)))
    figures = {
        key: statistics.median(run[key] for run in windows)
        for key in ("imported", "built_and_shown", "shown", "torch_ready", "ready")
    }
    figures["import_torch"] = statistics.median(torch_s)
    figures["torch_before_shown"] = any(run["torch_before_shown"] for run in windows)
    print(
        f"median of {runs}, from process start: import workbench.app {figures['imported']:.2f} s, "
        f"show_window() returned {figures['built_and_shown']:.2f} s, shown "
        f"{figures['shown']:.2f} s (target <= 1.5 s; torch imported by then: "
        f"{figures['torch_before_shown']}), torch loaded (Train starts) "
        f"{figures['torch_ready']:.2f} s, ready (previews filled) "
        f"{figures['ready']:.2f} s; import torch alone {figures['import_torch']:.2f} s"
    )
    print(
        json.dumps(
            {"benchmark": "startup", "cpus": os.cpu_count(), "runs": runs, **figures},
        )
    )


if __name__ == "__main__":
    main()
