"""Evaluate a finished run on the test set, on purpose, and record it in the run store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.config import Experiment
from workbench.core.events import RunResult
from workbench.errors import UserError, first_line
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
        store.record_test(run_id, final, boundary=_tested_boundary(store, run_id, final))
        return FinalTest(final, store.test_evaluations(final.test_split))
    except Exception as error:  # disk full, database locked: keep the metrics, say why
        return FinalTest(final, 1, f"{store.path}: {first_line(error)}")


def _tested_boundary(store: RunStore, run_id: int, final: RunResult) -> dict[str, Any] | None:
    """The run's kept `decision_boundary` with its test points drawn now; None if it has none.

    The report of a run tested at its end draws its test points: one tested later draws them
    too, from the store as from the window.
    """
    from workbench.report.boundary import with_test_points

    predictions = final.predictions
    if predictions is None or predictions.inputs is None:
        return None
    entry = store.boundary(run_id)
    if entry is None:
        return None
    return with_test_points(entry, predictions.inputs, predictions.labels)


class NotEvaluableError(UserError):
    """A recorded run that cannot (or must not again) be evaluated on the test set."""


def stored_result(store: RunStore, run_id: int) -> tuple[Experiment, RunResult]:
    """A recorded run's experiment and its result as the run ended, with its kept weights.

    Raises:
        NotEvaluableError: the run is unknown, has no kept weights, or already has test
            metrics (the test set is looked at once per model; the count says so).
    """
    from workbench.core.events import EpochMetrics, RunStatus
    from workbench.runs.artifacts import ArtifactError
    from workbench.runs.store import StoreError
    from workbench.runs.trained import TrainedRunError, recorded_experiment

    label = f"run {run_id}"
    try:
        record = store.get_run(run_id)
    except StoreError as error:
        raise NotEvaluableError(str(error)) from None
    if record.test is not None:
        raise NotEvaluableError(
            f"{label} was already evaluated on the test set "
            f"(accuracy {record.test.get('accuracy', float('nan')):.4f})"
        )
    if record.status == "incomplete":
        # Its record was cut short (a full disk): the weights it kept may not be its best.
        raise NotEvaluableError(
            f"{label} is incomplete ({record.record_error or 'its record was cut short'}); "
            "train it again to test it"
        )
    if record.status not in ("completed", "early_stopped", "stopped"):
        raise NotEvaluableError(f"{label} is {record.status}: it kept no weights to test")
    try:
        experiment = recorded_experiment(record.config, label)
        weights = store.load_best_weights(run_id)
        evaluation = store.load_evaluation(run_id)
    except (TrainedRunError, StoreError, ArtifactError) as error:
        raise NotEvaluableError(first_line(error)) from None
    planned = experiment.training.epochs
    history = tuple(
        EpochMetrics(
            # The store's column is INTEGER; its history rows are typed as floats throughout.
            epoch=int(entry["epoch"]),
            epochs=planned,
            **{key: value for key, value in entry.items() if key != "epoch"},
        )
        for entry in record.history
    )
    kept = evaluation.info.get("weights") or {}
    sizes = evaluation.info.get("split_sizes")
    result = RunResult(
        status=RunStatus(record.status),
        history=history,
        best_epoch=record.best_epoch,
        test=None,
        device=str(record.environment.get("device", "cpu")),
        weights=dict(weights),
        weights_kept=kept.get("kept", "last"),
        weights_epoch=kept.get("epoch"),
        preprocessing=evaluation.preprocessing,
        dataset_name=evaluation.info.get("dataset_name"),
        split_sizes=tuple(sizes) if sizes else None,
    )
    return experiment, result


def evaluate_stored_run(store: RunStore, run_id: int) -> tuple[Experiment, FinalTest]:
    """Evaluate a recorded run's kept weights on the test set, once, and record it.

    Raises:
        NotEvaluableError: as `stored_result`, or the run's data can no longer be read.
    """
    from workbench.core.final_test import NotTestableError
    from workbench.data import DatasetError

    experiment, result = stored_result(store, run_id)
    try:
        return experiment, evaluate_and_record(experiment, result, store, run_id)
    except (NotTestableError, DatasetError, ValueError) as error:
        # The data file moved or changed since the run, or the weights no longer fit it.
        raise NotEvaluableError(f"run {run_id}: {first_line(error)}") from None
