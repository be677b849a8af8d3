"""Benchmark: what the probes (workbench/core/probes.py) cost a run; the issue's target is <= 3 %.

Run as a script, not collected by pytest:
    python tests/benchmarks/probe_cost.py [--data digits] [--epochs 3] [--repeats 3]
        [--device cpu] [--threads N]
The MNIST-shaped run of engine_vs_loop.py (60,000 x 784, a 5 x 100 ReLU MLP, Adam, batches of
100), trained whole by `fit` (test evaluation included) with a callback that does nothing and
with a `ProbeCallback` (epoch 0, every epoch, and looks within each epoch every ~0.5 s). The
window always attaches a callback, so the baseline has one too: the difference is the probes
alone. `--data digits`: the 8x8 digits in batches of 32 instead (40 epochs by default), whose
~25 ms epochs are shorter than ~40 looks: their own looks are thinned to the same budget. The
two are interleaved, their order alternating from repeat to repeat, so drifting
machine load touches both alike. Four figures: the median of with / without wall-time
ratios, the ratio of the fastest run of each (other processes' load only adds time), the
median ratio of the process's CPU time (steadiest on a shared machine, with --threads 1), and
the share of the probed run's time spent inside the probe's looks (timed around each one).
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from engine_vs_loop import experiment, mnist_shaped  # noqa: E402

from workbench.core import Callback, fit  # noqa: E402
from workbench.core.probes import PROBE_SAMPLES, ProbeCallback  # noqa: E402
from workbench.data.sources import load_source  # noqa: E402


class _TimedProbe(ProbeCallback):
    """A ProbeCallback that adds up the seconds its looks take."""

    def __init__(self) -> None:
        super().__init__()
        self.look_seconds = 0.0
        self.looks = 0

    def _take(self, epoch: int, final: bool) -> None:
        started = time.perf_counter()
        super()._take(epoch, final)
        self.look_seconds += time.perf_counter() - started
        self.looks += 1


def run_without(config) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one whole run."""
    started, cpu = time.perf_counter(), time.process_time()
    fit(config, [Callback()])
    return time.perf_counter() - started, time.process_time() - cpu


def run_with(config) -> tuple[float, float, _TimedProbe]:
    probe = _TimedProbe()
    started, cpu = time.perf_counter(), time.process_time()
    fit(config, [probe])
    return time.perf_counter() - started, time.process_time() - cpu, probe


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", choices=("mnist-shaped", "digits"), default="mnist-shaped")
    parser.add_argument("--epochs", type=int, help="default: 3 (MNIST-shaped), 40 (digits)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's own)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as folder:
        if args.data == "digits":
            config = experiment({"source": "digits"}, args.epochs or 40, args.device, batch_size=32)
        else:
            config = experiment(mnist_shaped(Path(folder)), args.epochs or 3, args.device)
        load_source(config.data)  # read once: neither side pays for the file
        fit(experiment(config.data.model_dump(), 1, args.device))  # warms torch up
        without, probed, shares, ratios, cpu_ratios, looks = [], [], [], [], [], []
        for repeat in range(args.repeats):
            if repeat % 2:
                seconds, cpu, probe = run_with(config)
                plain, plain_cpu = run_without(config)
            else:
                plain, plain_cpu = run_without(config)
                seconds, cpu, probe = run_with(config)
            without.append(plain)
            probed.append(seconds)
            ratios.append(seconds / plain)
            cpu_ratios.append(cpu / plain_cpu)
            shares.append(probe.look_seconds / seconds)
            looks.append(probe.looks)
            print(
                f"repeat {repeat + 1}: without {plain:.2f} s, with {seconds:.2f} s "
                f"(ratio {seconds / plain:.3f}, CPU time {cpu_ratios[-1]:.3f}); "
                f"{probe.looks} looks, {probe.look_seconds * 1000 / probe.looks:.1f} ms each, "
                f"{100 * shares[-1]:.2f} % of the run"
            )
    result = {
        "benchmark": "probe_cost",
        "data": args.data,
        "ratio": round(statistics.median(ratios), 4),
        # Load from other processes only ever adds time: the fastest runs are the least noisy.
        "ratio_of_fastest": round(min(probed) / min(without), 4),
        # CPU seconds of this process: other processes' load barely touches them (with one
        # torch thread; more threads spin-wait for each other, longer on a busy machine).
        "cpu_ratio": round(statistics.median(cpu_ratios), 4),
        "look_share": round(statistics.median(shares), 4),
        "without_s": round(statistics.median(without), 3),
        "with_s": round(statistics.median(probed), 3),
        "looks": statistics.median(looks),
        "probe_samples": PROBE_SAMPLES,
        "epochs": config.training.epochs,
        "repeats": args.repeats,
        "device": args.device,
        "cpus": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "python": platform.python_version(),
    }
    print(
        f"probes: with / without {result['ratio']:.3f} (fastest runs: "
        f"{result['ratio_of_fastest']:.3f}; CPU time {result['cpu_ratio']:.3f}), looks "
        f"{100 * result['look_share']:.2f} % of the run (target <= 3 %)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
