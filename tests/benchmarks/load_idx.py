"""Benchmark: load an MNIST-sized IDX folder (60,000 + 10,000 images of 28 x 28).

Run as a script, not collected by pytest:  python tests/benchmarks/load_idx.py
Prints the load time (best of 3), the peak memory it took (tracemalloc) against the size of
the float32 arrays it produced, and one JSON line for comparing runs over time.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import struct
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from workbench.data.importers import read_idx_folder


def write_idx(path: Path, array: np.ndarray, magic: int, compress: bool) -> None:
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", n) for n in array.shape)
    opener = gzip.open if compress else open
    with opener(path, "wb") as handle:
        handle.write(header + array.tobytes())


def make_folder(folder: Path, compress: bool) -> None:
    rng = np.random.default_rng(0)
    suffix = ".gz" if compress else ""
    for prefix, count in (("train", 60_000), ("t10k", 10_000)):
        images = rng.integers(0, 256, size=(count, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, size=count, dtype=np.uint8)
        write_idx(folder / f"{prefix}-images-idx3-ubyte{suffix}", images, 0x803, compress)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte{suffix}", labels, 0x801, compress)


def measure(folder: Path) -> dict:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        dataset = read_idx_folder(folder)
        times.append(time.perf_counter() - started)
        del dataset
    tracemalloc.start()
    dataset = read_idx_folder(folder)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    produced = dataset.features.nbytes + dataset.test_features.nbytes
    return {"seconds": min(times), "peak_mb": peak / 1e6, "arrays_mb": produced / 1e6}


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for compress in (False, True):
            folder = Path(tmp) / ("gz" if compress else "raw")
            folder.mkdir()
            make_folder(folder, compress)
            results["gz" if compress else "raw"] = measure(folder)
    for kind, figures in results.items():
        print(
            f"{kind:>3}: {figures['seconds']:.3f} s, peak {figures['peak_mb']:.0f} MB for "
            f"{figures['arrays_mb']:.0f} MB of float32 arrays "
            f"(ratio {figures['peak_mb'] / figures['arrays_mb']:.2f})"
        )
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {sys.version.split()[0]}")
    print(json.dumps({"benchmark": "load_idx", **results}))


if __name__ == "__main__":
    main()
