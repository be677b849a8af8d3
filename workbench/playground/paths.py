"""Optimizer paths on 2-D functions: the book's figure 6-8, made by the real torch optimizers.

A point (x, y) is a `torch.nn.Parameter` of two numbers; the function of it is the loss.
Each optimizer is built by `workbench.core.optim.build_optimizer`, the function that builds
the optimizer of every training run, from an `OptimizerConfig` (the learning rate and the
optimizer's own settings), and may follow a schedule built by the engine's `LrSchedule`, one
step being one "epoch" of one batch. So the path drawn is the path a network's weights
would take on this surface with the same settings.

Gradient noise (`noise`, seeded) is added to the exact gradient before each step: what a
mini-batch's estimate of the gradient does to the path.

The functions and their default settings are in `workbench.playground.surfaces` (no torch).
No Qt here: the window's panel (`workbench.ui.optimizer_paths_panel`) and the command line
(`workbench paths`, `workbench.playground.paths_cli`) both draw what `optimizer_paths`
returns.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from workbench.config import OptimizerConfig, ScheduleConfig
from workbench.core.optim import build_optimizer
from workbench.core.schedule import LrSchedule
from workbench.playground.surfaces import (
    BOOK_OPTIMIZERS,
    PathsError,
    TestFunction,
    get_function,
    optimizer_config,
)

MAX_STEPS = 10_000
# A path farther than this many view-sizes from the view's centre is stopped: it has left
# the picture for good (the saddle falls away for ever), and float64 overflows soon after.
ESCAPE_VIEWS = 100.0
MAX_NOISE = 1_000.0


class PathsStopped(Exception):  # noqa: N818 - named like the engine's stop, not an error
    """The stop token was set while the paths were being walked (a newer request came)."""


@dataclass(frozen=True)
class OptimizerPath:
    """One optimizer's walk: points[0] is the start, points[k] the point after step k.

    Arrays have one entry per point, `steps + 1` of them unless the path was stopped at
    `stopped_at` (it left the picture far behind or reached a non-finite value): then the
    last point is the last finite one before that step.
    """

    name: str
    config: OptimizerConfig
    points: np.ndarray  # (n, 2)
    losses: np.ndarray  # (n,) the function's value at each point
    distances: np.ndarray  # (n,) to the nearest minimum (the saddle point if none)
    rates: np.ndarray  # (n - 1,) the learning rate each step used
    stopped_at: int | None = None

    @property
    def steps_taken(self) -> int:
        return len(self.points) - 1


@dataclass(frozen=True)
class PathsResult:
    function: TestFunction
    start: tuple[float, float]
    steps: int
    noise: float
    seed: int
    schedule: ScheduleConfig | None
    paths: tuple[OptimizerPath, ...]

    def path(self, name: str) -> OptimizerPath:
        return next(path for path in self.paths if path.name == name)


def _check_start(start: Sequence[float] | None, function: TestFunction) -> tuple[float, float]:
    if start is None:
        return function.start
    try:
        x, y = (float(value) for value in start)
    except (TypeError, ValueError):
        raise PathsError("start: give two numbers, x and y") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise PathsError(f"start: must be finite, got ({x}, {y})")
    return x, y


def optimizer_paths(
    function: str = "book",
    optimizers: Sequence[str | OptimizerConfig] = BOOK_OPTIMIZERS,
    *,
    start: Sequence[float] | None = None,
    steps: int | None = None,
    noise: float = 0.0,
    seed: int = 0,
    schedule: ScheduleConfig | None = None,
    stop_token: threading.Event | None = None,
) -> PathsResult:
    """Walk each optimizer `steps` steps down `function` from `start`.

    Args:
        function: A key of `FUNCTIONS` ("book", "rosenbrock", "beale", "saddle",
            "himmelblau").
        optimizers: Names (with `default_settings`) or full configs, one path each.
        start: (x, y); the function's own start if None (the book's (-7, 2)).
        steps: 1 to MAX_STEPS; the function's own number if None (the book's 30).
        noise: Standard deviation of the Gaussian noise added to each gradient
            coordinate, as a mini-batch's estimate would be off; 0 for the exact gradient.
        seed: Seeds the noise; every optimizer gets the same draws, so they compare fairly.
        schedule: A learning-rate schedule (one step is one epoch of one batch), or None.
        stop_token: Checked every step; when set, PathsStopped is raised.

    Raises:
        PathsError: Bad input; the message starts with the field ("steps: ...").
        PathsStopped: `stop_token` was set.
    """
    surface = get_function(function)
    point = _check_start(start, surface)
    steps = surface.steps if steps is None else steps
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        raise PathsError(f"steps: must be a whole number from 1 to {MAX_STEPS}, got {steps!r}")
    if not (math.isfinite(noise) and 0.0 <= noise <= MAX_NOISE):
        raise PathsError(f"noise: must be from 0 to {MAX_NOISE:g}, got {noise!r}")
    if not optimizers:
        raise PathsError("optimizers: choose at least one")
    configs = [
        optimizer_config(item, function) if isinstance(item, str) else item for item in optimizers
    ]
    names = [config.name for config in configs]
    if len(set(names)) != len(names):
        raise PathsError("optimizers: each optimizer at most once")
    paths = tuple(
        _walk(surface, config, point, steps, noise, seed, schedule, stop_token)
        for config in configs
    )
    return PathsResult(surface, point, steps, noise, seed, schedule, paths)


def _escape_radius(surface: TestFunction) -> tuple[np.ndarray, float]:
    x_min, x_max, y_min, y_max = surface.view
    centre = np.array([(x_min + x_max) / 2, (y_min + y_max) / 2])
    return centre, ESCAPE_VIEWS * max(x_max - x_min, y_max - y_min)


def _walk(
    surface: TestFunction,
    config: OptimizerConfig,
    start: tuple[float, float],
    steps: int,
    noise: float,
    seed: int,
    schedule: ScheduleConfig | None,
    stop_token: threading.Event | None,
) -> OptimizerPath:
    # float64: the surfaces are steep (Beale's corners reach 1e5) and paths are compared to
    # a few decimals; the optimizers run the same arithmetic in either precision.
    parameter = torch.nn.Parameter(torch.tensor(start, dtype=torch.float64))
    optimizer = build_optimizer(config, [parameter])
    plan = LrSchedule(schedule, optimizer, epochs=steps, batches_per_epoch=1) if schedule else None
    generator = torch.Generator().manual_seed(seed)
    centre, radius = _escape_radius(surface)
    points, losses, rates = [np.array(start)], [], []
    stopped_at = None
    for step in range(1, steps + 1):
        if stop_token is not None and stop_token.is_set():
            raise PathsStopped
        optimizer.zero_grad()
        loss = surface(parameter[0], parameter[1])
        loss.backward()
        losses.append(float(loss.item()))
        assert parameter.grad is not None
        if noise:
            parameter.grad.add_(noise * torch.randn(2, generator=generator, dtype=torch.float64))
        if config.grad_clip > 0:  # as the training loop does
            torch.nn.utils.clip_grad_norm_([parameter], config.grad_clip)
        rates.append(float(optimizer.param_groups[0]["lr"]))
        optimizer.step()
        if plan is not None:
            plan.after_batch()
            plan.after_epoch(losses[-1])
        now = parameter.detach().numpy().copy()
        if not np.isfinite(now).all() or np.linalg.norm(now - centre) > radius:
            stopped_at = step
            rates.pop()
            break
        points.append(now)
    path = np.array(points)
    with np.errstate(over="ignore", invalid="ignore"):  # a path about to diverge overflows
        values = surface(path[:, 0], path[:, 1])
    if stopped_at is None and not np.isfinite(values[-1]):
        stopped_at = len(path) - 1
    return OptimizerPath(
        name=config.name,
        config=config,
        points=path,
        losses=values,
        distances=surface.distance(path),
        rates=np.array(rates),
        stopped_at=stopped_at,
    )


def sign_changes(values: np.ndarray) -> int:
    """How often consecutive nonzero entries of `values` differ in sign (a zig-zag count)."""
    signs = np.sign(values)
    signs = signs[signs != 0]
    return int(np.count_nonzero(signs[1:] != signs[:-1]))
