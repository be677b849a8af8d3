"""One run of an experiment, start to end: train, record, count the test's looks.

The one place that sequence is written. The command line's `run` and `compare`, the window
(through its worker) and the search's trials all call `train_and_record`; the report is then
`report_of` the outcome, so a run made anywhere is recorded and reported the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.config import Experiment
from workbench.core.events import Callback, RunResult
from workbench.runs.recorder import RunRecorder
from workbench.runs.store import RunStore

if TYPE_CHECKING:
    from workbench.core.engine import StopToken


@dataclass(frozen=True)
class RunOutcome:
    """How a run ended and where it was recorded."""

    result: RunResult
    run_id: int | None  # None when there is no store, or it could not record the run
    record_error: str | None  # why the record is incomplete or missing; None when whole
    # Times this test set had been evaluated up to and including this run (None: not tested).
    test_evaluations: int | None


def train_and_record(
    experiment: Experiment,
    store: RunStore | None,
    callbacks: Sequence[Callback] = (),
    stop_token: StopToken | None = None,
    *,
    evaluate_test: bool = True,
    search_id: int | None = None,
    trial: int | None = None,
    settle: Callable[[RunResult], RunResult] | None = None,
) -> RunOutcome:
    """Train `experiment`, recording it into `store` (if any) as it goes.

    Args:
        experiment: What to train.
        store: Where to record it; None trains without a record.
        callbacks: Follow the run after the recorder, so an epoch they show is on disk.
        stop_token: Set to stop the run after the current batch (the user's Stop).
        evaluate_test: A final run, tested once at its end; exploring runs are not.
        search_id: The search a trial's run belongs to.
        trial: The trial's number in that search.
        settle: Rewrites the result before it is recorded (a search names a run its pruner
            stopped `pruned`).
    """
    # Imported here: the engine imports torch, which the callers' start-up should not wait for.
    from workbench.core.engine import fit

    recorder = (
        RunRecorder(store, experiment, search_id=search_id, trial=trial)
        if store is not None
        else None
    )
    everyone = ([recorder] if recorder is not None else []) + list(callbacks)
    result = fit(experiment, everyone, stop_token, evaluate_test=evaluate_test)
    if settle is not None:
        result = settle(result)
    if recorder is None:
        return RunOutcome(result, None, None, None)
    recorder.finish(result)
    # An incomplete record is still a run of the store (listed `incomplete`): it is named.
    run_id = recorder.run_id
    count = None
    if store is not None and run_id is not None and result.test_split and result.test:
        count = store.test_evaluations(result.test_split, run_id)
    return RunOutcome(result, run_id, recorder.error, count)


def report_of(experiment: Experiment, outcome: RunOutcome) -> dict[str, Any]:
    """The run's report (report.json's content), with its record and the test's looks."""
    from workbench.report import build_report

    return build_report(
        experiment,
        outcome.result,
        run_id=outcome.run_id,
        test_evaluations=outcome.test_evaluations,
    )
