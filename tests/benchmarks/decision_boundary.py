"""Benchmark: what the live decision boundary costs, per grid and in the window.

Run as a script, not collected by pytest:
    QT_QPA_PLATFORM=offscreen python tests/benchmarks/decision_boundary.py [--repeats N]
First the cost of one 100 x 100 grid (`workbench.core.boundary.evaluate_grid`) on the CPU
for the default model and the 5-layer MLP preset, on one torch thread (what a run beside the
window gets on a 2-core machine) and on all. Then the window's event-loop gaps (a 10 ms
QTimer, as tests/benchmarks/gui_responsiveness.py) during a spiral run of 200 epochs, three
ways: the boundary's sub-tab in front, the curves in front (grids computed, not drawn), and
no boundary at all (its callback removed: the window before issue 18). Each case is
repeated and its range printed, since other work on the machine moves the figures; one JSON
line per case follows.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def grid_costs(repeats: int = 40) -> list[dict]:
    import torch

    from workbench.config import Experiment
    from workbench.core.boundary import evaluate_grid, split_extent
    from workbench.core.engine import load_and_split
    from workbench.models import build_model, presets

    rows = []
    before = torch.get_num_threads()
    for name, layers in (
        ("default (Dense 100 + Dropout)", None),
        ("5-layer MLP preset", presets.PRESETS["mlp5"][1].model_dump()["layers"]),
    ):
        data = {"data": {"source": "spiral"}}
        experiment = Experiment.model_validate(
            data if layers is None else {**data, "model": {"layers": layers}}
        )
        dataset, split = load_and_split(experiment)
        model = build_model(experiment.model, 2, dataset.n_classes, None)
        extent = split_extent(split)
        for threads in sorted({1, os.cpu_count() or 1}):
            torch.set_num_threads(threads)
            evaluate_grid(model, split.preprocessing, extent)  # warm up
            times = []
            for _ in range(repeats):
                started = time.perf_counter()
                evaluate_grid(model, split.preprocessing, extent)
                times.append((time.perf_counter() - started) * 1000)
            rows.append(
                {
                    "case": "grid",
                    "model": name,
                    "threads": threads,
                    "min_ms": float(np.min(times)),
                    "median_ms": float(np.median(times)),
                    "p90_ms": float(np.percentile(times, 90)),
                }
            )
    torch.set_num_threads(before)
    return rows


def window_gaps(case: str, epochs: int = 200) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from tests.benchmarks.gui_responsiveness import GapRecorder
    from workbench.app import create_window

    window = create_window()
    app = QApplication.instance()
    combo = window.dataset_panel.findChild(QWidget, "datasetSource")
    combo.setCurrentIndex(combo.findData("spiral"))
    window.form._epochs.setValue(epochs)
    window.form._early.setChecked(False)
    window.form._batch_size.setValue(32)
    window.form._device.setCurrentIndex(window.form._device.findData("cpu"))
    window.show()
    window.fit_to(1280, 720)
    tab = window.training_tab
    follower = window.boundary_follower
    views = window.controller._run_views  # a benchmark may reach in: the window has no off switch
    made = []
    views.remove(follower._callback)
    if case != "off":
        views.append(lambda: made.append(follower._callback()) or made[-1])
    tab.setCurrentWidget(tab.boundary if case == "shown" else tab.plots)
    grids = [0]
    follower._relay.grid.connect(lambda grid: grids.__setitem__(0, grids[0] + 1))
    # The view's own work on the window's thread, timed call by call.
    slot_ms: list[float] = []
    view = tab.boundary
    for name in ("_redraw", "set_points"):
        original = getattr(view, name)

        def timed(*args, original=original):
            began = time.perf_counter()
            original(*args)
            slot_ms.append((time.perf_counter() - began) * 1000)

        setattr(view, name, timed)
    # Connected before the wrapping: connected again, to the timed methods.
    view._redraw_timer.timeout.disconnect()
    view._redraw_timer.timeout.connect(view._redraw)
    follower._relay.points.disconnect()
    follower._relay.points.connect(view.set_points)
    for _ in range(20):  # settle: the first layout and paint are not the run's
        app.processEvents()
        time.sleep(0.01)
    recorder = GapRecorder()
    recorder.start()
    started = time.perf_counter()
    window.train_button.click()
    window.training_run.run_finished.connect(lambda result: QTimer.singleShot(200, app.quit))
    app.exec()
    wall = time.perf_counter() - started
    ms, _ = recorder.stop()
    window.close()
    spent = made[0]._spent if made else 0.0
    return {
        "case": f"window, boundary {case}",
        "wall_s": wall,
        "grids": grids[0],
        "grid_share": spent / wall,
        "view_calls": len(slot_ms),
        "view_max_ms": max(slot_ms, default=0.0),
        "view_total_ms": sum(slot_ms),
        "p50_ms": float(np.percentile(ms, 50)),
        "p99_ms": float(np.percentile(ms, 99)),
        "max_ms": float(ms.max()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per window case")
    parser.add_argument("--epochs", type=int, default=200, help="epochs of each spiral run")
    parser.add_argument(
        "--cases",
        nargs="+",
        default=["shown", "hidden", "off"],
        choices=["shown", "hidden", "off"],
        help="window cases, in this order",
    )
    parser.add_argument("--no-grid", action="store_true", help="skip the per-grid costs")
    args = parser.parse_args()
    os.environ["WORKBENCH_DATA_DIR"] = tempfile.mkdtemp(prefix="workbench-boundary-bench-")
    from workbench.app import create_window

    create_window()  # the QApplication first; torch and the rest are imported with it
    for row in [] if args.no_grid else grid_costs():
        print(
            f"grid 100x100, {row['model']}, {row['threads']} thread(s): min "
            f"{row['min_ms']:.1f} ms, median {row['median_ms']:.1f} ms, p90 {row['p90_ms']:.1f} ms"
        )
        print(json.dumps({"benchmark": "decision_boundary", "cpus": os.cpu_count(), **row}))
    for case in args.cases:
        runs = [window_gaps(case, args.epochs) for _ in range(args.repeats)]

        def span(key: str, scale: float = 1.0, runs: list[dict] = runs) -> str:
            values = [run[key] * scale for run in runs]
            return f"{min(values):.0f}-{max(values):.0f}"

        print(
            f"{runs[0]['case']}: run {span('wall_s', 1)} s, {span('grids')} grids "
            f"({span('grid_share', 100)} % of the run), event-loop gap p50 {span('p50_ms')} ms, "
            f"p99 {span('p99_ms')} ms, worst {span('max_ms')} ms; the view's own work on the "
            f"window's thread: {span('view_total_ms')} ms in all, longest call "
            f"{span('view_max_ms')} ms"
        )
        for run in runs:
            print(json.dumps({"benchmark": "decision_boundary", "cpus": os.cpu_count(), **run}))


if __name__ == "__main__":
    main()
