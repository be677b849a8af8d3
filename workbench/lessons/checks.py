"""A lesson's checks on the learner's own results: the numbers, and the sentence that is true.

Each check compares a measure of one variant's run with another's (times a factor) or with a
number, and picks the sentence for when it holds or when it does not, filled in with the
numbers, in the language asked for.
"""

from __future__ import annotations

import math
import operator
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from workbench.core.events import RunResult, RunStatus
from workbench.core.probe_types import ProbeSnapshot
from workbench.lessons.model import Check, Measure
from workbench.report.ranking import accuracy_at_best_epoch

_RELATIONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


@dataclass(frozen=True)
class CheckOutcome:
    """What a check found: whether it holds, its two numbers and the sentence to show."""

    holds: bool
    left: float
    right: float
    sentence: str


# A weight this small counts as switched off (the L1 lesson's sparse weights).
NEAR_ZERO = 1e-3


class _Run(Protocol):
    """A run's outcome (`workbench.runs.session.RunOutcome`): its result and its looks inside."""

    @property
    def result(self) -> RunResult: ...

    @property
    def snapshots(self) -> tuple[ProbeSnapshot, ...]: ...


@dataclass(frozen=True)
class LessonRun:
    """A variant's run with what the lesson measured after it.

    `test_evaluations`: how many recorded runs have been judged on its test set, this one
    included (None: not tested); `drawn_accuracy`: the share of the scripted drawings its
    model read right (None: not asked).
    """

    result: RunResult
    snapshots: tuple[ProbeSnapshot, ...] = ()
    test_evaluations: int | None = None
    drawn_accuracy: float | None = None


@dataclass(frozen=True)
class SearchRound:
    """A search lesson's round: its trials' best validation accuracies (None: not scored)."""

    scores: tuple[float | None, ...]


class _Path(Protocol):
    """An optimizer's walk (`workbench.playground.paths.OptimizerPath`)."""

    @property
    def points(self) -> np.ndarray: ...

    @property
    def losses(self) -> np.ndarray: ...

    @property
    def distances(self) -> np.ndarray: ...


Measured = RunResult | _Run | _Path | SearchRound


def measure(run: Measured, metric: str) -> float:
    """One number of a run (a path, a search round); NaN when it has none (no epoch, no test)."""
    if metric.startswith("path_"):
        return _of_path(run, metric)
    if metric.startswith("trials_"):
        return _of_round(run, metric)
    if metric == "drawn_accuracy":
        return _or_nan(getattr(run, "drawn_accuracy", None))
    if metric == "test_looks":
        return float(getattr(run, "test_evaluations", None) or math.nan)
    snapshots: Sequence[ProbeSnapshot] = ()
    if isinstance(run, RunResult):
        result = run
    else:
        found = getattr(run, "result", None)
        if found is None:
            return math.nan  # a path has no epochs
        result, snapshots = found, getattr(run, "snapshots", ())
    if metric.startswith("init_"):
        return _at_initialisation(snapshots, metric)
    if metric == "near_zero_weight_share":
        return _near_zero_share(result)
    if metric in ("test_accuracy", "test_loss"):
        test = result.test
        if test is None:
            return math.nan
        return float(test.accuracy if metric == "test_accuracy" else test.loss)
    history = result.history
    if metric == "diverged":
        return 1.0 if result.status == RunStatus.DIVERGED else 0.0
    if metric == "epochs_run":
        return float(len(history))
    if not history:
        return math.nan
    last = history[-1]
    values = {
        "final_train_loss": lambda: last.train_loss,
        "final_val_loss": lambda: last.val_loss,
        "final_train_accuracy": lambda: last.train_accuracy,
        "final_val_accuracy": lambda: last.val_accuracy,
        "first_train_loss": lambda: history[0].train_loss,
        "best_val_loss": lambda: min(m.val_loss for m in history),
        "best_val_accuracy": lambda: _or_nan(accuracy_at_best_epoch(history, result.best_epoch)),
        "accuracy_gap": lambda: last.train_accuracy - last.val_accuracy,
        "best_epoch": lambda: float(result.best_epoch or math.nan),
        "seconds": lambda: sum(m.seconds for m in history),
    }
    return float(values[metric]())


def _or_nan(value: float | None) -> float:
    return math.nan if value is None else value


def _at_initialisation(snapshots: Sequence[ProbeSnapshot], metric: str) -> float:
    first = next((s for s in snapshots if s.epoch == 0 and s.layers), None)
    if first is None:
        return math.nan
    last = first.layers[-1]
    value = {
        "init_saturated_share": last.saturated_share,
        "init_dead_share": last.dead_share,
        "init_activation_std": last.std,
    }[metric]
    return _or_nan(value)


def _of_path(walk: Measured, metric: str) -> float:
    points = getattr(walk, "points", None)
    if points is None:
        return math.nan  # a run has no path
    if metric == "path_y_turns":
        from workbench.playground.paths import sign_changes

        return float(sign_changes(np.diff(points[:, 1])))
    distances, losses = getattr(walk, "distances"), getattr(walk, "losses")  # noqa: B009
    value = {
        "path_distance": distances[-1],
        "path_start_distance": distances[0],
        "path_loss": losses[-1],
    }[metric]
    return float(value)


def _of_round(search_round: Measured, metric: str) -> float:
    scores = [s for s in getattr(search_round, "scores", ()) if s is not None]
    if not scores:
        return math.nan  # a run is no round; a round with no scored trial has no figure
    if metric == "trials_best_val_accuracy":
        return float(max(scores))
    if metric == "trials_worst_val_accuracy":
        return float(min(scores))
    return float(statistics.median(scores))


def _near_zero_share(result: RunResult) -> float:
    weights = [
        np.asarray(value).ravel()
        for name, value in (result.weights or {}).items()
        if name.endswith("weight") and np.asarray(value).ndim >= 2
    ]
    if not weights:
        return math.nan
    every = np.concatenate(weights)
    return float(np.mean(np.abs(every) < NEAR_ZERO))


@dataclass(frozen=True)
class Chosen:
    """The run a lesson chose and tested once (or a search's best values trained), by name."""

    run: Measured
    name: str


def _side(
    side: Measure, results: Sequence[Measured], names: Sequence[str], chosen: Chosen | None
) -> tuple[Measured | None, str]:
    """The run a check's side reads, and its name; NaN's stand-in when "chosen" is missing."""
    if side.variant == "chosen":
        return (chosen.run, chosen.name) if chosen is not None else (None, "")
    return results[side.variant], names[side.variant]


def _value(run: Measured | None, metric: str) -> float:
    return math.nan if run is None else measure(run, metric)


def evaluate(
    check: Check,
    results: Sequence[Measured],
    names: Sequence[str],
    language: str = "en",
    chosen: Chosen | None = None,
) -> CheckOutcome:
    """Whether `check` holds on the variants' runs (named `names`), and what to say.

    `results`: each variant's `RunOutcome` or `LessonRun` (or bare `RunResult`, without looks
    inside), each optimizer's `OptimizerPath` in a paths lesson, or each `SearchRound` of a
    search lesson; `chosen`: the run tested once, which the variant "chosen" reads.

    A loss that is not a number (a diverged run's) counts as infinitely large: a "greater
    than" holds, a "less than" does not. Any other measure a run lacks (no look inside, no
    epoch) makes the check not hold: nothing is claimed without its number.
    """
    left_run, left_name = _side(check.left, results, names, chosen)
    left = _value(left_run, check.left.metric)
    if check.right is not None:
        right_run, right_name = _side(check.right, results, names, chosen)
        right = _value(right_run, check.right.metric)
    else:
        right = float(check.value if check.value is not None else math.nan)
        right_name = ""
    compare = _RELATIONS[check.relation]
    compared = _as_compared(left, check.left.metric)
    against = _as_compared(right, right_metric := _right_metric(check))
    if math.isnan(compared) or math.isnan(against):
        holds = False
    else:
        holds = bool(compare(compared, check.factor * against))
    template = (check.holds if holds else check.fails).in_language(language)
    ratio = left / right if right != 0.0 and math.isfinite(right) else math.nan
    sentence = template.format(
        left=_number(left, check.left.metric),
        right=_number(right, right_metric),
        ratio=_number(ratio, "ratio"),
        left_name=left_name,
        right_name=right_name,
    )
    return CheckOutcome(holds, left, right, sentence)


def _right_metric(check: Check) -> str:
    # A right side given as a number is of the left's kind (an accuracy, a loss).
    return check.right.metric if check.right is not None else check.left.metric


def _as_compared(value: float, metric: str) -> float:
    """A diverged run's NaN loss as +inf, the size it was heading for; other values as they are."""
    return math.inf if math.isnan(value) and "loss" in metric else value


# Shown as percentages: accuracies, and the gap between two of them.
_SHARES = {
    "final_train_accuracy",
    "final_val_accuracy",
    "best_val_accuracy",
    "accuracy_gap",
    "init_saturated_share",
    "init_dead_share",
    "near_zero_weight_share",
    "test_accuracy",
    "drawn_accuracy",
    "trials_best_val_accuracy",
    "trials_median_val_accuracy",
    "trials_worst_val_accuracy",
}


def _number(value: float, metric: str) -> str:
    if math.isnan(value):
        return "–"
    if math.isinf(value):
        return "∞"
    if metric in _SHARES:
        return f"{value:.1%}"
    if metric in ("epochs_run", "best_epoch", "path_y_turns", "test_looks"):
        return f"{value:.0f}"
    return f"{value:.3g}"
