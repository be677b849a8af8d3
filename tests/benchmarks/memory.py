"""Benchmark: memory, for a large dataset and for many runs in one window.

Run as a script, not collected by pytest:
    QT_QPA_PLATFORM=offscreen python tests/benchmarks/memory.py [--runs 100]
1. Peak RSS while loading and training on a 60,000 x 784 dataset, in a fresh process, against
   its RSS just before (after a small run has loaded every module a run needs), as a
   multiple of the data's size as float32 (188 MB). Target: <= 1.2. Twice: the NPZ holding
   the pixels as float32, and as bytes (uint8, as MNIST ships; kept as bytes in memory).
2. RSS growth over many consecutive short runs in one window (offscreen), from the end of
   run 10 (caches warm) to the end of the last. Target: < 50 MB for 100 runs.
Prints the figures and one JSON line each.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent

_PEAK_CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[2])
from engine_vs_loop import experiment
from workbench.core import fit
import workbench.data.importers  # the reader, loaded before the baseline

def rss_mb(field="VmRSS"):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024

# A small run first: every module a run imports (scikit-learn, torch._dynamo...) is then in
# the baseline, and what follows is what the data costs.
fit(experiment({"source": "digits"}, 1, "cpu"))
config = experiment({"source": "npz", "path": sys.argv[1]}, 1, "cpu")
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # restart the peak (VmHWM) from the current RSS
before = rss_mb()
fit(config)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork + exec.
peak = rss_mb("VmHWM")
print(json.dumps({"before_mb": before, "peak_mb": peak}))
"""

_RUNS_CHILD = r"""
import json, os, sys
from PySide6.QtWidgets import QApplication
from workbench.app import create_window

def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024

runs = int(sys.argv[1])
app = QApplication([])
window = create_window()
window.form._epochs.setValue(1)
window.form._device.setCurrentIndex(window.form._device.findData("cpu"))
window.show()
marks = {}
done = [0]

def next_run(result=None):
    if result is not None:
        done[0] += 1
        if done[0] in (10, runs):
            app.processEvents()
            marks[done[0]] = rss_mb()
        if done[0] == runs:
            app.quit()
            return
    from PySide6.QtCore import QTimer
    QTimer.singleShot(0, start)

def start():
    window.start_training()
    window.training_run.run_finished.connect(next_run)

next_run()
app.exec()
print(json.dumps({"after_10_mb": marks[10], "after_last_mb": marks[runs]}))
"""


def child(code: str, *args: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=1800
    )
    if completed.returncode != 0:
        raise SystemExit(completed.stderr)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from engine_vs_loop import mnist_shaped

    with tempfile.TemporaryDirectory() as folder:
        os.environ["WORKBENCH_DATA_DIR"] = str(Path(folder) / "store")
        data = mnist_shaped(Path(folder))
        floats = Path(folder) / "mnist-shaped-float32.npz"
        with np.load(data["path"]) as arrays:
            np.savez(floats, x=arrays["x"].astype(np.float32), y=arrays["y"])
        dataset_mb = 60_000 * 784 * 4 / 2**20
        peaks = {}
        for stored, path in (("float32", str(floats)), ("uint8", data["path"])):
            peak = child(_PEAK_CHILD, path, str(HERE))
            multiple = (peak["peak_mb"] - peak["before_mb"]) / dataset_mb
            peaks[stored] = {**peak, "multiple": round(multiple, 2)}
            print(
                f"large dataset stored as {stored}: {dataset_mb:.0f} MB as float32; RSS "
                f"{peak['before_mb']:.0f} MB before fit, peak {peak['peak_mb']:.0f} MB: "
                f"{multiple:.2f}x the float32 data (target <= 1.2)"
            )
        runs = child(_RUNS_CHILD, str(args.runs))
        growth = runs["after_last_mb"] - runs["after_10_mb"]
        print(
            f"{args.runs} runs in one window: RSS {runs['after_10_mb']:.0f} MB after run 10, "
            f"{runs['after_last_mb']:.0f} MB after run {args.runs}: +{growth:.0f} MB (target < 50)"
        )
    for stored, peak in peaks.items():
        print(
            json.dumps(
                {
                    "benchmark": "memory_peak",
                    "stored_as": stored,
                    "dataset_mb": round(dataset_mb),
                    **peak,
                }
            )
        )
    print(
        json.dumps(
            {"benchmark": "memory_runs", "runs": args.runs, **runs, "growth_mb": round(growth, 1)}
        )
    )


if __name__ == "__main__":
    main()
