"""`workbench paths`: optimizer paths on a 2-D function, as a figure, a CSV and one line each.

    workbench paths --function book --optimizers sgd,momentum,adagrad,adam --steps 30 \
        --out paths.png --csv paths.csv

The arguments are read as text and checked here, before torch and matplotlib are imported,
so `--help` and a mistake answer at once; every mistake is one line naming the option, with
exit code 2.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from workbench.errors import OneLineParser, print_error
from workbench.i18n import _
from workbench.out_paths import write_error

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

# Mirrors of the engine's tables, so the help needs no torch; tests/test_paths_cli.py checks
# they match workbench.playground.paths.
FUNCTION_KEYS = ("book", "rosenbrock", "beale", "saddle", "himmelblau")
OPTIMIZER_KEYS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")
SCHEDULE_KEYS = ("constant", "step", "exponential", "cosine", "onecycle", "plateau")


class _BadInput(ValueError):
    """A mistake in the arguments; the message names the option."""


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="workbench paths",
        description="Walk torch optimizers down a 2-D function from one start point, as in "
        "the book's figure 6-8, and draw their paths over the function's contour lines. "
        "Each optimizer is built as a training run builds it, with its own learning rate.",
        epilog="Example: workbench paths --function book --optimizers sgd,momentum,adagrad,adam "
        "--steps 30 --out paths.png --csv paths.csv",
    )
    parser.add_argument(
        "--function",
        default="book",
        metavar="NAME",
        help=f"the function: {', '.join(FUNCTION_KEYS)} (default: book, x²/20 + y²)",
    )
    parser.add_argument(
        "--optimizers",
        default="sgd,momentum,adagrad,adam",
        metavar="NAME,...",
        help=f"which optimizers, comma-separated, or 'all': {', '.join(OPTIMIZER_KEYS)} "
        "(default: the book's four)",
    )
    parser.add_argument(
        "--steps",
        metavar="N",
        help="optimizer steps (default: the function's own; the book's function: 30)",
    )
    parser.add_argument(
        "--lr",
        default="",
        metavar="NAME=RATE,...",
        help="learning rates, e.g. sgd=0.5,adam=0.1; the others keep their defaults (the "
        "book's function: SGD 0.95, Momentum 0.1, AdaGrad 1.5, Adam 0.3)",
    )
    parser.add_argument(
        "--start",
        metavar="X,Y",
        help="the start point, e.g. --start -7,2 (default: the function's own; the book's "
        "function: -7,2)",
    )
    parser.add_argument(
        "--noise",
        default="0",
        metavar="STD",
        help="standard deviation of Gaussian noise added to each gradient, as a mini-batch's "
        "estimate of it would be off (default 0: the exact gradient)",
    )
    parser.add_argument("--seed", default="0", metavar="N", help="seeds the noise (default 0)")
    parser.add_argument(
        "--schedule",
        default="constant",
        metavar="NAME",
        help=f"a learning-rate schedule: {', '.join(SCHEDULE_KEYS)} (default: constant); "
        "step and exponential halve the rate every third of the steps",
    )
    parser.add_argument("--out", type=Path, metavar="FILE", help="the figure: a .png or .svg file")
    parser.add_argument(
        "--layout",
        default="grid",
        metavar="grid|overlay",
        help="grid: a panel per optimizer, as the book (default); overlay: all on one",
    )
    parser.add_argument(
        "--csv", type=Path, metavar="FILE", help="every point of every path as a CSV table"
    )
    return parser


def _join_negative_start(argv: list[str]) -> list[str]:
    # argparse takes "-7,2" after --start for an option; "--start=-7,2" is what it means.
    joined, words = [], iter(argv)
    for word in words:
        if word == "--start":
            value = next(words, None)
            joined.append(word if value is None else f"--start={value}")
        else:
            joined.append(word)
    return joined


def _choice(option: str, value: str, choices: tuple[str, ...]) -> str:
    key = value.strip().lower()
    if key not in choices:
        raise _BadInput(
            f"{option}: "
            + _("unknown {value} (choose from {choices})").format(
                value=repr(value), choices=", ".join(choices)
            )
        )
    return key


def _number(option: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _BadInput(
            f"{option}: " + _("{text} is not a number").format(text=repr(text))
        ) from None
    if not math.isfinite(value):
        raise _BadInput(
            f"{option}: " + _("must be a finite number, got {value}").format(value=repr(text))
        )
    return value


def _whole(option: str, text: str, low: int, high: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise _BadInput(
            f"{option}: " + _("{text} is not a whole number").format(text=repr(text))
        ) from None
    if not low <= value <= high:
        raise _BadInput(
            f"{option}: "
            + _("must be from {low} to {high}, got {value}").format(low=low, high=high, value=value)
        )
    return value


def _optimizers(text: str) -> list[str]:
    if text.strip().lower() == "all":
        return list(OPTIMIZER_KEYS)
    names = [_choice("--optimizers", part, OPTIMIZER_KEYS) for part in text.split(",") if part]
    if not names:
        raise _BadInput("--optimizers: " + _("name at least one"))
    if len(set(names)) != len(names):
        raise _BadInput("--optimizers: " + _("each optimizer at most once"))
    return names


def _rates(text: str, chosen: list[str]) -> dict[str, float]:
    rates = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, equals, value = item.partition("=")
        if not equals:
            raise _BadInput(
                "--lr: " + _("{item} is not NAME=RATE (e.g. sgd=0.5)").format(item=repr(item))
            )
        key = _choice("--lr", name, OPTIMIZER_KEYS)
        if key not in chosen:
            raise _BadInput(
                "--lr: "
                + _("{name} is not among --optimizers ({names})").format(
                    name=key, names=",".join(chosen)
                )
            )
        rates[key] = _number(f"--lr {key}", value)
    return rates


def _start(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    parts = text.split(",")
    if len(parts) != 2:
        raise _BadInput("--start: " + _("{text} is not X,Y (e.g. -7,2)").format(text=repr(text)))
    x, y = (_number("--start", part) for part in parts)
    return x, y


def _suffix(option: str, path: Path | None, allowed: tuple[str, ...]) -> str | None:
    if path is None:
        return None
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in allowed:
        endings = " or ".join("." + s for s in allowed)
        raise _BadInput(f"{option} {path}: " + _("must end in {endings}").format(endings=endings))
    if path.is_dir():
        raise _BadInput(f"{option} {path}: " + _("is a folder; give a file name"))
    return suffix


def paths_command(argv: list[str]) -> int:
    """Compute, print, and write the figure and table asked for; returns the exit code."""
    args = build_parser().parse_args(_join_negative_start(argv))
    try:
        function = _choice("--function", args.function, FUNCTION_KEYS)
        names = _optimizers(args.optimizers)
        rates = _rates(args.lr, names)
        steps = None if args.steps is None else _whole("--steps", args.steps, 1, 10_000)
        start = _start(args.start)
        noise = _number("--noise", args.noise)
        seed = _whole("--seed", args.seed, 0, 2**63 - 1)
        schedule = _choice("--schedule", args.schedule, SCHEDULE_KEYS)
        layout = _choice("--layout", args.layout, ("grid", "overlay"))
        fmt = _suffix("--out", args.out, ("png", "svg"))
        _suffix("--csv", args.csv, ("csv",))
    except _BadInput as error:
        print_error(str(error))
        return EXIT_BAD_INPUT

    from workbench.playground.paths import optimizer_paths
    from workbench.playground.surfaces import (
        PathsError,
        get_function,
        optimizer_config,
        schedule_for,
    )

    try:
        configs = [
            optimizer_config(name, function, **({"lr": rates[name]} if name in rates else {}))
            for name in names
        ]
        result = optimizer_paths(
            function,
            configs,
            start=start,
            steps=steps,
            noise=noise,
            seed=seed,
            schedule=schedule_for(schedule, steps or get_function(function).steps),
        )
    except PathsError as error:
        # The engine names its fields ("steps", "adam.lr"); here they are options.
        field, _colon, reason = str(error).partition(": ")
        name, dot, setting = field.partition(".")
        print_error(f"--{setting} {name}: {reason}" if dot else f"--{field}: {reason}")
        return EXIT_BAD_INPUT
    _print_summary(result)
    return _write(result, args.out, fmt, layout, args.csv)


def _print_summary(result) -> None:
    from workbench.playground.paths_figure import label

    surface = result.function
    first = result.paths[0].distances[0]
    if surface.minima:
        template = _(
            "f(x, y) = {formula} from ({x:g}, {y:g}), {distance:.4g} from the nearest "
            "minimum; {steps} steps"
        )
    else:
        template = _(
            "f(x, y) = {formula} from ({x:g}, {y:g}), {distance:.4g} from the saddle "
            "point; {steps} steps"
        )
    line = template.format(
        formula=surface.formula,
        x=result.start[0],
        y=result.start[1],
        distance=first,
        steps=result.steps,
    )
    if result.noise:
        line += _(", gradient noise {noise:g} (seed {seed})").format(
            noise=result.noise, seed=result.seed
        )
    print(line)
    width = max(len(label(path)) for path in result.paths)
    for path in result.paths:
        x, y = path.points[-1]
        line = f"{label(path):<{width}}  " + _(
            "ends at ({x:.4f}, {y:.4f})  loss {loss:.4g}  distance {distance:.4g}"
        ).format(x=x, y=y, loss=path.losses[-1], distance=path.distances[-1])
        if path.stopped_at is not None:
            line += "  " + _("(stopped at step {step}: diverged)").format(step=path.stopped_at)
        print(line)


def _write(result, out: Path | None, fmt: str | None, layout: str, table: Path | None) -> int:
    from workbench.atomic import atomic_write_bytes, atomic_write_text
    from workbench.playground.paths_figure import paths_csv, paths_figure

    written = []
    option, path = "--out", out
    try:
        if out is not None and fmt is not None:
            atomic_write_bytes(out, paths_figure(result, fmt, layout))
            written.append(str(out))
        option, path = "--csv", table
        if table is not None:
            atomic_write_text(table, paths_csv(result))
            written.append(str(table))
    except OSError as error:
        print_error(write_error(option, path, error))
        return EXIT_BAD_INPUT
    if written:
        print(_("wrote {paths}").format(paths=", ".join(written)))
    return EXIT_OK
