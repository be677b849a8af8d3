"""GPU check: the engine against a tight loop with the data resident on a CUDA device.

Run on a machine with an NVIDIA GPU (one short script, about a minute):
    python tests/benchmarks/gpu_check.py
Trains the 5 x 100 ReLU MLP (Adam, batch 100) on MNIST-shaped data (60,000 x 784) with
`fit` and with a hand-written loop that keeps every tensor on the device and syncs once per
epoch, interleaved and repeated, and prints the engine's throughput as a share of the loop's
(target >= 0.95), the time to the end of the first epoch (data loading, the split, the copy
to the device and CUDA's warm-up included), the GPU's name, and one JSON line.
`--device cpu` runs the same comparison on the CPU, to check the script itself anywhere.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from engine_vs_loop import engine_epochs, experiment, loop_epochs, mnist_shaped  # noqa: E402

from workbench.core import Callback, fit  # noqa: E402
from workbench.data.sources import load_source  # noqa: E402


class _FirstEpoch(Callback):
    def __init__(self, started: float) -> None:
        self.started = started
        self.seconds: float | None = None

    def on_epoch_end(self, metrics) -> None:
        if self.seconds is None:
            self.seconds = time.perf_counter() - self.started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        raise SystemExit("no CUDA device here: run on a GPU machine, or pass --device cpu")
    name = torch.cuda.get_device_name(args.device) if args.device.startswith("cuda") else "cpu"
    with tempfile.TemporaryDirectory() as folder:
        data = mnist_shaped(Path(folder))
        config = experiment(data, args.epochs, args.device)
        first = _FirstEpoch(time.perf_counter())
        fit(experiment(data, 1, args.device), [first])  # reads the file: a cold start
        load_source(config.data)  # cached now: the comparison below does not read the file
        engine, loop = [], []
        for _ in range(args.repeats):
            engine.append(statistics.median(engine_epochs(config)[1:]))
            loop.append(statistics.median(loop_epochs(config)[1:]))
    share = statistics.median(theirs / mine for mine, theirs in zip(engine, loop, strict=True))
    result = {
        "benchmark": "gpu_check",
        "device": name,
        "engine_throughput_share": round(share, 3),
        "engine_epoch_s": round(statistics.median(engine), 4),
        "loop_epoch_s": round(statistics.median(loop), 4),
        "first_epoch_s": round(first.seconds or float("nan"), 3),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
    }
    print(
        f"{name}: engine {result['engine_epoch_s']:.3f} s/epoch, loop "
        f"{result['loop_epoch_s']:.3f} s/epoch: {share:.3f} of the loop's throughput "
        f"(target >= 0.95); first epoch done {result['first_epoch_s']:.2f} s after start"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
