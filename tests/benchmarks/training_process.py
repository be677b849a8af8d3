"""Benchmark: what the training process itself adds to a run, without a window.

Run as a script, not collected by pytest:
    python tests/benchmarks/training_process.py [--repeats 7]
The same recorded digits run (40 epochs, batch 32, 1 torch thread), alternately through a
`TrainingProcess` (spawned and warmed up first, as the window's option keeps it) and with
`train_and_record` in this process. `ratio` is the median of process / here: the cost of the
queue, the events and the weights crossing, with no window drawing on either side.
`close_s`: how long `close()` then takes (what a window that trains in a process waits for
as it closes), after the runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from engine_vs_loop import experiment  # noqa: E402

from workbench.data.sources import load_source  # noqa: E402
from workbench.runs import RunStore  # noqa: E402
from workbench.runs.session import train_and_record  # noqa: E402
from workbench.runs.training_process import RunRequest, TrainingProcess  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(1)
    config = experiment({"source": "digits"}, 40, "cpu", batch_size=32)
    load_source(config.data)  # read once here; the process reads it in its warm-up run
    process = TrainingProcess()
    process.wait_ready()
    with tempfile.TemporaryDirectory() as folder:
        store = RunStore(Path(folder))
        request = RunRequest(config, Path(folder), False, 1, live_boundary=True)
        process.train(request, lambda event: None, threading.Event())
        there, here = [], []
        for _ in range(args.repeats):
            started = time.perf_counter()
            process.train(request, lambda event: None, threading.Event())
            there.append(time.perf_counter() - started)
            started = time.perf_counter()
            train_and_record(config, store, evaluate_test=False)
            here.append(time.perf_counter() - started)
    started = time.perf_counter()
    process.close()
    close_s = time.perf_counter() - started
    result = {
        "benchmark": "training_process",
        "ratio": round(statistics.median(p / h for p, h in zip(there, here, strict=True)), 3),
        "process_s": round(statistics.median(there), 3),
        "here_s": round(statistics.median(here), 3),
        "close_s": round(close_s, 3),
        "repeats": args.repeats,
        "torch": torch.__version__,
    }
    print(
        f"process {result['process_s']:.2f} s, here {result['here_s']:.2f} s: {result['ratio']}; "
        f"closing the process {result['close_s']:.2f} s"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
