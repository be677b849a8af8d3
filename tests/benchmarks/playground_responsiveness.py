"""Benchmark: the window's event-loop stalls during the LR range test and the batch-size comparison.

Run as a script, not collected by pytest:
    QT_QPA_PLATFORM=offscreen python tests/benchmarks/playground_responsiveness.py
A 10 ms QTimer records the gaps between its ticks (`gui_responsiveness.GapRecorder`) while
the form's Find… sweeps the learning rate, once the window's start-up imports are done (the
dialog's default 100 steps, 1e-7 to 10, on the digits MLP), then while Run > Compare
mini-batch sizes trains the digits at 1, 32, 256 and the full training part (5 epochs each).
The window is 1280x720, the Training tab shown. Prints the gap percentiles of each phase and
one JSON line; the targets are the window's (p99 <= 50 ms, worst <= 200 ms).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog

sys.path.insert(0, str(Path(__file__).parent))
from gui_responsiveness import GapRecorder  # noqa: E402 - a sibling script, not a package
from paths_responsiveness import _summary, _wait  # noqa: E402

from workbench.app import show_window  # noqa: E402
from workbench.ui.batch_size_compare import BatchSizeComparison, BatchSizeDialog  # noqa: E402


def main() -> int:
    # Runs go to a throwaway store, not the person's run history.
    os.environ["WORKBENCH_DATA_DIR"] = tempfile.mkdtemp(prefix="workbench-playgrounds-")
    app = QApplication.instance() or QApplication(sys.argv)
    # As `workbench` opens it, its start-up imports done (a person opens the dialog after):
    # the first torch optimizer of a process imports torch._dynamo, a GIL-long import that
    # the window's warm-up makes in its place.
    window = show_window()
    window.fit_to(1280, 720)
    window.form._device.setCurrentIndex(window.form._device.findData("cpu"))
    _wait(app, window.warmup.is_ready)
    results = {}
    recorder = GapRecorder()

    recorder.start()
    started = time.perf_counter()
    dialog = window.lr_finder.open()
    assert dialog is not None
    ended = []
    dialog.sweep_ended.connect(lambda: ended.append(True))
    _wait(app, lambda: bool(ended))
    results["lr_find_sweep"] = {
        **_summary(recorder.stop()[0]),
        "s": round(time.perf_counter() - started, 2),
    }
    dialog.reject()
    app.processEvents()

    window.form._epochs.setValue(5)
    window.form._early.setChecked(False)

    def answer(chooser: BatchSizeDialog) -> QDialog.DialogCode:
        chooser.edit.setText("1, 32, 256, full")
        return QDialog.DialogCode.Accepted

    BatchSizeDialog.exec = answer  # type: ignore[method-assign] - no person to press OK
    comparison = window.findChild(BatchSizeComparison)
    recorder.start()
    started = time.perf_counter()
    comparison.action.trigger()
    _wait(app, lambda: window.training_run is not None, timeout_s=60)
    _wait(
        app,
        lambda: window.training_run is None and len(comparison.table.rows()) == 4,
        timeout_s=600,
    )
    results["batch_size_compare_1_32_256_full"] = {
        **_summary(recorder.stop()[0]),
        "s": round(time.perf_counter() - started, 2),
    }

    for phase, figures in results.items():
        print(f"{phase:<34} " + "  ".join(f"{k} {v}" for k, v in figures.items()))
    print(json.dumps({"benchmark": "playground_responsiveness", "cpus": os.cpu_count(), **results}))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
