"""Evaluate a finished run on the test set, on purpose, and record it in the run store."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.config import Experiment
from workbench.core.events import RunResult
from workbench.errors import first_line
from workbench.runs.store import RunStore


@dataclass(frozen=True)
class FinalTest:
    """The run's result with its test metrics, and what the store made of it."""

    result: RunResult
    evaluations: int  # how many recorded runs have now evaluated this test set
    record_error: str | None = None


def evaluate_and_record(
    experiment: Experiment, result: RunResult, store: RunStore | None, run_id: int | None
) -> FinalTest:
    """Test the run's kept weights (`evaluate_finished_run`) and record that in the store.

    A store that cannot be written does not lose the evaluation: it is returned with the
    reason in `record_error`, and counted as one more look at the test set.
    """
    from workbench.core.final_test import evaluate_finished_run

    final = evaluate_finished_run(experiment, result)
    if store is None or run_id is None or final.test_split is None:
        return FinalTest(final, 1)
    try:
        store.record_test(run_id, final)
        return FinalTest(final, store.test_evaluations(final.test_split))
    except Exception as error:  # disk full, database locked: keep the metrics, say why
        return FinalTest(final, 1, f"{store.path}: {first_line(error)}")
