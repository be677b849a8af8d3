"""The one meaning of a run's "best validation accuracy", and which runs have the most of it.

The number is the validation accuracy at the run's best epoch: the epoch the early-stopping
monitor chose (the lowest validation loss by default, the highest validation accuracy when
the monitor is `val_accuracy`). That is the epoch whose weights "restore best" keeps and
tests, so the number describes the model the run actually delivers. The highest accuracy
over all epochs would credit a run for an epoch whose weights it never kept.

The run store's `best_val_accuracy` is this number (written whenever the monitor finds a new
best); a report or a history is scored the same way here. Every place that shows it (the
Runs tab, `workbench runs list`, the comparison report, the window's status bar) takes its
label from `LABEL` and its value from this module. No Qt here.

`LABEL`, `DEFINITION` and `describe_best` are the engine's (gettext domain `workbench`), for
the command line: `_(LABEL)` in the current language. The reports say them in their own
domain (workbench/report/html_report.py's BEST_LABEL and BEST_DEFINITION, kept equal).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Generic, NamedTuple, TypeVar

from workbench import i18n
from workbench.i18n import N_, _

T = TypeVar("T")

# Accuracies are shown as fractions with 4 decimals (or percentages with 2): two runs whose
# values agree to that precision are a tie, since nobody can see them differ.
DISPLAY_DIGITS = 4
LABEL = N_("val. accuracy at best epoch")
DEFINITION = N_(
    "validation accuracy at the best epoch: the epoch the early-stopping monitor chose "
    "(lowest validation loss by default), whose weights 'restore best' keeps and tests"
)


def _get(entry: Any, key: str) -> Any:
    return entry.get(key) if isinstance(entry, Mapping) else getattr(entry, key, None)


def _usable(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def accuracy_at_best_epoch(history: Iterable[Any], best_epoch: int | None) -> float | None:
    """The validation accuracy of epoch `best_epoch` in a history; None when there is none.

    Args:
        history: EpochMetrics or dicts with `epoch` and `val_accuracy` (a report's history).
        best_epoch: The monitor's best epoch (1-based), or None when no epoch was best.

    Returns:
        That epoch's validation accuracy, or None (no best epoch, not in the history, or not
        finite).
    """
    if best_epoch is None:
        return None
    for entry in history:
        if _get(entry, "epoch") == best_epoch:
            return _usable(_get(entry, "val_accuracy"))
    return None


def score(run: Any) -> tuple[float | None, int | None]:
    """(val. accuracy at best epoch, best epoch) of a RunRecord, RunResult or report dict."""
    best_epoch = _get(run, "best_epoch")
    history = _get(run, "history") or ()
    value = accuracy_at_best_epoch(history, best_epoch)
    if value is None:
        # A RunRecord listed without its history: the store wrote this very number.
        value = _usable(_get(run, "best_val_accuracy"))
    return value, best_epoch


class Best(NamedTuple, Generic[T]):
    """The runs with the highest val. accuracy at best epoch: one, or all that tie."""

    winners: list[T]  # empty when no run has a value
    value: float | None
    definition: str

    @property
    def tie(self) -> bool:
        return len(self.winners) > 1


def same_when_shown(a: float, b: float) -> bool:
    """Whether two accuracies read the same at the displayed precision."""
    return round(a, DISPLAY_DIGITS) == round(b, DISPLAY_DIGITS)


def best_among(scored: Iterable[tuple[T, float | None]]) -> Best[T]:
    """The items with the highest value, all of them when several tie (in the given order).

    Args:
        scored: (item, value) pairs; items with no value take no part.

    Returns:
        The winners, the value, and the definition of the value.
    """
    candidates = [
        (item, usable) for item, value in scored if (usable := _usable(value)) is not None
    ]
    if not candidates:
        return Best([], None, DEFINITION)
    top = max(value for _, value in candidates)
    winners = [item for item, value in candidates if same_when_shown(value, top)]
    return Best(winners, top, DEFINITION)


def best_of(runs: Sequence[T]) -> Best[T]:
    """The runs (RunRecords, RunResults or report dicts) with the highest score, ties kept."""
    return best_among((run, score(run)[0]) for run in runs)


def describe_best(names: Sequence[str], value: float | None) -> str:
    """One line for the command line: the winner, or "tie between A and B".

    In the engine's current language (`workbench.i18n`); a report has its own sentence.

    Args:
        names: The winners' names, as `best_of` found them.
        value: Their value.

    Returns:
        "best on validation data (val. accuracy at best epoch): A (0.9722)", or
        "... : tie between A and B (0.9722)", or a line saying no run has a value.
    """
    label = _(LABEL)
    if not names or value is None:
        return _("best on validation data ({label}): no run has one").format(label=label)
    shown = f"{value:.{DISPLAY_DIGITS}f}"
    if len(names) == 1:
        return _("best on validation data ({label}): {name} ({value})").format(
            label=label, name=names[0], value=shown
        )
    listed = join_names(names) if i18n.language() == i18n.ENGLISH else "、".join(names)
    return _("best on validation data ({label}): tie between {names} ({value})").format(
        label=label, names=listed, value=shown
    )


def join_names(names: Sequence[str]) -> str:
    """Names as an English sentence lists them: A; A and B; A, B and C."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
