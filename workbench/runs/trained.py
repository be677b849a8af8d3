"""A finished run, opened for a report or for predictions: from the run store or a folder.

`workbench report RUN` and `workbench predict RUN` take RUN as a run id from the store or a
folder written by `workbench run --out`; both become the same `TrainedRun`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from safetensors import SafetensorError

from workbench.config import Experiment, ExperimentError, experiment_from_dict
from workbench.errors import UserError
from workbench.report.json_report import activation_looks, misclassified_entries, run_details
from workbench.runs.artifacts import ArtifactError, Evaluation, load_evaluation, worst_images
from workbench.runs.diagnoses import diagnosis_entry, recorded_diagnoses
from workbench.runs.record_checks import check_evaluation, check_report
from workbench.runs.store import RunRecord, RunStore, StoreError

# The files `workbench run --out DIR` writes beside report.json.
FOLDER_WEIGHTS = "model.safetensors"
FOLDER_EVALUATION = "evaluation.safetensors"
FOLDER_REPORT = "report.json"


class TrainedRunError(UserError):
    """The run cannot be opened; one line naming the run or file."""


@dataclass(frozen=True)
class TrainedRun:
    """Everything needed to report on a run or predict with it."""

    label: str  # "run 12" or the folder, for messages
    experiment: Experiment
    report: dict[str, Any]
    evaluation: Evaluation | None
    weights_file: Path

    @property
    def images(self) -> np.ndarray | None:
        """The worst misclassified test inputs as (n, C, H, W) images; None if not images.

        Aligned with the report's `misclassified` list.
        """
        if self.evaluation is None:
            return None
        return worst_images(self.evaluation.predictions, self.evaluation.preprocessing)

    def load_weights(self) -> dict[str, Any]:
        """The tested weights (safetensors: nothing is unpickled), every value finite.

        A NaN or infinite weight (a run that blew up, or a damaged file) makes every
        prediction NaN, which argmax reads as class 0: refused here, naming the tensor.
        """
        if not self.weights_file.exists():
            raise TrainedRunError(f"{self.label}: no saved weights ({self.weights_file})")
        import torch  # here: listing runs and writing reports do not need it
        from safetensors.torch import load_file

        try:
            weights = load_file(str(self.weights_file))
        except (SafetensorError, OSError) as error:
            raise TrainedRunError(f"{self.weights_file}: unreadable weights: {error}") from None
        for name, tensor in weights.items():
            if tensor.is_floating_point() and not bool(torch.isfinite(tensor).all()):
                raise TrainedRunError(
                    f"{self.label}: weights {self.weights_file} hold NaN or infinite values "
                    f"in {name}; predictions with them would be meaningless"
                )
        return weights


def open_trained_run(reference: str | Path, data_dir: Path | None = None) -> TrainedRun:
    """RUN as the command line takes it: an existing folder, else a run id in the store."""
    path = Path(reference)
    if path.is_dir():
        return from_folder(path)
    text = str(reference)
    if not text.isdigit():
        raise TrainedRunError(f"{text}: neither a run id nor a folder written by 'workbench run'")
    try:
        return from_store(RunStore(data_dir), int(text))
    except StoreError as error:
        raise TrainedRunError(str(error)) from None


def report_from_record(
    record: RunRecord, evaluation: Evaluation | None, test_evaluations: int | None
) -> dict[str, Any]:
    """The same report dict `build_report` makes, from what the store kept."""
    report: dict[str, Any] = {
        "name": record.name,
        "status": record.status,
        "epochs_run": record.epochs_run,
        "best_epoch": record.best_epoch,
        "history": [dict(row) for row in record.history],
        "test": record.test,
        "config": record.config,
        "environment": record.environment,
    }
    if record.error:
        report["error"] = record.error
    info = evaluation.info if evaluation is not None else {}
    preprocessing = evaluation.preprocessing if evaluation is not None else None
    entries = (
        misclassified_entries(evaluation.predictions, preprocessing.class_names)
        if evaluation is not None and preprocessing is not None
        else []
    )
    report.update(
        run_details(
            info,
            preprocessing,
            entries,
            run_id=record.id,
            test_evaluations=test_evaluations,
            divergence=record.divergence,
        )
    )
    return report


def recorded_experiment(config: dict[str, Any], label: str) -> Experiment:
    """The experiment a run recorded, or TrainedRunError naming `label` when it is unreadable."""
    try:
        return experiment_from_dict(config, label)
    except ExperimentError as error:
        raise TrainedRunError(f"{label}: its experiment cannot be read: {error}") from None


def read_evaluation(path: Path) -> Evaluation | None:
    """The run's evaluation file, checked; None when there is none.

    No file: an interrupted run, or one from before evaluations were kept. A file that is
    there but damaged or hand-edited into nonsense is refused in one line naming the field,
    not taken for a missing one (the run would then say "train it again" for the wrong reason).
    """
    try:
        if not path.exists():
            return None
        evaluation = load_evaluation(path)
        check_evaluation(evaluation)
    except ArtifactError as error:
        raise TrainedRunError(str(error)) from None
    except (OSError, ValueError) as error:
        raise TrainedRunError(f"{path}: damaged evaluation file: {error}") from None
    return evaluation


def checked_report(report: dict[str, Any], where: str) -> dict[str, Any]:
    """`report`, or TrainedRunError naming `where` and the field of the wrong type."""
    try:
        check_report(report)
    except ValueError as error:
        raise TrainedRunError(f"{where}: {error}") from None
    return report


def from_store(store: RunStore, run_id: int) -> TrainedRun:
    try:
        record = store.get_run(run_id)
    except StoreError as error:
        raise TrainedRunError(str(error)) from None
    label = f"run {run_id}"
    evaluation = read_evaluation(store.evaluation_path(run_id))
    split = evaluation.info.get("test_split") if evaluation is not None else None
    count = store.test_evaluations(split, run_id) if split and record.test else None
    report = report_from_record(record, evaluation, count)
    classes = evaluation.preprocessing.class_names if evaluation is not None else None
    snapshots = store.probes(run_id)
    # Made again from the history and the probes, as when the run ended (runs/diagnoses.py).
    report["diagnoses"] = [
        diagnosis_entry(d)
        for d in recorded_diagnoses(
            store, record, snapshots, n_classes=len(classes) if classes else None
        )
    ]
    report["activations"] = activation_looks(snapshots, record.best_epoch)
    # Kept as the run's own report had it, test points included once the run was tested.
    report["decision_boundary"] = store.boundary(run_id)
    return TrainedRun(
        label=label,
        experiment=recorded_experiment(record.config, label),
        report=checked_report(report, label),
        evaluation=evaluation,
        weights_file=store.weights_path(run_id),
    )


def from_folder(folder: Path) -> TrainedRun:
    report_path = folder / FOLDER_REPORT
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TrainedRunError(
            f"{folder}: no {FOLDER_REPORT}; not a folder written by 'workbench run --out'"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TrainedRunError(f"{report_path}: unreadable report: {error}") from None
    if not isinstance(report, dict) or not isinstance(report.get("config"), dict):
        raise TrainedRunError(f"{report_path}: not a workbench report (no 'config' table)")
    return TrainedRun(
        label=str(folder),
        experiment=recorded_experiment(report["config"], str(report_path)),
        report=checked_report(report, str(report_path)),
        evaluation=read_evaluation(folder / FOLDER_EVALUATION),
        weights_file=folder / FOLDER_WEIGHTS,
    )
