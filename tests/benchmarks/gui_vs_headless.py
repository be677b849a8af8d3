"""Benchmark: a run started from the window (live plots updating) against `fit` alone.

Run as a script, not collected by pytest:
    QT_QPA_PLATFORM=offscreen python tests/benchmarks/gui_vs_headless.py [--repeats 3]
The same experiment, interleaved: once through the window (Train clicked, the per-batch curve
on, plots redrawn as the run goes, the run recorded in a temporary store), once by calling
`fit` in the same process with the same torch thread count, and once as `workbench run` trains
it (`train_and_record`: recorded in a temporary store, with the looks inside the network and
the run doctor that a window run has too). Two cases: the 8x8 digits with small batches (many
progress events) and MNIST-shaped data (60,000 x 784). `ratio` is the median of window / `fit`
wall times (the target is <= 1.10); `ratio_recorded` the median of window / recorded, the
window's own cost beside what any recorded run pays.

`--process` adds the window's option Run > Train in a separate process, interleaved with the
rest: one window with the option on, its process started and its imports done, and one
untimed run first (the process reads the data once, as `fit` alone had it read before);
`ratio_process` is the median of that window / `fit` alone. Prints one JSON line per case.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("WORKBENCH_DATA_DIR", tempfile.mkdtemp(prefix="workbench-bench-"))

import torch  # noqa: E402
from PySide6.QtCore import QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from engine_vs_loop import experiment, mnist_shaped  # noqa: E402

from workbench.app import create_window  # noqa: E402
from workbench.core import fit  # noqa: E402
from workbench.data.sources import load_source  # noqa: E402
from workbench.ui.worker import training_threads  # noqa: E402


def windowed(config) -> float:
    window = create_window()
    window.set_experiment(config)
    window.plots.per_batch_toggle.setChecked(True)
    window.show()
    QApplication.processEvents()
    # A local loop, not app.exec()/app.quit(): Qt 6 delivers quit() to every event loop, and
    # a late one would end the next window's dataset read as if the application were closing.
    loop = QEventLoop()
    started = time.perf_counter()
    window.start_training()
    window.training_run.run_finished.connect(loop.quit)
    loop.exec()
    elapsed = time.perf_counter() - started
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    return elapsed


class ProcessWindow:
    """One window that trains in a separate process, warmed up once, reused for each repeat."""

    def __init__(self, config) -> None:
        self.window = create_window()
        self.window.set_experiment(config)
        self.window.plots.per_batch_toggle.setChecked(True)
        # The controller's switch, not the menu's: the menu would keep the choice in the
        # user's settings, and the other windows of this benchmark would train in processes.
        self.window.controller.set_training_process(True)
        self.window.show()
        QApplication.processEvents()
        self.window.controller._process.wait_ready()
        self.run()  # untimed: the process reads the data once

    def run(self) -> float:
        loop = QEventLoop()
        started = time.perf_counter()
        self.window.start_training()
        self.window.training_run.run_finished.connect(loop.quit)
        loop.exec()
        return time.perf_counter() - started

    def child_peak_rss_mb(self) -> float | None:
        """The training process's peak resident memory (Linux), what the option costs."""
        pid = self.window.controller._process._process.pid
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return None
        kilobytes = next(
            line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")
        )
        return round(int(kilobytes) / 1024, 1)

    def close(self) -> None:
        self.window.close()
        self.window.deleteLater()
        QApplication.processEvents()


def headless(config) -> float:
    started = time.perf_counter()
    fit(config)
    return time.perf_counter() - started


def recorded(config) -> float:
    from workbench.runs import RunStore
    from workbench.runs.session import train_and_record

    with tempfile.TemporaryDirectory() as folder:
        store = RunStore(Path(folder))
        started = time.perf_counter()
        train_and_record(config, store, evaluate_test=False)
        return time.perf_counter() - started


def measure(name: str, config, repeats: int, process: bool) -> dict:
    load_source(config.data)  # read once: no side pays for the file
    gui, alone, kept, apart = [], [], [], []
    separate = ProcessWindow(config) if process else None
    for _ in range(repeats):
        gui.append(windowed(config))
        alone.append(headless(config))
        kept.append(recorded(config))
        if separate is not None:
            apart.append(separate.run())
    child_rss = separate.child_peak_rss_mb() if separate is not None else None
    if separate is not None:
        separate.close()
    ratios = [g / h for g, h in zip(gui, alone, strict=True)]
    result = {
        "benchmark": "gui_vs_headless",
        "data": name,
        "ratio": round(statistics.median(ratios), 3),
        "ratio_recorded": round(
            statistics.median(g / k for g, k in zip(gui, kept, strict=True)), 3
        ),
        "window_s": round(statistics.median(gui), 3),
        "headless_s": round(statistics.median(alone), 3),
        "recorded_s": round(statistics.median(kept), 3),
        "epochs": config.training.epochs,
        "batch_size": config.training.batch_size,
        "repeats": repeats,
        "torch_threads": torch.get_num_threads(),
        "cpus": os.cpu_count(),
        "torch": torch.__version__,
    }
    if apart:
        result["ratio_process"] = round(
            statistics.median(p / h for p, h in zip(apart, alone, strict=True)), 3
        )
        result["window_process_s"] = round(statistics.median(apart), 3)
        result["process_peak_rss_mb"] = child_rss
    print(
        f"{name:>13}: window {result['window_s']:.2f} s, fit alone {result['headless_s']:.2f} s, "
        f"recorded {result['recorded_s']:.2f} s; ratio {result['ratio']:.3f} (target <= 1.10), "
        f"window / recorded {result['ratio_recorded']:.3f}"
    )
    if apart:
        print(
            f"{'':>13}  window, separate process {result['window_process_s']:.2f} s; "
            f"ratio {result['ratio_process']:.3f}; the process's peak RSS {child_rss} MB"
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--process", action="store_true", help="also the window training in a separate process"
    )
    args = parser.parse_args()
    QApplication.instance() or QApplication([])
    # The window's worker trains with training_threads(); fit alone gets the same count.
    torch.set_num_threads(training_threads())
    digits = experiment({"source": "digits"}, 40, "cpu", batch_size=32)
    results = [measure("digits", digits, args.repeats, args.process)]
    with tempfile.TemporaryDirectory() as folder:
        results.append(
            measure(
                "mnist-shaped",
                experiment(mnist_shaped(Path(folder)), 2, "cpu"),
                args.repeats,
                args.process,
            )
        )
    for result in results:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
