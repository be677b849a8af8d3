"""The learning-rate range test (Smith 2015/2017; fastai's `lr_find`): a short sweep on a copy.

A copy of the model trains for a hundred or so mini-batches while the learning rate grows
exponentially, from far too small (1e-7: the loss does not move) to far too large (10: it
explodes). The loss against the rate, on a log axis, falls, flattens and then shoots up; a
good rate lies on the way down. The sweep stops once the smoothed loss is 4 times its best.

Everything is the engine's own: the data is loaded and split as `fit` does it (the test part
sealed, see core/holdout.py: the sweep can never read it), the model and optimizer come from
`build_model` and `build_optimizer` with the experiment's seed, batches are gathered and
normalised by `NormalisedRows` (augmented as in training), and L1 and gradient clipping apply
as they would in the run. What it trains is a copy: the experiment, a model or an optimizer
handed in, and the caller's random state are as they were afterwards.

The experiment's own schedule is not used (the sweep is the schedule), nor the validation
part: as in fastai and Smith's paper, the curve is the training loss, one mini-batch a point.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
import torch
from torch import nn
from torch.optim.lr_scheduler import ExponentialLR

from workbench.config import Experiment
from workbench.core.augment import ImageAugmentation
from workbench.core.checks import check_augmentable
from workbench.core.device import resolve_device
from workbench.core.engine import batch_starts, load_and_split
from workbench.core.holdout import seal_test_split
from workbench.core.optim import build_optimizer, l1_parameters, l1_penalty
from workbench.core.rows import NormalisedRows, device_tensor
from workbench.i18n import _
from workbench.models import build_model

# fastai's defaults: 1e-7 to 10 in 100 steps. More steps give a smoother curve at the cost of
# time; the dialog and the command line let the learner choose.
DEFAULT_START = 1e-7
DEFAULT_END = 10.0
DEFAULT_STEPS = 100
MIN_STEPS, MAX_STEPS = 10, 10_000
# The batch losses are smoothed as fastai's AvgSmoothLoss does: an exponential moving average
# with bias correction (divided by 1 - beta^n, so the first points are not pulled towards 0).
# fastai's beta is 0.98 whatever the sweep: over its 100 steps across 8 decades the average
# then reaches back ~50 steps, 4 decades, and the smoothed curve visibly trails the batch
# losses by a decade (measured on digits: lowest at 0.3 where the batch losses are at 0.1).
# Here the average reaches back the same share of a decade whatever the steps: 0.8 of a
# decade, beta = 1 - 1 / (0.8 x steps per decade): 0.9 at 100 steps, 0.97 at 300.
SMOOTHING_DECADES = 0.8
SMOOTHING_RANGE = (0.5, 0.98)
# The sweep stops once the smoothed loss is this many times its lowest: it has exploded, and
# what follows is noise (fastai and Smith use 4).
EXPLODED_FACTOR = 4.0
# Left out of the suggestion, as in fastai: the first tenth of the planned steps (the average
# is still warming up) and the last 5 points (the explosion, smeared by the average's lag).
_SKIP_END = 5
# Fewer points than this left for the suggestion: the curve has no valley to speak of.
_MIN_POINTS = 5

# How the suggestion is chosen, of fastai's rules (see `RULES`): a tenth of the rate at which
# the smoothed loss is lowest (Smith's advice, fastai's `lr_min / 10`). At the lowest point the
# loss is about to explode; a decade lower it still falls fast. Measured against real runs
# over a half-decade grid (tests/benchmarks/lr_find_quality.py; the README has the table): on
# the digits MLP it trained 0.1, 0.7 and 0.3 accuracy points below the best grid rate with
# Adam, SGD and Momentum, where fastai's newer default "valley" was 1.2, 4.4 and 1.9 points
# below (it suggests 6-40x below the best rate), and "steepest", close on digits, moved 4.5-6x
# between seeds and step counts and was 16 points below on overlapping MNIST-shaped classes.
# Its weak case: there "minimum/10" was 5 points below (valley 1.2): no rule wins everywhere,
# so the window and the command line show the other two beside it.
METHOD = "minimum/10"
METHOD_TEXT = "minimum/10: a tenth of the rate at which the smoothed loss is lowest"


class StopToken(Protocol):
    """An object whose `is_set()` says "stop now" (a `threading.Event`, a job's token)."""

    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class LrFindProgress:
    """The sweep so far, sent to `progress` at most every `progress_interval_s` and at its end.

    Cumulative (every point up to `step`), so a receiver just redraws what it is given.
    """

    step: int
    steps: int
    rates: tuple[float, ...]
    losses: tuple[float, ...]
    smoothed: tuple[float, ...]


@dataclass(frozen=True)
class LrFindResult:
    """The sweep's points, the suggested rate and why the sweep ended.

    `ended`: "exploded" (the smoothed loss passed 4x its best, or a loss was NaN or
    infinite), "completed" (the last rate was reached first) or "stopped" (the stop token).
    `suggestion` is None when there is none to make (see `note`); `suggestion_index` is the
    point nearest it (for a marker on the curve) and `lowest_index` the point at which the
    smoothed loss was lowest. `others` holds fastai's other rules' rates, for comparison:
    (("valley", rate), ("steepest", rate)).
    """

    rates: tuple[float, ...]
    losses: tuple[float, ...]
    smoothed: tuple[float, ...]
    suggestion: float | None
    suggestion_index: int | None
    method: str
    ended: str
    steps: int
    device: str
    others: tuple[tuple[str, float], ...] = ()
    lowest_index: int | None = None
    note: str = ""

    @property
    def lowest_rate(self) -> float | None:
        """The rate at which the smoothed loss was lowest, to two digits."""
        return None if self.lowest_index is None else _rounded(self.rates[self.lowest_index])

    def describe(self) -> str:
        """One line: the suggested rate and how it was chosen, or why there is none."""
        if self.suggestion is None:
            return _("no suggestion: {note}").format(note=self.note)
        return _(
            "suggested learning rate: {rate:.2g} (minimum/10: a tenth of the rate at which "
            "the smoothed loss is lowest)"
        ).format(rate=self.suggestion)


def check_sweep(steps: int, start: float, end: float) -> None:
    """Raise `ValueError` naming the setting ("steps: ...") when a sweep cannot be made."""
    # The setting's name stays as it is written ("--steps" on the command line).
    if not MIN_STEPS <= steps <= MAX_STEPS:
        raise ValueError(
            "steps: "
            + _("{steps} is not between {low} and {high}").format(
                steps=steps, low=MIN_STEPS, high=MAX_STEPS
            )
        )
    if not (math.isfinite(start) and start > 0):
        raise ValueError(
            "start: " + _("{start:g} must be a rate greater than 0").format(start=start)
        )
    if not (math.isfinite(end) and end > start):
        raise ValueError(
            "end: "
            + _("{end:g} must be greater than start ({start:g})").format(end=end, start=start)
        )


def find_learning_rate(
    experiment: Experiment,
    *,
    steps: int = DEFAULT_STEPS,
    start: float = DEFAULT_START,
    end: float = DEFAULT_END,
    model: nn.Module | None = None,
    optimizer: torch.optim.Optimizer | None = None,
    progress: Callable[[LrFindProgress], None] | None = None,
    stop_token: StopToken | None = None,
    progress_interval_s: float = 0.05,
) -> LrFindResult:
    """Sweep the learning rate from `start` to `end` over `steps` mini-batches on a copy.

    Args:
        experiment: Its data, model, optimizer (kind and settings but the rate), batch size,
            seed and device are the sweep's.
        steps: Mini-batches (the data is gone through again when it has fewer).
        start: The first rate; each step multiplies it by the same factor.
        end: The rate of the last step.
        model: A model to sweep from instead of the experiment's freshly built one (a trained
            one, say); it is copied, never trained.
        optimizer: That model's optimizer, whose state (momentum, Adam's averages) the sweep
            starts from; copied too.
        progress: Called in the sweeping thread with the points so far.
        stop_token: Checked before every step; once set, the sweep ends as "stopped".
        progress_interval_s: The shortest time between two `progress` calls.

    Raises:
        ValueError: A bad `steps`, `start` or `end` (the message names it).
        ExperimentError: What loading the data, building the model or choosing the device
            raises (DatasetError, ModelShapeError, a missing device).
    """
    check_sweep(steps, start, end)
    device = resolve_device(experiment.training.device)
    forked = [device.index or 0] if device.type == "cuda" else []
    # The sweep draws weights, batch orders and dropout masks from torch's generators: the
    # caller's random state is set back afterwards.
    with torch.random.fork_rng(devices=forked):
        # The engine's order (seed, load and split, build), so the model is the one a run of
        # this experiment starts from.
        torch.manual_seed(experiment.seed)
        dataset, split = load_and_split(experiment)
        split = seal_test_split(split)
        if model is None:
            net: nn.Module = build_model(
                experiment.model, dataset.n_features, dataset.n_classes, dataset.image_shape
            )
        else:
            net = copy.deepcopy(model)
        net = net.to(device)
        sweep = build_optimizer(experiment.optimizer, net.parameters())
        if optimizer is not None:
            # `load_state_dict` keeps the very tensors it is given where device and dtype
            # already match: a deep copy, so stepping the sweep's optimizer leaves them alone.
            sweep.load_state_dict(copy.deepcopy(optimizer.state_dict()))
        check_augmentable(experiment, dataset)
        augmentation = (
            ImageAugmentation(experiment.augmentation, dataset.image_shape, experiment.seed)
            if experiment.augmentation.enabled and dataset.image_shape is not None
            else None
        )
        features = device_tensor(split.features, device)
        x = NormalisedRows(features, split.train_rows, split.preprocessing, augmentation)
        y = device_tensor(split.y_train, device)
        rates, losses, smoothed, ended = _sweep(
            experiment,
            net,
            sweep,
            x,
            y,
            steps,
            start,
            end,
            progress,
            stop_token,
            progress_interval_s,
        )
    return _result(rates, losses, smoothed, ended, steps, str(device))


def _sweep(
    experiment: Experiment,
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    x: NormalisedRows,
    y: torch.Tensor,
    steps: int,
    start: float,
    end: float,
    progress: Callable[[LrFindProgress], None] | None,
    stop_token: StopToken | None,
    progress_interval_s: float,
) -> tuple[list[float], list[float], list[float], str]:
    options = experiment.optimizer
    for group in optimizer.param_groups:
        group["lr"] = start
    # lr_i = start * gamma^i reaches `end` exactly at the last step.
    scheduler = ExponentialLR(optimizer, gamma=(end / start) ** (1.0 / (steps - 1)))
    loss_fn = nn.CrossEntropyLoss()
    l1_weights = l1_parameters(model) if options.l1 > 0 else []
    batches = _batches(x, y, experiment.training.batch_size, experiment.seed)
    rates: list[float] = []
    losses: list[float] = []
    smoothed: list[float] = []
    beta = smoothing(steps, start, end)
    average, best, ended = 0.0, math.inf, "completed"
    last_report = time.monotonic()
    model.train()
    for step in range(1, steps + 1):
        if stop_token is not None and stop_token.is_set():
            ended = "stopped"
            break
        xb, yb = next(batches)
        rate = float(optimizer.param_groups[0]["lr"])
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        objective = loss + options.l1 * l1_penalty(l1_weights) if l1_weights else loss
        objective.backward()
        if options.grad_clip > 0:
            nn.utils.clip_grad_norm_(model.parameters(), options.grad_clip)
        optimizer.step()
        scheduler.step()
        value = float(loss.item())  # one sync a step: the stop rule needs the number now
        average = beta * average + (1 - beta) * value
        smooth = average / (1 - beta**step)
        rates.append(rate)
        losses.append(value)
        smoothed.append(smooth)
        best = min(best, smooth)
        if not math.isfinite(smooth) or smooth > EXPLODED_FACTOR * best:
            ended = "exploded"
        now = time.monotonic()
        finished = ended == "exploded" or step == steps
        if progress is not None and (finished or now - last_report >= progress_interval_s):
            last_report = now
            progress(LrFindProgress(step, steps, tuple(rates), tuple(losses), tuple(smoothed)))
        if ended == "exploded":
            break
    return rates, losses, smoothed, ended


def smoothing(steps: int, start: float, end: float) -> float:
    """The moving average's beta for a sweep: it reaches back `SMOOTHING_DECADES` of rate."""
    per_decade = (steps - 1) / math.log10(end / start)
    low, high = SMOOTHING_RANGE
    return min(high, max(low, 1 - 1 / (SMOOTHING_DECADES * per_decade)))


def _batches(x: NormalisedRows, y: torch.Tensor, batch_size: int, seed: int):
    """Mini-batches as the engine takes them (shuffled each epoch, its own generator), forever."""
    shuffle = torch.Generator().manual_seed(seed)
    n = len(x)
    while True:
        order = torch.randperm(n, generator=shuffle).to(y.device)
        for first in batch_starts(n, batch_size):
            index = order[first : first + batch_size]
            yield x[index], y[index]


def _result(
    rates: list[float],
    losses: list[float],
    smoothed: list[float],
    ended: str,
    steps: int,
    device: str,
) -> LrFindResult:
    bare = LrFindResult(
        rates=tuple(rates),
        losses=tuple(losses),
        smoothed=tuple(smoothed),
        suggestion=None,
        suggestion_index=None,
        method=METHOD,
        ended=ended,
        steps=steps,
        device=device,
    )
    if ended == "stopped":
        note = _("the sweep was stopped after {done} of {steps} steps").format(
            done=len(rates), steps=steps
        )
        return replace(bare, note=note)
    first, last = _usable(smoothed, steps)
    if last - first < _MIN_POINTS:
        note = _("{done} steps are too few to suggest from: take more steps").format(
            done=len(rates)
        )
        if ended == "exploded":
            note = _(
                "the loss exploded after {done} steps, at a rate of {rate:.2g}: "
                "start lower or take more steps"
            ).format(done=len(rates), rate=rates[-1])
        return replace(bare, note=note)
    window_rates = np.asarray(rates[first:last])
    window_losses = np.asarray(smoothed[first:last])
    suggested = {name: _rounded(rule(window_rates, window_losses)) for name, rule in RULES.items()}
    suggestion = suggested.pop(METHOD)
    # The point nearest the suggestion on the log axis, for a marker on the curve.
    index = int(np.argmin(np.abs(np.log(np.asarray(rates)) - math.log(suggestion))))
    note = ""
    if ended == "completed":
        note = _("the loss had not exploded by {rate:.2g}: a larger end rate shows more").format(
            rate=rates[-1]
        )
    return replace(
        bare,
        suggestion=suggestion,
        suggestion_index=index,
        others=tuple(suggested.items()),
        lowest_index=first + int(np.argmin(window_losses)),
        note=note,
    )


def _usable(smoothed: Sequence[float], steps: int) -> tuple[int, int]:
    """The range of points a suggestion may come from: fastai's [steps // 10, -5), finite."""
    last = len(smoothed) - _SKIP_END
    finite = np.isfinite(np.asarray(smoothed, dtype=float))
    if not finite.all():
        last = min(last, int(np.argmin(finite)))
    return steps // 10, last


def loss_view(losses: Sequence[float], smoothed: Sequence[float]) -> tuple[float, float] | None:
    """The loss range a plot of the sweep shows: every loss, up to 4x the lowest smoothed one.

    The explosion's batch losses (thousands, or infinite) would squash the rest of the curve
    into a line, so the top is at most where the sweep stops (4x the lowest smoothed loss),
    yet never below the first losses. None before there is a finite point.
    """
    finite = [value for value in smoothed if math.isfinite(value)]
    if not finite:
        return None
    every = finite + [value for value in losses if math.isfinite(value)]
    low = min(every)
    high = max(finite[0], min(max(every), EXPLODED_FACTOR * min(finite)))
    margin = (high - low) or abs(high) or 1.0
    return low - 0.05 * margin, high + 0.1 * margin


def _rounded(rate: float) -> float:
    # Two significant digits: 100 steps over 8 decades are a factor of 1.2 apart, so a third
    # digit is noise, and 0.0023 reads better in the form than 0.002297.
    return float(f"{rate:.2g}")


def minimum_tenth(rates: np.ndarray, losses: np.ndarray) -> float:
    """A tenth of the rate at which the loss is lowest (fastai's `minimum`, Smith's advice)."""
    return float(rates[np.argmin(losses)]) / 10


def valley_rate(rates: np.ndarray, losses: np.ndarray) -> float:
    """The rate in the middle of the longest valley (fastai's `valley`)."""
    return float(rates[valley(losses)])


def steepest_rate(rates: np.ndarray, losses: np.ndarray) -> float:
    """The rate at which the loss falls fastest per decade (fastai's `steep`)."""
    return float(rates[steepest(rates, losses)])


def valley(losses: np.ndarray) -> int:
    """Index of the middle of the longest valley: fastai's `valley` (from ESRI's arcgis).

    The longest run of ever-lower losses (a longest decreasing subsequence, its points not
    necessarily adjacent) ends at `end`; the valley is taken as the `length` points before
    it, and the suggestion halfway through (fastai's `start + int(s) + int(s / 2)`, s a
    third of the length).
    """
    # longest[i]: the length of the longest decreasing run of losses ending at point i. One
    # NumPy comparison per point instead of fastai's double loop in Python.
    n = len(losses)
    longest = np.ones(n, dtype=np.int64)
    for i in range(1, n):
        higher = losses[:i] > losses[i]
        if higher.any():
            longest[i] = longest[:i][higher].max() + 1
    end = int(np.argmax(longest))  # the first of the longest, as fastai's strict comparison
    start = end - int(longest[end])
    third = (end - start) / 3
    return max(0, start + int(third) + int(third / 2))


def steepest(rates: np.ndarray, losses: np.ndarray) -> int:
    """Index where the loss falls fastest per decade of rate (fastai's `steep`)."""
    slopes = np.diff(losses) / np.diff(np.log(rates))
    return int(np.argmin(slopes))


# fastai's suggestion rules by name, each (rates, smoothed losses) -> rate; `METHOD` chooses.
RULES = {"minimum/10": minimum_tenth, "valley": valley_rate, "steepest": steepest_rate}
