"""Benchmark: the run store and the Runs tab at scale.

Run as a script, not collected by pytest:
    QT_QPA_PLATFORM=offscreen python tests/benchmarks/run_store.py
Measures the cost of recording one epoch, of listing 1,000 runs into the Runs table, and of
redrawing 50 overlaid runs of 200 epochs. Prints the figures and one JSON line.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time

from PySide6.QtWidgets import QApplication

from workbench.core.events import EpochMetrics
from workbench.runs import RunStore


def main() -> None:
    app = QApplication.instance() or QApplication([])
    from workbench.ui.runs_panel import RunsPanel

    with tempfile.TemporaryDirectory() as folder:
        store = RunStore(folder)
        epoch_ms = []
        for run in range(1000):
            run_id = store.create_run(
                f"run {run}", {"optimizer": {"name": "adam", "lr": 0.001}}, {}
            )
            epochs = 200 if run < 50 else 2
            for epoch in range(1, epochs + 1):
                metrics = EpochMetrics(epoch, epochs, 1 / epoch, 0.5, 1.1 / epoch, 0.5, 0.001, 0.1)
                started = time.perf_counter()
                store.add_epoch(run_id, metrics)
                epoch_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        panel = RunsPanel(store)
        list_s = time.perf_counter() - started
        panel.show()
        app.processEvents()
        fifty = [record.id for record in store.list_runs()][-50:]
        started = time.perf_counter()
        panel.select_runs(fifty)
        app.processEvents()
        overlay_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        panel.repaint()
        repaint_ms = (time.perf_counter() - started) * 1000
    figures = {
        "record_epoch_ms_median": statistics.median(epoch_ms),
        "record_epoch_ms_p99": sorted(epoch_ms)[int(len(epoch_ms) * 0.99)],
        "open_1000_runs_s": list_s,
        "select_50x200_overlay_ms": overlay_ms,
        "redraw_50x200_ms": repaint_ms,
    }
    for key, value in figures.items():
        print(f"{key}: {value:.2f}")
    print(json.dumps({"benchmark": "run_store", "cpus": os.cpu_count(), **figures}))


if __name__ == "__main__":
    main()
