"""The 2-D functions of the optimizer-paths playground, and the settings each starts with.

Torch-free, so the window can list the functions, their start points and rates before torch
has loaded; `workbench.playground.paths` walks the torch optimizers over them. Each
function is written with arithmetic operators only, so the same expression is a torch
expression when given tensors (the optimizers follow its autograd gradient) and a NumPy one
for the contour grid.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import contourpy
import numpy as np
from pydantic import ValidationError

from workbench.config import (
    OPTIMIZERS,
    SCHEDULES,
    OptimizerConfig,
    ScheduleConfig,
    format_validation_error,
)
from workbench.errors import UserError

Array = Any  # a torch.Tensor or a numpy.ndarray: the expressions work on both
Expression = Callable[[Array, Array], Array]

# The book's learning rates for figure 6-8 (ch06/optimizer_compare_naive.py): SGD 0.95,
# Momentum 0.1 with momentum 0.9, AdaGrad 1.5, Adam 0.3 (betas 0.9, 0.999). The book has
# no figure for the other three; their rates are chosen to go with the book's: Nesterov
# as Momentum (so only the look-ahead differs), RMSprop 0.15 (its first step, lr/sqrt(1 -
# alpha) = 1.5 per coordinate, matches AdaGrad's), AdamW as Adam with torch's default
# decoupled decay 0.01.
BOOK_SETTINGS: dict[str, dict[str, float]] = {
    "sgd": {"lr": 0.95},
    "momentum": {"lr": 0.1, "momentum": 0.9},
    "nesterov": {"lr": 0.1, "momentum": 0.9},
    "adagrad": {"lr": 1.5},
    "rmsprop": {"lr": 0.15},
    "adam": {"lr": 0.3},
    "adamw": {"lr": 0.3, "weight_decay": 0.01},
}
# How the figure, the command line and the lessons name each optimizer: the book's spelling.
OPTIMIZER_LABELS = {
    "sgd": "SGD",
    "momentum": "Momentum",
    "nesterov": "Nesterov",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "adamw": "AdamW",
}
BOOK_OPTIMIZERS = ("sgd", "momentum", "adagrad", "adam")
# Each optimizer's colour (an index into workbench.report.palette), the same in the window and
# the figures: the book's four take the first four, the most distinct; Nesterov's orange is
# near Momentum's vermillion, as it is Momentum with a look-ahead.
PALETTE_INDEX = {
    "sgd": 0,
    "momentum": 1,
    "adagrad": 2,
    "adam": 3,
    "rmsprop": 4,
    "adamw": 5,
    "nesterov": 6,
}


class PathsError(UserError, ValueError):
    """Bad input to the optimizer paths; the message starts with the field it is about."""


@dataclass(frozen=True)
class TestFunction:
    """A 2-D function to minimise, with where to look at it and where its minima are.

    `minima` empty: the function has none (the saddle); distances are then measured to
    `reference`, the saddle point. `rates`: learning rates that suit this function's scale
    (the book's for its own function), used where the caller gives none. `steps`: enough
    for the paths to get somewhere at those rates.
    """

    __test__ = False  # not a pytest test class, despite the name

    key: str
    formula: str
    expression: Expression
    start: tuple[float, float]
    view: tuple[float, float, float, float]  # x min, x max, y min, y max
    minima: tuple[tuple[float, float], ...]
    steps: int = 30
    rates: Mapping[str, float] = field(default_factory=dict)
    reference: tuple[float, float] = (0.0, 0.0)

    def __call__(self, x: Array, y: Array) -> Array:
        return self.expression(x, y)

    @property
    def targets(self) -> tuple[tuple[float, float], ...]:
        """The points distances are measured to: the minima, or the saddle point."""
        return self.minima or (self.reference,)

    def distance(self, points: np.ndarray) -> np.ndarray:
        """Each point's distance to the nearest minimum (Himmelblau has four)."""
        targets = np.asarray(self.targets, dtype=np.float64)
        gaps = np.asarray(points, dtype=np.float64)[:, None, :] - targets[None, :, :]
        return np.linalg.norm(gaps, axis=2).min(axis=1)

    def grid(self, size: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x, y, z) on a `size` x `size` grid over the view; z[i, j] is f(x[j], y[i])."""
        x_min, x_max, y_min, y_max = self.view
        xs = np.linspace(x_min, x_max, size)
        ys = np.linspace(y_min, y_max, size)
        grid_x, grid_y = np.meshgrid(xs, ys)
        return xs, ys, self.expression(grid_x, grid_y)


def _book(x: Array, y: Array) -> Array:
    return x**2 / 20 + y**2


def _rosenbrock(x: Array, y: Array) -> Array:
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _beale(x: Array, y: Array) -> Array:
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _saddle(x: Array, y: Array) -> Array:
    return x**2 - y**2


def _himmelblau(x: Array, y: Array) -> Array:
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


# Rates for the other functions: from a sweep of each optimizer's rate (1e-4 to 2, by
# factors of 2 to 2.5), one that gets near the minimum within `steps` without leaving the
# picture, a little below the best so a small change does not make it diverge. They are
# starting points to change, not tuned answers: Rosenbrock's valley is meant to be slow.
FUNCTIONS: dict[str, TestFunction] = {
    function.key: function
    for function in (
        TestFunction(
            key="book",
            formula="x²/20 + y²",
            expression=_book,
            start=(-7.0, 2.0),
            # The book's figure 6-8 shows x from -10 to 10 and y from -5 to 5.
            view=(-10.0, 10.0, -5.0, 5.0),
            minima=((0.0, 0.0),),
            steps=30,
            rates={name: settings["lr"] for name, settings in BOOK_SETTINGS.items()},
        ),
        TestFunction(
            key="rosenbrock",
            formula="(1 − x)² + 100 (y − x²)²",
            expression=_rosenbrock,
            start=(-1.5, 2.0),
            view=(-2.0, 2.0, -1.0, 3.0),
            minima=((1.0, 1.0),),
            steps=500,
            rates={
                "sgd": 0.0015,
                "momentum": 0.001,
                "nesterov": 0.001,
                "adagrad": 1.0,
                "rmsprop": 0.05,
                "adam": 0.1,
                "adamw": 0.1,
            },
        ),
        TestFunction(
            key="beale",
            formula="(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
            expression=_beale,
            start=(1.0, 1.5),
            view=(-4.5, 4.5, -4.5, 4.5),
            minima=((3.0, 0.5),),
            steps=300,
            rates={
                "sgd": 0.01,
                "momentum": 0.002,
                "nesterov": 0.002,
                "adagrad": 1.0,
                "rmsprop": 0.05,
                "adam": 0.1,
                "adamw": 0.1,
            },
        ),
        TestFunction(
            key="saddle",
            formula="x² − y²",
            expression=_saddle,
            start=(-1.8, 0.01),
            view=(-2.0, 2.0, -2.0, 2.0),
            minima=(),
            steps=50,
            rates={
                "sgd": 0.05,
                "momentum": 0.02,
                "nesterov": 0.02,
                "adagrad": 0.2,
                "rmsprop": 0.01,
                "adam": 0.05,
                "adamw": 0.05,
            },
        ),
        TestFunction(
            key="himmelblau",
            formula="(x² + y − 11)² + (x + y² − 7)²",
            expression=_himmelblau,
            start=(-0.5, 0.0),
            view=(-5.0, 5.0, -5.0, 5.0),
            # Its four minima, all with f = 0 (Himmelblau 1972).
            minima=(
                (3.0, 2.0),
                (-2.805118, 3.131312),
                (-3.779310, -3.283186),
                (3.584428, -1.848126),
            ),
            steps=100,
            rates={
                "sgd": 0.01,
                "momentum": 0.002,
                "nesterov": 0.002,
                "adagrad": 0.5,
                "rmsprop": 0.05,
                "adam": 0.1,
                "adamw": 0.1,
            },
        ),
    )
}


def get_function(key: str) -> TestFunction:
    """The function named `key`, or a PathsError listing the choices."""
    try:
        return FUNCTIONS[key]
    except KeyError:
        choices = ", ".join(FUNCTIONS)
        raise PathsError(f"function: unknown function {key!r} (choose from {choices})") from None


def default_settings(name: str, function: str = "book") -> dict[str, float]:
    """The settings a path uses unless told otherwise: the book's, at `function`'s rate."""
    _check_optimizer_name(name)
    settings = dict(BOOK_SETTINGS[name])
    settings["lr"] = get_function(function).rates.get(name, settings["lr"])
    return settings


def optimizer_config(name: str, function: str = "book", **settings: float) -> OptimizerConfig:
    """The `OptimizerConfig` for `name`: `default_settings`, overridden by `settings`."""
    values = {**default_settings(name, function), **settings}
    try:
        return OptimizerConfig(name=name, **values)  # type: ignore[arg-type]
    except ValidationError as error:
        # "adam.lr: Input should be greater than 0": the optimizer, then its setting.
        raise PathsError(f"{name}.{format_validation_error(error)}") from None


def _check_optimizer_name(name: str) -> None:
    if name not in OPTIMIZERS:
        raise PathsError(
            f"optimizers: unknown optimizer {name!r} (choose from {', '.join(OPTIMIZERS)})"
        )


def contour_levels(z: np.ndarray, count: int = 14) -> np.ndarray:
    """Contour levels that show both a minimum's valley and the steep walls around it.

    Geometric above the lowest value (each ring a constant factor up), as a valley spans
    decades (Rosenbrock: 0 to 2,500 on its usual view); even steps where the function has
    no floor worth a logarithm (the saddle, which falls to its corners).
    """
    finite = z[np.isfinite(z)]
    low, high = float(finite.min()), float(np.percentile(finite, 95))
    if low < 0 or high <= low:
        return np.linspace(low, float(finite.max()), count + 2)[1:-1]
    span = high - low
    return low + np.geomspace(span * 1e-3, span, count)


def contour_lines(function: TestFunction, count: int = 14, size: int = 200) -> np.ndarray:
    """The contour lines at `contour_levels` over the function's view, as one (n, 2) array.

    Lines are separated by a row of NaN, the form a plot draws as separate lines in one
    item. contourpy is the library matplotlib's own `contour` calls.
    """
    x, y, z = function.grid(size)
    generator = contourpy.contour_generator(x, y, z, line_type="ChunkCombinedNan")
    pieces = []
    for chunks in generator.multi_lines(contour_levels(z, count)):
        for points in chunks[0]:
            if points is not None and len(points):
                pieces += [points, np.full((1, 2), np.nan)]
    return np.concatenate(pieces) if pieces else np.empty((0, 2))


def schedule_for(name: str, steps: int) -> ScheduleConfig | None:
    """The schedule `name` with settings scaled to a path of `steps` steps; None: constant.

    The form's defaults count epochs of a long run (halve every 10); a path is short, so
    here step and exponential halve the rate every third of the steps, cosine and
    one-cycle span all of them, and plateau halves it after 3 steps without a lower loss.
    """
    third = max(1, steps // 3)
    try:
        if name == "constant":
            return None
        if name == "step":
            return ScheduleConfig(name="step", step_size=third, gamma=0.5)
        if name == "exponential":
            return ScheduleConfig(name="exponential", gamma=0.5 ** (1 / third))
        if name in ("cosine", "onecycle"):
            return ScheduleConfig(name=name)  # type: ignore[arg-type]
        if name == "plateau":
            return ScheduleConfig(name="plateau", gamma=0.5, patience=3)
    except ValidationError as error:
        raise PathsError(f"schedule: {format_validation_error(error)}") from None
    raise PathsError(f"schedule: unknown schedule {name!r} (choose from {', '.join(SCHEDULES)})")
