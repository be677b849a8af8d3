"""`workbench lr-find EXPERIMENT.toml`: the learning-rate range test from the command line.

Prints the suggested rate and how it was chosen; `--out plot.png` draws loss against rate
(matplotlib's Agg renderer, no window). The arguments are parsed before torch and matplotlib
are imported, so `--help` and a usage error answer at once.
"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import OneLineParser, print_error
from workbench.i18n import _
from workbench.out_paths import write_error

if TYPE_CHECKING:
    from workbench.playground.lr_find import LrFindResult

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130

# The sweep's defaults, repeated here so that --help needs no torch (a test keeps them equal
# to workbench.playground.lr_find's).
DEFAULT_START = 1e-7
DEFAULT_END = 10.0
DEFAULT_STEPS = 100
PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="workbench lr-find",
        description="The learning-rate range test (Smith 2015; fastai's lr_find): train a "
        "copy of the experiment's model for a few mini-batches while the learning rate grows "
        "exponentially from --start to --end, stop when the smoothed loss explodes, and "
        "suggest a rate. The experiment's file and model are left as they are; the test "
        "split is never read.",
    )
    parser.add_argument("experiment", type=Path, help="the experiment file (TOML)")
    parser.add_argument(
        "--out", type=Path, help="draw loss against rate into this file (.png, .svg or .pdf)"
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=DEFAULT_STEPS,
        help=f"mini-batches in the sweep (default: {DEFAULT_STEPS})",
    )
    parser.add_argument(
        "--start",
        type=float,
        default=DEFAULT_START,
        help=f"first rate (default: {DEFAULT_START:g})",
    )
    parser.add_argument(
        "--end", type=float, default=DEFAULT_END, help=f"last rate (default: {DEFAULT_END:g})"
    )
    parser.add_argument(
        "--device", help="train the copy on this device instead of the file's (cpu, cuda, ...)"
    )
    return parser


def lr_find_command(argv: list[str]) -> int:
    """Run the range test on an experiment file; returns the process exit code."""
    args = build_parser().parse_args(argv)
    if args.out is not None and args.out.suffix.lower() not in PLOT_SUFFIXES:
        print_error(f"--out {args.out}: " + _("the plot's name must end in .png, .svg or .pdf"))
        return EXIT_BAD_INPUT
    if args.out is not None and args.out.is_dir():
        print_error(f"--out {args.out}: " + _("is a folder; give a file name"))
        return EXIT_BAD_INPUT
    from workbench.config import ExperimentError, experiment_with, load_experiment
    from workbench.core.checks import check_runnable
    from workbench.playground.lr_find import check_sweep, find_learning_rate

    try:
        check_sweep(args.steps, args.start, args.end)
    except ValueError as error:
        print_error(f"--{error}")
        return EXIT_BAD_INPUT
    try:
        experiment = load_experiment(args.experiment)  # its message names the file
    except ExperimentError as error:
        print_error(f"{error}")
        return EXIT_BAD_INPUT
    try:
        if args.device is not None:
            experiment = experiment_with(experiment, {"training.device": args.device})
        check_runnable(experiment)
    except ExperimentError as error:
        print_error(f"{args.experiment}: {error}")
        return EXIT_BAD_INPUT

    stop_token = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda signum, frame: stop_token.set())
    try:
        result = find_learning_rate(
            experiment, steps=args.steps, start=args.start, end=args.end, stop_token=stop_token
        )
    except ExperimentError as error:
        print_error(f"{args.experiment}: {error}")
        return EXIT_BAD_INPUT
    finally:
        signal.signal(signal.SIGINT, previous)
    _print(result)
    if args.out is not None:
        try:
            plot_sweep(result, args.out, title=experiment.name)
        except OSError as error:
            print_error(write_error("--out", args.out, error))
            return EXIT_BAD_INPUT
        print(_("plot: {path}").format(path=args.out))
    return EXIT_INTERRUPTED if result.ended == "stopped" else EXIT_OK


def _print(result: LrFindResult) -> None:
    ended = {
        "exploded": _("the loss exploded"),
        "completed": _("the last rate was reached"),
        "stopped": _("stopped by Ctrl+C"),
    }[result.ended]
    fields = {"done": len(result.rates), "steps": result.steps, "device": result.device}
    if result.rates:
        swept = _("swept {done} of {steps} steps on {device}, last rate {rate:.2g}: {ended}")
        print(swept.format(rate=result.rates[-1], ended=ended, **fields))
    else:
        print(_("swept {done} of {steps} steps on {device}: {ended}").format(ended=ended, **fields))
    print(result.describe())
    if result.suggestion is not None:
        others = ", ".join(f"{name} {rate:.2g}" for name, rate in result.others)
        print(_("fastai's other rules: {others}").format(others=others))
        if result.note:
            print(_("note: {note}").format(note=result.note))


def plot_sweep(result: LrFindResult, path: Path, title: str = "") -> None:
    """Loss against learning rate on a log axis, the suggestion marked; written to `path`."""
    # The Agg canvas and a Figure of its own, never pyplot: no global state, no display.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from workbench.playground.lr_find import loss_view
    from workbench.report.palette import palette_hex

    figure = Figure(figsize=(7, 4.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_xscale("log")
    axes.plot(result.rates, result.losses, color="#b0b0b0", linewidth=1, label="batch loss")
    axes.plot(result.rates, result.smoothed, color=palette_hex(0), linewidth=2, label="smoothed")
    view = loss_view(result.losses, result.smoothed)
    if view is not None:
        axes.set_ylim(*view)
    if result.lowest_index is not None:
        lowest = result.lowest_index
        axes.plot(
            [result.rates[lowest]],
            [result.smoothed[lowest]],
            "o",
            markerfacecolor="none",
            color=palette_hex(0),
            label=f"lowest: {result.lowest_rate:.2g}",
        )
    if result.suggestion is not None and result.suggestion_index is not None:
        axes.axvline(result.suggestion, color=palette_hex(1), linestyle="--", linewidth=1.5)
        axes.plot(
            [result.rates[result.suggestion_index]],
            [result.smoothed[result.suggestion_index]],
            "o",
            color=palette_hex(1),
            label=f"suggested: {result.suggestion:.2g} ({result.method})",
        )
    axes.set_xlabel("learning rate")
    axes.set_ylabel("training loss")
    axes.set_title(f"Learning-rate range test{': ' + title if title else ''}")
    axes.grid(True, which="major", alpha=0.3)
    axes.legend(loc="lower left")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
