"""Benchmark: `workbench run`, as a user runs it, against a hand-written loop, each a process.

Run as a script, not collected by pytest:
    python tests/benchmarks/cli_vs_loop.py [--repeats 5] [--epochs 3] [--data PATH.npz]
The workload of issue 21: a 5 x 100 ReLU MLP, Adam, batch 100, on MNIST-shaped data (60,000
x 784 bytes, `engine_vs_loop.mnist_shaped`; or `--data`, an NPZ of images), CPU, each side
in a fresh process with torch's default thread count. The two are run alternately: `python
-m workbench run EXPERIMENT.toml` (recorded in a temporary run store, its test evaluation at
the end, its progress printed, as a user's run), then this script with `--loop` (the loop
of engine_vs_loop.py: tensors sliced per batch, one sync per epoch, a validation pass each
epoch). Epoch times: the CLI's from its run store (the engine's own clock per epoch), the
loop's printed by it. Prints, over the repeats, the median and the minimum of: the median
epoch time after the first (warm-up) epoch, the best epoch, and the whole process's wall
time (start-up, imports, the data's reading and the test evaluation included); their ratios
CLI / loop (the target is <= 1.05); then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _experiment_toml(data: Path, epochs: int) -> str:
    layers = ", ".join(['{ type = "dense", units = 100, activation = "relu" }'] * 5)
    return f"""name = "cli-vs-loop"
seed = 0
data = {{ source = "npz", path = "{data.as_posix()}" }}
model = {{ layers = [{layers}] }}
optimizer = {{ name = "adam", lr = 0.001 }}
training = {{ epochs = {epochs}, batch_size = 100, device = "cpu" }}
early_stopping = {{ enabled = false, restore_best = false }}
"""


def _loop_main(experiment: Path) -> None:
    """`--loop`: train the experiment with the hand-written loop, print its epoch times."""
    from engine_vs_loop import loop_epochs

    from workbench.config import load_experiment

    print(json.dumps({"seconds": loop_epochs(load_experiment(experiment))}))


def _cli_run(experiment: Path, folder: Path) -> tuple[list[float], float]:
    store = folder / "store"
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "workbench",
            "run",
            str(experiment),
            "--data-dir",
            str(store),
            "--out",
            str(folder / "out"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    from workbench.runs import RunStore

    runs = RunStore(store).list_runs()
    newest = max(runs, key=lambda run: run.id)
    record = RunStore(store).get_run(newest.id)
    return [float(epoch["seconds"]) for epoch in record.history], wall


def _loop_run(experiment: Path) -> tuple[list[float], float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--loop", str(experiment)],
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    return json.loads(done.stdout.strip().splitlines()[-1])["seconds"], wall


def _figures(epochs: list[list[float]], walls: list[float]) -> dict[str, float]:
    steady = [statistics.median(run[1:]) for run in epochs]
    best = [min(run[1:]) for run in epochs]
    return {
        "median_epoch_s": statistics.median(steady),
        "min_median_epoch_s": min(steady),
        "best_epoch_s": min(best),
        "median_wall_s": statistics.median(walls),
        "min_wall_s": min(walls),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--data", type=Path, help="an NPZ of images (x, y) instead")
    parser.add_argument("--loop", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.loop is not None:
        _loop_main(args.loop)
        return
    import torch

    with tempfile.TemporaryDirectory(prefix="cli-vs-loop-") as name:
        folder = Path(name)
        if args.data is None:
            from engine_vs_loop import mnist_shaped

            data = Path(mnist_shaped(folder)["path"])
        else:
            data = args.data.resolve()
        experiment = folder / "experiment.toml"
        experiment.write_text(_experiment_toml(data, args.epochs), encoding="utf-8")
        cli, cli_walls, loop, loop_walls = [], [], [], []
        for repeat in range(args.repeats):
            # Alternated, so drifting machine load touches both alike.
            seconds, wall = _cli_run(experiment, folder / f"cli-{repeat}")
            cli.append(seconds)
            cli_walls.append(wall)
            seconds, wall = _loop_run(experiment)
            loop.append(seconds)
            loop_walls.append(wall)
            print(
                f"repeat {repeat + 1}: cli epochs {[round(s, 3) for s in cli[-1]]} "
                f"(process {cli_walls[-1]:.2f} s), loop epochs "
                f"{[round(s, 3) for s in loop[-1]]} (process {loop_walls[-1]:.2f} s)",
                flush=True,
            )
    mine, theirs = _figures(cli, cli_walls), _figures(loop, loop_walls)
    ratios = {
        "median_epoch": mine["median_epoch_s"] / theirs["median_epoch_s"],
        "min_median_epoch": mine["min_median_epoch_s"] / theirs["min_median_epoch_s"],
        "best_epoch": mine["best_epoch_s"] / theirs["best_epoch_s"],
        "median_wall": mine["median_wall_s"] / theirs["median_wall_s"],
    }
    print(
        "workbench run / loop: median epoch {median_epoch:.3f}, min of the medians "
        "{min_median_epoch:.3f}, best epoch {best_epoch:.3f} (target <= 1.05); whole process "
        "{median_wall:.3f}".format(**ratios)
    )
    print(
        json.dumps(
            {
                "benchmark": "cli_vs_loop",
                "ratios": {k: round(v, 3) for k, v in ratios.items()},
                "cli": {k: round(v, 3) for k, v in mine.items()},
                "loop": {k: round(v, 3) for k, v in theirs.items()},
                "repeats": args.repeats,
                "epochs": args.epochs,
                "data": str(args.data) if args.data else "mnist-shaped 60,000 x 784",
                "cpus": os.cpu_count(),
                "torch_threads_default": torch.get_num_threads(),
                "torch": torch.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
