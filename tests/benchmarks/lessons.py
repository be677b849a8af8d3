"""Benchmark: every lesson run headless on its shipped defaults, timed, with its checks' figures.

Run as a script, not collected by pytest:
    python tests/benchmarks/lessons.py [--threads 1] [--lang en] [--data MNIST_FOLDER]
Each lesson trains its runs as `workbench lesson` does (no run store: nothing is recorded),
on `--threads` torch threads (1: what the window's training thread gets on a 2-core laptop).
Prints, per lesson, its wall time, each run's status and final losses, and each check's
verdict and sentence; then one JSON line per lesson. The README's lesson figures come from it.
`--data` runs them on those images instead of the digits, as the window's "Run on the data you
opened" does (`workbench.lessons.own_data`).
"""

from __future__ import annotations

import argparse
import json
import time

import torch

from workbench.lessons import find_lesson, lesson_names
from workbench.lessons.runner import run_lesson


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--lang", choices=("en", "ja"), default="en")
    parser.add_argument("--data", help="an image dataset to run on (an MNIST IDX folder, ...)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    lines = []
    for name in lesson_names():
        _, lesson = find_lesson(name)
        if args.data:
            from workbench.config import DataConfig
            from workbench.data.importers import detect_kind
            from workbench.lessons.own_data import on_own_data

            data = DataConfig(source=detect_kind(args.data), path=args.data)
            lesson = on_own_data(lesson, data)
        started = time.perf_counter()
        outcome = run_lesson(lesson, language=args.lang)
        seconds = time.perf_counter() - started
        print(f"== {name}: {seconds:.1f} s (said: at most {lesson.minutes:g} min)")
        for variant, run in zip(outcome.variants, outcome.outcomes, strict=True):
            last = run.result.history[-1] if run.result.history else None
            losses = (
                f"train {last.train_loss:.4g}, val {last.val_loss:.4g}, "
                f"val acc {last.val_accuracy:.3f}"
                if last is not None
                else "no epoch"
            )
            print(f"   {variant.name:<48} {run.result.status:<14} {losses}")
        for check in outcome.checks:
            print(f"   [{'holds' if check.holds else 'DOES NOT HOLD'}] {check.sentence}")
        lines.append(
            {
                "benchmark": "lessons",
                "lesson": name,
                "seconds": round(seconds, 2),
                "runs": len(outcome.outcomes),
                "checks_held": sum(check.holds for check in outcome.checks),
                "checks": len(outcome.checks),
                "torch_threads": args.threads,
                "data": args.data or "digits",
            }
        )
    for line in lines:
        print(json.dumps(line))


if __name__ == "__main__":
    main()
