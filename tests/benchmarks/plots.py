"""Benchmark: redrawing the loss plot with 100 overlaid runs and a long live per-batch curve.

Run as a script, not collected by pytest:
    QT_QPA_PLATFORM=offscreen python tests/benchmarks/plots.py
A Runs-tab style plot holds 100 overlaid runs of 1,000 epochs, on screen beside the Training
tab's live plots, whose run has 1,000 epochs and a per-batch curve of 200,000 points; then, 30
times, one new batch loss and one new epoch point arrive and the plots are redrawn at once
(the redraw the coalescing timer would do). Prints the median and worst time of one update +
repaint against the target of 20 ms, and one JSON line. For contrast: the 100 runs overlaid
on the live loss plot itself, and the per-batch curve without clipping and downsampling.
"""

from __future__ import annotations

import json
import os
import statistics
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QApplication

from workbench.core import BatchProgress, EpochMetrics
from workbench.ui.training_plots import TrainingPlots

RUNS, EPOCHS, BATCH_POINTS, UPDATES = 100, 1000, 200_000, 30


def overlay(target: pg.PlotWidget) -> None:
    """100 runs of 1,000 epochs, clipped and downsampled as the Runs tab draws them."""
    rng = np.random.default_rng(0)
    epochs = np.arange(1, EPOCHS + 1, dtype=float)
    for run in range(RUNS):
        curve = 2.0 / np.sqrt(epochs) + 0.05 * rng.standard_normal(EPOCHS) + run * 0.001
        item = target.plot(epochs, curve, pen=pg.intColor(run, RUNS))
        item.setClipToView(True)
        item.setDownsampling(auto=True, method="peak")


def build(fast_paths: bool, same_plot: bool) -> tuple[TrainingPlots, pg.PlotWidget]:
    """The live plots beside a Runs-tab overlay plot, both on screen (or all on one plot)."""
    plots = TrainingPlots()
    plots.resize(900, 700)
    plots.show()
    plots.per_batch_toggle.setChecked(True)
    runs_plot = pg.PlotWidget()
    runs_plot.resize(600, 400)
    runs_plot.show()
    overlay(plots.loss_plot if same_plot else runs_plot)
    batches_per_epoch = BATCH_POINTS // EPOCHS
    losses = 2.0 / np.sqrt(np.arange(1, BATCH_POINTS + 1) / batches_per_epoch) + 0.1
    plots.start_run(EPOCHS + UPDATES)
    plots.add_batches(
        BatchProgress(1, batches_per_epoch, batches_per_epoch, BATCH_POINTS, tuple(losses))
    )
    if not fast_paths:
        plots._batches.item.setClipToView(False)
        plots._batches.item.setDownsampling(auto=False)
    for epoch in range(1, EPOCHS + 1):
        plots.loss_plot.add_point(epoch, float(losses[epoch * batches_per_epoch - 1]), 0.5)
    plots.flush()
    QApplication.processEvents()
    return plots, runs_plot


def time_updates(plots: TrainingPlots) -> list[float]:
    times = []
    step = plots._batches.buffer.size
    batches = 200
    for update in range(UPDATES):
        started = time.perf_counter()
        step += 1
        epoch = EPOCHS + update + 1
        plots.add_batches(BatchProgress(epoch, 1, batches, step, (0.3,)))
        plots.add_epoch(EpochMetrics(epoch, EPOCHS + UPDATES, 0.3, 0.9, 0.35, 0.9, 0.001, 1.0))
        plots.flush()  # draw now rather than when the coalescing timer fires
        QApplication.processEvents()  # the paint the event loop would do next
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    app = QApplication.instance() or QApplication([])
    results = {}
    cases = (
        ("workbench", True, False),
        ("overlay on the live plot", True, True),
        ("no clip/downsampling", False, False),
    )
    for label, fast, same_plot in cases:
        plots, runs_plot = build(fast, same_plot)
        times = time_updates(plots)
        results[label] = (statistics.median(times), max(times))
        plots.close()
        runs_plot.close()
        median, worst = results[label]
        print(f"{label:>26}: update + repaint median {median:.1f} ms, worst {worst:.1f} ms")
    median, worst = results["workbench"]
    print(f"target: median <= 20 ms -> {'met' if median <= 20 else 'NOT met'}")
    print(
        json.dumps(
            {
                "benchmark": "plots",
                "overlaid_runs": RUNS,
                "epochs": EPOCHS,
                "batch_points": BATCH_POINTS,
                "redraw_median_ms": round(median, 2),
                "redraw_worst_ms": round(worst, 2),
                "same_plot_median_ms": round(results["overlay on the live plot"][0], 2),
                "naive_median_ms": round(results["no clip/downsampling"][0], 2),
                "cpus": os.cpu_count(),
                "qt_platform": app.platformName(),
            }
        )
    )


if __name__ == "__main__":
    main()
