"""A search's trials as a table: from the Optuna study or the run store, sorted, and written.

Both sources give the same `TrialResult` rows. The study holds every trial of every machine
that joined it; the run store holds this machine's trials with their epoch-by-epoch histories
and can be read at any time while the search runs (the window's table and learning curves).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.atomic import atomic_write_text
from workbench.search.space import read_value

if TYPE_CHECKING:
    import optuna

    from workbench.runs.store import RunStore
    from workbench.search.spec import SearchSpec

# Statuses whose best value is a finished trial's score (the others stopped before the end).
SCORED_STATUSES = ("completed", "early_stopped")


@dataclass(frozen=True)
class TrialResult:
    """One trial: its values, how it ended, and its best validation metric and epoch."""

    number: int  # Optuna's trial number, unique within the study
    values: dict[str, Any]  # dotted setting path -> value
    # A run status (completed, early_stopped, pruned, diverged, failed, stopped) or, while
    # it trains, "running".
    status: str
    best_value: float | None  # the best validation metric over its epochs
    best_epoch: int | None
    run_id: int | None = None  # in the run store of the machine that ran it
    error: str | None = None
    epochs_run: int = 0
    seconds: float | None = None
    host: str | None = None
    history: tuple[dict[str, float], ...] = field(default=(), compare=False, repr=False)

    @property
    def scored(self) -> bool:
        """Ran to its end (all epochs or early stopping) with a finite score."""
        return self.status in SCORED_STATUSES and self.best_value is not None

    def as_row(self) -> dict[str, Any]:
        """The trial as plain data for search.json (no history)."""
        row = asdict(self)
        row.pop("history")
        return row


def best_of(history: Iterable[Any], metric: str) -> tuple[float | None, int | None]:
    """(best value, its epoch) of `metric` over a history of EpochMetrics or dicts.

    NaN and infinite values (a diverging run) are skipped; the earliest of equal bests wins.
    """
    maximize = metric == "val_accuracy"
    best: tuple[float | None, int | None] = (None, None)
    for entry in history:
        value = entry[metric] if isinstance(entry, Mapping) else getattr(entry, metric)
        epoch = entry["epoch"] if isinstance(entry, Mapping) else entry.epoch
        if value is None or not math.isfinite(value):
            continue
        if best[0] is None or (value > best[0] if maximize else value < best[0]):
            best = (float(value), int(epoch))
    return best


def sort_trials(trials: Iterable[TrialResult], metric: str) -> list[TrialResult]:
    """Best first by the metric; trials with no value last, by number."""
    sign = -1.0 if metric == "val_accuracy" else 1.0
    return sorted(
        trials,
        key=lambda t: (
            t.best_value is None,
            sign * t.best_value if t.best_value is not None else 0.0,
            t.number,
        ),
    )


def best_trial(trials: Iterable[TrialResult], metric: str) -> TrialResult | None:
    """The best trial that ran to its end (pruned, failed and stopped ones are not winners)."""
    scored = [t for t in trials if t.scored]
    return sort_trials(scored, metric)[0] if scored else None


def results_from_study(study: optuna.Study) -> list[TrialResult]:
    """Every trial of the study that started (queued ones are left out), by number."""
    from optuna.trial import TrialState

    from workbench.search.study import retried

    trials = study.get_trials(deepcopy=False)
    requeued = retried(trials)
    results = []
    for trial in trials:
        if trial.state == TrialState.WAITING:
            continue
        attrs = trial.user_attrs
        if "status" in attrs:
            status = attrs["status"]
        elif trial.state == TrialState.RUNNING:
            status = "running"
        elif trial.number in requeued:
            status = "interrupted"  # its process died mid-trial; its values ran again
        else:
            status = trial.state.name.lower()
        results.append(
            TrialResult(
                number=trial.number,
                values=dict(trial.params),
                status=status,
                best_value=attrs.get("best_value"),
                best_epoch=attrs.get("best_epoch"),
                run_id=attrs.get("run_id"),
                error=attrs.get("error"),
                epochs_run=attrs.get("epochs_run", 0),
                seconds=attrs.get("seconds"),
                host=attrs.get("host"),
            )
        )
    return results


def results_from_store(store: RunStore, search_id: int, spec: SearchSpec) -> list[TrialResult]:
    """This machine's trials of a search, read from the run store (safe while it runs).

    Each carries its epoch history, for the learning curves of the best trials. A trial whose
    values the experiment refused never became a run, so it is only in the study.
    """
    metric = spec.search.metric
    results = []
    for run in store.search_runs(search_id, with_history=True):
        value, epoch = best_of(run.history, metric)
        seconds = None if run.finished is None else run.finished - run.created
        results.append(
            TrialResult(
                number=run.trial if run.trial is not None else -1,
                values={path: read_value(run.config, path) for path in spec.paths},
                status=run.status,
                best_value=value,
                best_epoch=epoch,
                run_id=run.id,
                error=run.error,
                epochs_run=run.epochs_run,
                seconds=seconds,
                history=run.history,
            )
        )
    return results


def _cell(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return "" if value is None else value


def trials_csv(trials: Sequence[TrialResult], paths: Sequence[str], metric: str) -> str:
    """The results table as CSV text, one row per trial, best first."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(
        ["trial", "status", f"best_{metric}", "best_epoch", "epochs_run", "run_id", *paths]
        + ["seconds", "host", "error"]
    )
    for trial in sort_trials(trials, metric):
        writer.writerow(
            [
                _cell(v)
                for v in (
                    trial.number,
                    trial.status,
                    trial.best_value,
                    trial.best_epoch,
                    trial.epochs_run,
                    trial.run_id,
                    *(trial.values.get(path) for path in paths),
                    None if trial.seconds is None else round(trial.seconds, 3),
                    trial.host,
                    trial.error,
                )
            ]
        )
    return buffer.getvalue()


def search_summary(
    spec: SearchSpec,
    trials: Sequence[TrialResult],
    *,
    study: str,
    storage: str,
    done: int,
    search_id: int | None = None,
) -> dict[str, Any]:
    """What search.json holds: the search, its best trial and every trial, best first."""
    metric = spec.search.metric
    best = best_trial(trials, metric)
    return {
        "name": spec.name,
        "study": study,
        "storage": storage,
        "search_id": search_id,
        "strategy": spec.search.strategy,
        "metric": metric,
        "direction": "maximize" if spec.search.maximize else "minimize",
        "trials_planned": spec.planned_trials(),
        "trials_done": done,
        "space": {path: param.to_file() for path, param in spec.search.space.items()},
        "best": best.as_row() if best is not None else None,
        "trials": [trial.as_row() for trial in sort_trials(trials, metric)],
    }


def write_results(
    folder: str | Path,
    spec: SearchSpec,
    trials: Sequence[TrialResult],
    *,
    study: str,
    storage: str,
    done: int,
    search_id: int | None = None,
) -> list[Path]:
    """Write `folder/trials.csv` and `folder/search.json` (each atomically); returns them."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    summary = search_summary(
        spec, trials, study=study, storage=storage, done=done, search_id=search_id
    )
    text = json.dumps(_json_safe(summary), indent=2, allow_nan=False)
    return [
        atomic_write_text(
            folder / "trials.csv", trials_csv(trials, spec.paths, spec.search.metric)
        ),
        atomic_write_text(folder / "search.json", text + "\n"),
    ]


def _json_safe(value: Any) -> Any:
    # JSON has no NaN or Infinity: such values are written as null.
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
