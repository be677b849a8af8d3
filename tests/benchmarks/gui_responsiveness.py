"""Benchmark: how long the window's event loop stalls while a run trains.

Run as a script, not collected by pytest:
    QT_QPA_PLATFORM=offscreen python tests/benchmarks/gui_responsiveness.py
A 10 ms QTimer records the gaps between its ticks during a GUI run on the digits (60 epochs,
batch 32), with Train pressed the moment the window shows (as `workbench` opens it; the run
starts once torch has loaded in its thread), once with the per-batch curve off and once on.
Prints the gap percentiles (overall, and after the start-up imports) and one JSON line per
case. Last, the same gaps while the Search tab runs a 12-trial search, and while an
MNIST-sized IDX folder (60,000 + 10,000 images, gzipped) is opened; that case alone:
    QT_QPA_PLATFORM=offscreen python tests/benchmarks/gui_responsiveness.py open-idx
`--process` measures each run case twice, interleaved: trained in the window's thread, and
with Run > Train in a separate process switched on as the window shows (the process starts
and does its imports while the window waits for torch, as it would for a person).
"""

from __future__ import annotations

import gzip
import json
import os
import struct
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from workbench.app import show_window


class GapRecorder:
    """A 10 ms QTimer noting when each tick came: the gaps are the event loop's stalls."""

    def __init__(self) -> None:
        self.ends: list[float] = []  # when each gap ended, to tell start-up stalls apart
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(lambda: self.ends.append(time.perf_counter()))

    def start(self) -> None:
        self.ends = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> tuple[np.ndarray, np.ndarray]:
        """(gaps in ms, when each ended in perf_counter seconds), the first tick left out."""
        self.timer.stop()
        ends = np.array(self.ends)
        return np.diff(ends)[1:] * 1000, ends[2:]


def measure(per_batch: bool, process: bool = False) -> dict:
    # As `workbench` opens it: shown first, the rest of its start in a thread; Train is then
    # pressed at once, while that start-up work may still run.
    window = show_window()
    if process:
        # The controller's switch, not the menu's: the menu would keep the choice in the
        # person's settings.
        window.controller.set_training_process(True)
    window.form._epochs.setValue(60)
    window.form._early.setChecked(False)
    window.form._batch_size.setValue(32)
    window.plots.per_batch_toggle.setChecked(per_batch)
    app = QApplication.instance()
    recorder = GapRecorder()
    recorder.start()
    started = time.perf_counter()
    # Gaps after the warm-up imports have finished are the steady state (0: already loaded).
    ready_at = [0.0 if window.warmup.is_ready() else float("inf")]
    window.warmup.ready.connect(lambda: ready_at.__setitem__(0, time.perf_counter() - started))
    window.train_button.click()

    run_started = [0.0]

    def follow_run() -> None:
        run_started[0] = time.perf_counter() - started
        # The gaps end with the run: quitting closes the window (Qt 6), and closing waits for
        # a training process to exit, which is not a stall of the window in use.
        window.training_run.run_finished.connect(recorder.timer.stop)
        window.training_run.run_finished.connect(app.quit)

    if window.training_run is None:  # Train waits for torch to load, then starts the run
        window.warmup.torch_ready.connect(follow_run)
    else:
        follow_run()
    app.exec()
    wall = time.perf_counter() - started
    ms, ended = recorder.stop()
    window.close()
    at = ended - started
    steady = ms[at > ready_at[0]]  # after the start-up imports running in a thread
    during = ms[at > run_started[0]]  # once the run exists (Train waits for torch to load)
    return {
        "per_batch": per_batch,
        "trained_in": "process" if process else "thread",
        "wall_s": wall,
        "p50_ms": float(np.percentile(ms, 50)),
        "p90_ms": float(np.percentile(ms, 90)),
        "p99_ms": float(np.percentile(ms, 99)),
        "max_ms": float(ms.max()),
        "worst_at_s": float(at[int(ms.argmax())]),
        "warmup_done_at_s": ready_at[0],
        "run_started_at_s": run_started[0],
        "run_p99_ms": float(np.percentile(during, 99)),
        "run_max_ms": float(during.max()),
        "steady_p99_ms": float(np.percentile(steady, 99)) if steady.size else None,
        "steady_max_ms": float(steady.max()) if steady.size else None,
    }


def measure_search(trials: int = 12) -> dict:
    """The same gaps while the Search tab runs a search (trials in the window's process)."""
    window = show_window()
    app = QApplication.instance()
    while not window.warmup.is_ready():  # not the start-up's gaps: those are measured above
        app.processEvents()
        time.sleep(0.01)
    panel = window.search_panel
    window.show_tab(panel)
    panel.trials.setValue(trials)
    panel.epochs.setValue(20)
    panel.train_limit.setValue(500)
    recorder = GapRecorder()
    recorder.start()
    started = time.perf_counter()
    panel.running_changed.connect(lambda running: running or app.quit())
    panel.start_button.click()
    app.exec()
    wall = time.perf_counter() - started
    ms, _ = recorder.stop()
    window.close()
    return {
        "case": "search",
        "trials": trials,
        "wall_s": wall,
        "p50_ms": float(np.percentile(ms, 50)),
        "p99_ms": float(np.percentile(ms, 99)),
        "max_ms": float(ms.max()),
    }


def write_mnist_sized(folder: Path) -> None:
    """60,000 + 10,000 random 28 x 28 images and their labels, as gzipped IDX files."""
    rng = np.random.default_rng(0)
    for prefix, count in (("train", 60_000), ("t10k", 10_000)):
        for kind, array in (
            ("images-idx3", rng.integers(0, 256, (count, 28, 28), dtype=np.uint8)),
            ("labels-idx1", (np.arange(count) % 10).astype(np.uint8)),
        ):
            header = struct.pack(f">I{array.ndim}I", 0x800 | array.ndim, *array.shape)
            with gzip.open(folder / f"{prefix}-{kind}-ubyte.gz", "wb", compresslevel=1) as out:
                out.write(header + array.tobytes())


def measure_open_idx() -> dict:
    """The gaps while the window opens an MNIST-sized IDX folder, and its preview follows."""
    folder = Path(tempfile.mkdtemp(prefix="workbench-mnist-sized-"))
    write_mnist_sized(folder)
    window = show_window()
    app = QApplication.instance()
    while not window.warmup.is_ready():  # not the start-up's gaps: those are measured above
        app.processEvents()
        time.sleep(0.01)
    recorder = GapRecorder()
    recorder.start()

    def turn(seconds: float) -> None:
        until = time.perf_counter() + seconds
        while time.perf_counter() < until:
            app.processEvents()
            time.sleep(0.002)

    turn(0.1)  # the recorder's first gap is left out: the read must not be it
    started = time.perf_counter()
    opened = window.dataset_panel.open_path(folder)
    read_s = time.perf_counter() - started
    turn(1.0)  # the Data tab's preview follows the dataset
    ms, _ = recorder.stop()
    window.close()
    return {
        "case": "open-idx",
        "opened": opened,
        "read_s": read_s,
        "p50_ms": float(np.percentile(ms, 50)),
        "p99_ms": float(np.percentile(ms, 99)),
        "max_ms": float(ms.max()),
    }


def print_open_idx() -> None:
    figures = measure_open_idx()
    print(
        f"opening 60,000 + 10,000 IDX images: read in {figures['read_s']:.2f} s, event-loop "
        f"gap p50 {figures['p50_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms, worst "
        f"{figures['max_ms']:.0f} ms"
    )
    print(json.dumps({"benchmark": "gui_responsiveness", "cpus": os.cpu_count(), **figures}))


def main() -> None:
    # Runs and trials go to a throwaway store, not the person's run history.
    os.environ["WORKBENCH_DATA_DIR"] = tempfile.mkdtemp(prefix="workbench-responsiveness-")
    if sys.argv[1:] == ["open-idx"]:
        print_open_idx()
        return
    places = (False, True) if "--process" in sys.argv[1:] else (False,)
    for per_batch, process in [(b, p) for b in (False, True) for p in places]:
        figures = measure(per_batch, process)
        print(
            f"per-batch {'on ' if per_batch else 'off'}, in a {figures['trained_in']}: "
            f"run {figures['wall_s']:.1f} s, "
            f"event-loop gap p50 {figures['p50_ms']:.0f} ms, p90 {figures['p90_ms']:.0f} ms, "
            f"p99 {figures['p99_ms']:.0f} ms, worst {figures['max_ms']:.0f} ms "
            f"(at {figures['worst_at_s']:.1f} s); once the run has started "
            f"({figures['run_started_at_s']:.1f} s): p99 {figures['run_p99_ms']:.0f} ms, worst "
            f"{figures['run_max_ms']:.0f} ms; after the start-up imports "
            f"({figures['warmup_done_at_s']:.1f} s): p99 "
            f"{figures['steady_p99_ms']:.0f} ms, worst {figures['steady_max_ms']:.0f} ms"
        )
        print(json.dumps({"benchmark": "gui_responsiveness", "cpus": os.cpu_count(), **figures}))
    figures = measure_search()
    print(
        f"search of {figures['trials']} trials: {figures['wall_s']:.1f} s, event-loop gap p50 "
        f"{figures['p50_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms, worst "
        f"{figures['max_ms']:.0f} ms"
    )
    print(json.dumps({"benchmark": "gui_responsiveness", "cpus": os.cpu_count(), **figures}))
    print_open_idx()


if __name__ == "__main__":
    main()
