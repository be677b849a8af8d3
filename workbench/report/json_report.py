"""The run report as JSON: the same keys from the window and from `workbench run`."""

from __future__ import annotations

import dataclasses
import json
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from workbench import __version__
from workbench.atomic import atomic_write_text
from workbench.config import Experiment
from workbench.core.boundary_types import BoundaryGrid, BoundaryPoints
from workbench.core.doctor import diagnose, report_entry
from workbench.core.events import RunResult, history_row
from workbench.core.probe_types import ProbeSnapshot
from workbench.report.boundary import boundary_entry


def environment(device: str) -> dict[str, str]:
    """The versions and device a run used, for reports and the run store."""
    import torch

    return {
        "workbench": __version__,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "device": device,
    }


def build_report(
    experiment: Experiment,
    result: RunResult,
    *,
    run_id: int | None = None,
    test_evaluations: int | None = None,
    snapshots: Sequence[ProbeSnapshot] = (),
    boundary: tuple[BoundaryGrid, BoundaryPoints] | None = None,
) -> dict[str, Any]:
    """The report as plain data (see the README for its keys).

    `test_evaluations` counts the runs that evaluated this test set, this one included (the
    run store knows; 1 without one). `snapshots`: the run's looks inside the network, for
    the run doctor's findings about layers. `boundary`: for 2-D data, the kept weights'
    decision boundary and the training and validation points (`RunOutcome.boundary`).
    """
    report = history_report(experiment.to_dict(), experiment.name, result)
    info = {
        "weights": {"kept": result.weights_kept, "epoch": result.weights_epoch},
        "dataset_name": result.dataset_name,
        "split_sizes": list(result.split_sizes) if result.split_sizes else None,
        "test_split": result.test_split,
    }
    report.update(
        run_details(
            info,
            result.preprocessing,
            misclassified_entries(result.predictions, _class_names(result)),
            run_id=run_id,
            test_evaluations=test_evaluations if result.test is not None else 0,
            divergence=result.divergence.as_dict() if result.divergence is not None else None,
        )
    )
    # The run doctor's findings, made here so every report of a run has them, with the test
    # looks counted as of now (a run tested later has looked once more than when it ended).
    classes = _class_names(result)
    diagnoses = diagnose(
        experiment,
        result.history,
        snapshots,
        status=result.status,
        test_looks=(test_evaluations or 0) if result.test is not None else 0,
        n_classes=len(classes) if classes else None,
    )
    report["diagnoses"] = [report_entry(d) for d in diagnoses]
    report["activations"] = activation_looks(snapshots, result.best_epoch)
    report["decision_boundary"] = decision_boundary(boundary, result)
    return report


def decision_boundary(
    boundary: tuple[BoundaryGrid, BoundaryPoints] | None, result: RunResult
) -> dict[str, Any] | None:
    """report.json's `decision_boundary` (workbench/report/boundary.py), or None.

    The test points are drawn only for a run evaluated on its test set: a run that was not
    has not looked at them, and its report does not either.
    """
    if boundary is None:
        return None
    predictions = result.predictions
    test = None
    if result.test is not None and predictions is not None and predictions.inputs is not None:
        test = (predictions.inputs, predictions.labels)
    return boundary_entry(*boundary, test=test)


def activation_looks(
    snapshots: Sequence[ProbeSnapshot], best_epoch: int | None
) -> dict[str, Any] | None:
    """The hidden layers' activation histograms at the first look and at the best epoch.

    What the report's activation figure draws, as report.json keeps it: `epochs` (the first
    epoch's look, 0 = at initialisation, then the look at `best_epoch` or the last before it)
    and per hidden layer its `name`, `activation`, histogram `edges` and one list of `counts`
    per epoch of `epochs` (None where that look lacks the layer). None for a run without probes
    (a search's trials, runs from before the probes). Edges are rounded as the run store
    keeps them, so a report made from the store has the same numbers.
    """
    finals = sorted((s for s in snapshots if s.final), key=lambda s: (s.epoch, s.step))
    if not finals or not finals[0].layers:
        return None
    looks = [finals[0]]
    # The best epoch's look, or the last before it: short epochs are not all looked at.
    best = [s for s in finals if best_epoch is not None and finals[0].epoch < s.epoch <= best_epoch]
    if best:
        looks.append(best[-1])
    layers = []
    for position, layer in enumerate(finals[0].layers):
        edges = layer.activations.edges
        counts: list[list[int] | None] = []
        for look in looks:
            same = look.layers[position] if position < len(look.layers) else None
            if (
                same is not None
                and same.name == layer.name
                and np.array_equal(same.activations.edges, edges)
            ):
                counts.append([int(c) for c in same.activations.counts])
            else:
                counts.append(None)
        layers.append(
            {
                "name": layer.name,
                "activation": layer.activation,
                "edges": [round(float(e), 6) for e in edges],
                "counts": counts,
            }
        )
    return {"epochs": [look.epoch for look in looks], "layers": layers}


def _class_names(result: RunResult) -> tuple[str, ...]:
    if result.preprocessing is not None:
        return tuple(result.preprocessing.class_names)
    if result.test is not None:
        return tuple(c.label for c in result.test.per_class)
    return ()


def run_details(
    info: dict[str, Any],
    preprocessing: Any,
    misclassified: list[dict[str, Any]],
    *,
    run_id: int | None,
    test_evaluations: int | None,
    divergence: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The report keys beyond history and metrics: weights tested, dataset, test-set reuse.

    `divergence` is `Divergence.as_dict()` of a diverged run (why it was stopped, with its
    numbers and the sentence the window and command line show), None for any other ending;
    the key is always there, so a report made from the run store has the same keys.
    """
    sizes = info.get("split_sizes")
    dataset = None
    if preprocessing is not None:
        dataset = {
            "name": info.get("dataset_name"),
            "class_names": list(preprocessing.class_names),
            "image_shape": list(preprocessing.image_shape) if preprocessing.image_shape else None,
            "n_features": preprocessing.n_features,
            "normalize": preprocessing.normalize,
            "split": dict(zip(("train", "validation", "test"), sizes, strict=True))
            if sizes
            else None,
        }
    has_test_split = info.get("test_split") is not None
    return {
        "run_id": run_id,
        "weights": info.get("weights"),
        "dataset": dataset,
        "test_split": info.get("test_split"),
        "test_evaluations_on_split": (
            test_evaluations if test_evaluations is not None else int(has_test_split)
        ),
        "misclassified": misclassified,
        "divergence": divergence if divergence is not None else info.get("divergence"),
    }


def misclassified_entries(predictions: Any, class_names: tuple[str, ...]) -> list[dict[str, Any]]:
    """The worst mistakes: test index, true and predicted class, confidence (worst first)."""
    if predictions is None or not class_names:
        return []
    entries = []
    for index in np.asarray(predictions.worst_indices).tolist():
        row = predictions.probabilities[index]
        predicted = int(np.argmax(row))
        entries.append(
            {
                "index": int(index),
                "true": class_names[int(predictions.labels[index])],
                "predicted": class_names[predicted],
                "confidence": round(float(row[predicted]), 6),
            }
        )
    return entries


def history_report(config: dict[str, Any], name: str, result: Any) -> dict[str, Any]:
    """The keys every report has had since the first version (never renamed)."""
    report: dict[str, Any] = {
        "name": name,
        "status": str(result.status),
        "epochs_run": result.epochs_run,
        "best_epoch": result.best_epoch,
        "history": [history_row(m) for m in result.history],
        "test": dataclasses.asdict(result.test) if result.test is not None else None,
        "config": config,
        "environment": environment(result.device),
    }
    if result.error:
        report["error"] = result.error
    return report


def _finite_or_none(value: Any) -> Any:
    # JSON has no NaN or Infinity; a diverged run's losses are written as null.
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, dict):
        return {k: _finite_or_none(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite_or_none(v) for v in value]
    return value


def write_report(report: dict[str, Any], path: str | Path) -> Path:
    """Write the report as strict JSON, through a temporary file so a crash leaves no half file."""
    # Serialised first: a report that cannot be written as JSON leaves the old file untouched.
    text = json.dumps(_finite_or_none(report), indent=2, allow_nan=False) + "\n"
    return atomic_write_text(path, text)
