"""The lines a search prints for its trials, shared by a search and a watcher of one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.i18n import _

if TYPE_CHECKING:
    from workbench.search.results import TrialResult


def progress_bar(done: int, total: int, width: int = 20) -> str:
    """`[#######.............]`: one line per finished trial, so it works in logs and pipes."""
    filled = round(width * done / total) if total else width
    return "[" + "#" * filled + "." * (width - filled) + "]"


def value_text(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def trial_values(trial: TrialResult) -> str:
    return "  ".join(f"{path}={value_text(value)}" for path, value in trial.values.items())


def trial_score(trial: TrialResult | None, metric: str) -> str:
    if trial is None or trial.best_value is None:
        return f"{metric} –"
    return _("{metric} {value:.4f} (epoch {epoch})").format(
        metric=metric, value=trial.best_value, epoch=trial.best_epoch
    )
