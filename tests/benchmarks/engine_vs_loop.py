"""Benchmark: the engine's `fit` against a minimal hand-written PyTorch loop doing the same work.

Run as a script, not collected by pytest:
    python tests/benchmarks/engine_vs_loop.py [--epochs 2] [--repeats 3] [--device cpu]
Same model (a 5 x 100 ReLU MLP), data, optimizer (Adam), batch size (100), shuffling, and a
validation pass with loss and accuracy after every epoch; the engine also does what it always
does (the test evaluation at the end is left out of the ratio: the loop has none). Two data
sets: MNIST-shaped synthetic data (60,000 x 784, 10 classes) and scikit-learn's 8x8 digits
(more epochs: one takes milliseconds). The two are interleaved and repeated; the ratio is
the median over repeats of engine / loop median epoch time (the first epoch, a warm-up, left
out). Prints the figures and one JSON line per data set. PyTorch Lightning is not measured:
it is not installed on these machines (the issue's figure for it, ~2.0x, is quoted as is).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from workbench.config import experiment_from_dict
from workbench.core import Callback, fit
from workbench.core.engine import batch_starts
from workbench.data import split_dataset
from workbench.data.sources import load_source


def experiment(data: dict, epochs: int, device: str, batch_size: int = 100):
    return experiment_from_dict(
        {
            "name": "bench",
            "seed": 0,
            "data": data,
            "model": {"layers": [{"type": "dense", "units": 100, "activation": "relu"}] * 5},
            "optimizer": {"name": "adam", "lr": 0.001},
            "training": {"epochs": epochs, "batch_size": batch_size, "device": device},
            "early_stopping": {"enabled": False, "restore_best": False},
        }
    )


class _EpochTimes(Callback):
    def __init__(self) -> None:
        self.seconds: list[float] = []

    def on_epoch_end(self, metrics) -> None:
        self.seconds.append(metrics.seconds)


def engine_epochs(config) -> list[float]:
    """Seconds per epoch (training + validation pass), as the engine measures them."""
    times = _EpochTimes()
    # The window's callback receives every event; count that cost too.
    fit(config, [times])
    return times.seconds


def loop_epochs(config) -> list[float]:
    """The loop a person would write: tensors sliced per batch, one sync per epoch."""
    device = torch.device(config.training.device)
    data = config.data
    split = split_dataset(
        load_source(data), data.val_fraction, data.test_fraction, config.seed, 0, data.normalize
    )
    x, y = torch.from_numpy(split.x_train).to(device), torch.from_numpy(split.y_train).to(device)
    xv, yv = torch.from_numpy(split.x_val).to(device), torch.from_numpy(split.y_val).to(device)
    torch.manual_seed(config.seed)
    layers: list[nn.Module] = []
    width = x.shape[1]
    for _ in range(5):
        layers += [nn.Linear(width, 100), nn.ReLU()]
        width = 100
    model = nn.Sequential(*layers, nn.Linear(width, int(y.max()) + 1)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(config.seed)
    batch = config.training.batch_size
    seconds = []
    for _ in range(config.training.epochs):
        started = time.perf_counter()
        model.train()
        order = torch.randperm(x.shape[0], generator=generator).to(device)
        loss_sum = torch.zeros((), device=device)
        correct = torch.zeros((), dtype=torch.long, device=device)
        for start in batch_starts(x.shape[0], batch):
            index = order[start : start + batch]
            xb, yb = x[index], y[index]
            optimizer.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            optimizer.step()
            loss_sum += loss.detach() * len(index)
            correct += (logits.detach().argmax(1) == yb).sum()
        train_loss, train_accuracy = loss_sum.item() / x.shape[0], correct.item() / x.shape[0]
        model.eval()
        with torch.no_grad():
            logits = model(xv)
            val_loss = loss_fn(logits, yv).item()
            val_accuracy = (logits.argmax(1) == yv).float().mean().item()
        del train_loss, train_accuracy, val_loss, val_accuracy
        seconds.append(time.perf_counter() - started)
    return seconds


def mnist_shaped(folder: Path) -> dict:
    """60,000 x 784 pixels 0..255, 10 classes, each class a different mean image: learnable."""
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 60_000)
    means = rng.uniform(0, 255, (10, 784)).astype(np.float32)
    pixels = np.clip(means[labels] + rng.normal(0, 60, (60_000, 784)), 0, 255).astype(np.uint8)
    path = folder / "mnist-shaped.npz"
    np.savez(path, x=pixels.reshape(-1, 28, 28), y=labels)
    return {"source": "npz", "path": str(path)}


def measure(name: str, data: dict, args, epochs: int) -> dict:
    config = experiment(data, epochs, args.device)
    load_source(config.data)  # read once: neither side pays for the file
    engine, loop = [], []
    for _ in range(args.repeats):
        # Interleaved, so drifting machine load touches both alike; epoch 1 warms up.
        engine.append(statistics.median(engine_epochs(config)[1:]))
        loop.append(statistics.median(loop_epochs(config)[1:]))
    ratios = [mine / theirs for mine, theirs in zip(engine, loop, strict=True)]
    result = {
        "benchmark": "engine_vs_loop",
        "data": name,
        "ratio": round(statistics.median(ratios), 3),
        "engine_epoch_s": round(statistics.median(engine), 4),
        "loop_epoch_s": round(statistics.median(loop), 4),
        "repeats": args.repeats,
        "epochs": epochs,
        "device": args.device,
        "cpus": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "python": platform.python_version(),
    }
    print(
        f"{name:>13}: engine {result['engine_epoch_s']:.3f} s/epoch, loop "
        f"{result['loop_epoch_s']:.3f} s/epoch, ratio {result['ratio']:.3f} (target <= 1.05)"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--only", choices=("mnist", "digits"))
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        if args.only != "digits":
            data = mnist_shaped(Path(folder))
            results.append(measure("mnist-shaped", data, args, max(args.epochs, 2)))
        if args.only != "mnist":
            results.append(measure("digits", {"source": "digits"}, args, max(args.epochs, 60)))
    for result in results:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
