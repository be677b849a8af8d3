"""A recorded run's diagnoses, made again from what the store keeps.

The run doctor is deterministic over the history, the probes and the experiment, so a past
run's diagnoses are not stored: they are made again, the same as when the run ended (and a
later, wiser doctor gives its better verdict on old runs too).
"""

from __future__ import annotations

import math

from workbench.config import ExperimentError, experiment_from_dict
from workbench.core.doctor import Diagnosis, diagnose
from workbench.core.doctor import report_entry as diagnosis_entry  # noqa: F401 - re-exported
from workbench.core.events import EpochMetrics, RunStatus
from workbench.core.probe_types import ProbeSnapshot
from workbench.runs.store import RunRecord, RunStore


def _nan_if_none(value: float | None) -> float:
    # The store keeps a non-finite loss as NULL; the doctor reads it as what it was.
    return math.nan if value is None else float(value)


def history_of(record: RunRecord) -> list[EpochMetrics]:
    """The record's epochs as the engine reported them."""
    planned = int((record.config.get("training") or {}).get("epochs") or len(record.history))
    return [
        EpochMetrics(
            epoch=int(row["epoch"]),
            epochs=planned,
            train_loss=_nan_if_none(row.get("train_loss")),
            train_accuracy=_nan_if_none(row.get("train_accuracy")),
            val_loss=_nan_if_none(row.get("val_loss")),
            val_accuracy=_nan_if_none(row.get("val_accuracy")),
            lr=_nan_if_none(row.get("lr")),
            seconds=_nan_if_none(row.get("seconds")),
        )
        for row in record.history
    ]


def recorded_diagnoses(
    store: RunStore,
    record: RunRecord,
    snapshots: list[ProbeSnapshot] | None = None,
    n_classes: int | None = None,
) -> list[Diagnosis]:
    """The run doctor's verdict on a recorded run ([] when its experiment no longer loads)."""
    try:
        experiment = experiment_from_dict(record.config, f"run {record.id}")
    except ExperimentError:
        return []  # a record from a version whose settings this one cannot read
    try:
        status: RunStatus | None = RunStatus(record.status)
    except ValueError:
        status = None  # running, interrupted, incomplete: judged as a run still going
    looks = 0
    if record.test is not None and record.test_split:
        looks = store.test_evaluations(record.test_split, record.id)
    return diagnose(
        experiment,
        history_of(record),
        store.probes(record.id) if snapshots is None else snapshots,
        status=status,
        test_looks=looks,
        n_classes=n_classes,
    )
