"""Benchmark: a search's trials in 2 worker processes against the same trials one after another.

Run as a script, not collected by pytest:
    python tests/benchmarks/search_parallel.py [--trials 20] [--epochs 50] [--repeats 3]
The same random search (digits, a 64-unit MLP, 50 epochs: about 1.5 s a trial on 2 cores; the
same seed, so the same 20 trials) runs in this process (`workers=1`: one trial at a time,
torch's default threads) and with 2 workers (`workers=2`: a thread of this process and one
spawned worker process, one torch thread each, the process's start-up included), each into
a fresh run store and study. The two are interleaved and repeated; the ratio is the median
over repeats of parallel / sequential wall time. Target: at most 0.6 on 2 cores. Prints the
figures, the machine, and one JSON line.

`--ray` adds a third, interleaved with the two: the same search as 2 Ray tasks of one CPU
each on a local Ray instance (`ray.init(num_cpus=2)`, started once before the repeats, its
start-up reported apart), the study in a journal file; `ratio_ray` is Ray / one after
another, Ray's overhead on one machine beside the 2 processes' ratio.

A worker process takes about 3 s to start (importing torch, Optuna, scikit-learn), which is
why one worker is a thread of the searching process: with trials of a fraction of a second
(`--epochs 10`) the start-up still dominates; parallel trials pay off from about a second a
trial.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time

import torch

from workbench.config import experiment_from_dict
from workbench.runs import RunStore
from workbench.search import build_spec, run_search
from workbench.search.runner import cpu_cores


def spec(trials: int, epochs: int):
    base = experiment_from_dict(
        {
            "name": "bench",
            "seed": 0,
            "data": {"source": "digits"},
            "model": {"layers": [{"type": "dense", "units": 64, "activation": "relu"}]},
            "training": {"batch_size": 32, "device": "cpu"},
            "early_stopping": {"enabled": False},
        }
    )
    settings = {
        "trials": trials,
        "epochs": epochs,
        "seed": 0,
        "space": {
            "optimizer.lr": {"log_uniform": [1e-4, 1e-1]},
            "optimizer.weight_decay": {"log_uniform": [1e-8, 1e-4]},
        },
    }
    return build_spec(base, settings, name="bench")


def timed(search, workers: int, ray: bool = False) -> float:
    """Wall seconds of the whole search, from nothing done to every trial recorded."""
    with tempfile.TemporaryDirectory() as folder:
        store = RunStore(folder)
        started = time.perf_counter()
        outcome = run_search(search, store, workers=workers, ray=(1, 0) if ray else None)
        seconds = time.perf_counter() - started
        # Ray's tasks, like machines, may overshoot the total by a trial.
        if outcome.error or outcome.done < search.search.trials:
            raise SystemExit(f"the search did not finish: {outcome.error or outcome.done}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ray", action="store_true", help="also 2 Ray tasks on a local Ray")
    args = parser.parse_args()
    search = spec(args.trials, args.epochs)
    sequential, parallel, on_ray = [], [], []
    ray_start = None
    if args.ray:
        import ray

        os.environ.setdefault("RAY_AUTH_MODE", "disabled")
        began = time.perf_counter()
        ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False)
        ray_start = time.perf_counter() - began
    for repeat in range(1, args.repeats + 1):
        # Interleaved, so drifting machine load touches all alike.
        sequential.append(timed(search, 1))
        parallel.append(timed(search, args.workers))
        line = (
            f"repeat {repeat}: one after another {sequential[-1]:.2f} s, "
            f"{args.workers} processes {parallel[-1]:.2f} s, "
            f"ratio {parallel[-1] / sequential[-1]:.3f}"
        )
        if args.ray:
            on_ray.append(timed(search, args.workers, ray=True))
            line += f"; Ray {on_ray[-1]:.2f} s, ratio {on_ray[-1] / sequential[-1]:.3f}"
        print(line, flush=True)
    ratios = [p / s for p, s in zip(parallel, sequential, strict=True)]
    result = {
        "benchmark": "search_parallel",
        "ratio": round(statistics.median(ratios), 3),
        "sequential_s": round(statistics.median(sequential), 2),
        "parallel_s": round(statistics.median(parallel), 2),
        "trials": args.trials,
        "epochs": args.epochs,
        "workers": args.workers,
        "repeats": args.repeats,
        "cpus": os.cpu_count(),
        "cores_available": cpu_cores(),
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    if on_ray:
        result["ratio_ray"] = round(
            statistics.median(r / s for r, s in zip(on_ray, sequential, strict=True)), 3
        )
        result["ray_s"] = round(statistics.median(on_ray), 2)
        result["ray_start_s"] = round(ray_start or 0.0, 2)
    print(
        f"{args.trials} trials of {args.epochs} epochs: one after another "
        f"{result['sequential_s']:.2f} s, {args.workers} processes {result['parallel_s']:.2f} s, "
        f"ratio {result['ratio']:.3f} (target <= 0.6)"
    )
    if on_ray:
        print(
            f"Ray, {args.workers} tasks: {result['ray_s']:.2f} s, ratio {result['ratio_ray']:.3f} "
            f"(Ray's own start, once: {result['ray_start_s']:.2f} s)"
        )
    print(
        f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python "
        f"{platform.python_version()}, torch {torch.__version__}"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
