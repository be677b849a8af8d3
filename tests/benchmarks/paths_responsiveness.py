"""Benchmark: the window's event-loop stalls while the Optimizer paths tab computes and plays.

Run as a script, not collected by pytest:
    QT_QPA_PLATFORM=offscreen python tests/benchmarks/paths_responsiveness.py
A 10 ms QTimer records the gaps between its ticks (`gui_responsiveness.GapRecorder`) while
the tab, shown the moment the window is, computes the book's four paths (the first torch
optimizer of the process imports torch._dynamo, in the job's thread), then all seven
optimizers on Rosenbrock for 500 steps, then plays those 500 steps at 100 steps a second.
Prints the gap percentiles of each phase and one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).parent))
from gui_responsiveness import GapRecorder  # noqa: E402 - a sibling script, not a package

from workbench.app import create_window  # noqa: E402
from workbench.config import OPTIMIZERS  # noqa: E402


def _wait(app: QApplication, done, timeout_s: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the paths did not come")
        app.processEvents()
        time.sleep(0.002)


def _summary(gaps: np.ndarray) -> dict:
    return {
        "ticks": int(len(gaps)),
        "p50_ms": round(float(np.percentile(gaps, 50)), 1),
        "p99_ms": round(float(np.percentile(gaps, 99)), 1),
        "max_ms": round(float(gaps.max()), 1),
    }


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    window = create_window()
    window.fit_to(1280, 720)
    window.show()
    panel = window.paths_panel
    results = {}
    recorder = GapRecorder()

    recorder.start()
    window.show_tab(panel)
    _wait(app, lambda: panel.result() is not None and not panel.is_computing())
    results["book_first"] = _summary(recorder.stop()[0])

    recorder.start()
    panel.table.set_checked(list(OPTIMIZERS))
    panel.function_combo.setCurrentIndex(panel.function_combo.findData("rosenbrock"))
    started = time.perf_counter()
    _wait(app, lambda: panel.result().function.key == "rosenbrock" and not panel.is_computing())
    computed_s = time.perf_counter() - started
    results["rosenbrock_7x500_compute"] = {
        **_summary(recorder.stop()[0]),
        "s": round(computed_s, 2),
    }

    recorder.start()
    panel.player.speed_combo.setCurrentIndex(panel.player.speed_combo.findData(100))
    panel.player.play_button.click()
    _wait(app, lambda: not panel.player.is_playing())
    results["rosenbrock_play_500"] = _summary(recorder.stop()[0])

    for phase, figures in results.items():
        print(f"{phase:<26} " + "  ".join(f"{k} {v}" for k, v in figures.items()))
    print(json.dumps(results))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
