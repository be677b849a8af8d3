"""Checks of what a recorded run holds, read as a hand-edited file is read.

A run folder's report.json and a run's evaluation file are plain files a person can edit.
The report renderers and the predictor trust their shapes (a history of tables, a square
confusion matrix, test indices inside the test set); a wrong type would surface as a
traceback halfway through writing a report. These checks run when a run is opened, so
`workbench report` and `workbench predict` refuse it in one line naming the field instead.

Each check raises ValueError("field: what it should be, not what it is"); the caller adds
the file. Keys the workbench does not know are left alone (a later version may add some).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from workbench.report.csv_report import HISTORY_COLUMNS

# Longest a value is quoted in a message: a hand-edited file may hold a megabyte of text.
_SHOWN = 40


def _number(value: Any) -> bool:
    # bool is an int to Python, but `true` is no loss or count.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _sequence(value: Any) -> bool:
    # Reports read back from JSON hold lists; fresh ones hold the metrics' tuples.
    return isinstance(value, list | tuple)


# (what a value should be, in words; the test), each also allowing null (None).
Kind = tuple[str, Callable[[Any], bool]]
NUMBER: Kind = ("a number", _number)
WHOLE: Kind = ("a whole number", _whole)
TEXT: Kind = ("text", lambda v: isinstance(v, str))
TABLE: Kind = ("a table", lambda v: isinstance(v, Mapping))
LABEL: Kind = ("a class name", lambda v: isinstance(v, str) or _number(v))
NUMBERS: Kind = ("a list of numbers", lambda v: _sequence(v) and all(map(_number, v)))
SIZES: Kind = (
    "a list of positive whole numbers",
    lambda v: _sequence(v) and all(_whole(s) and s > 0 for s in v),
)


def need(value: Any, field: str, kind: Kind) -> Any:
    """`value` when it is null or of `kind`, else a ValueError naming `field`."""
    words, test = kind
    if value is not None and not test(value):
        shown = repr(value)
        if len(shown) > _SHOWN:
            shown = shown[: _SHOWN - 3] + "..."
        raise ValueError(f"{field}: should be {words} or null, not {shown}")
    return value


def _rows(value: Any, field: str) -> list[Mapping[str, Any]]:
    """A list of tables (null: none), or a ValueError naming the first bad entry."""
    need(value, field, ("a list", _sequence))
    for index, row in enumerate(value or ()):
        need(row, f"{field}[{index}]", TABLE)
        if row is None:
            raise ValueError(f"{field}[{index}]: should be a table, not null")
    return list(value or ())


def _matrix(value: Any, field: str) -> int:
    """The side of a square matrix of numbers (0 for null or empty)."""
    rows = need(value, field, ("a list of rows", _sequence)) or ()
    for index, row in enumerate(rows):
        need(row, f"{field}[{index}]", NUMBERS)
        if row is None or len(row) != len(rows):
            raise ValueError(f"{field}: should be a square table of numbers ({len(rows)} rows)")
    return len(rows)


def check_report(report: Mapping[str, Any]) -> None:
    """Every value a report renderer reads has the type it is written with."""
    for key, kind in (
        ("name", TEXT),
        ("status", TEXT),
        ("error", TEXT),
        ("epochs_run", WHOLE),
        ("best_epoch", WHOLE),
        ("run_id", WHOLE),
        ("test_split", TEXT),
        ("test_evaluations_on_split", WHOLE),
        ("environment", TABLE),
    ):
        need(report.get(key), key, kind)
    for index, row in enumerate(_rows(report.get("history"), "history")):
        for key in HISTORY_COLUMNS:
            need(row.get(key), f"history[{index}].{key}", NUMBER)
    _check_test(need(report.get("test"), "test", TABLE))
    weights = need(report.get("weights"), "weights", TABLE) or {}
    need(weights.get("kept"), "weights.kept", TEXT)
    need(weights.get("epoch"), "weights.epoch", WHOLE)
    _check_dataset(need(report.get("dataset"), "dataset", TABLE) or {})
    for index, entry in enumerate(_rows(report.get("misclassified"), "misclassified")):
        where = f"misclassified[{index}]"
        need(entry.get("index"), f"{where}.index", WHOLE)
        need(entry.get("true"), f"{where}.true", LABEL)
        need(entry.get("predicted"), f"{where}.predicted", LABEL)
        need(entry.get("confidence"), f"{where}.confidence", NUMBER)
    divergence = need(report.get("divergence"), "divergence", TABLE) or {}
    need(divergence.get("message"), "divergence.message", TEXT)


def _check_test(test: Mapping[str, Any] | None) -> None:
    if test is None:
        return
    for key in (
        "loss",
        "accuracy",
        "precision_macro",
        "recall_macro",
        "f1_macro",
        "precision_weighted",
        "recall_weighted",
        "f1_weighted",
        "top_k_accuracy",
        "roc_auc",
    ):
        need(test.get(key), f"test.{key}", NUMBER)
    need(test.get("top_k"), "test.top_k", WHOLE)
    for index, row in enumerate(_rows(test.get("per_class"), "test.per_class")):
        where = f"test.per_class[{index}]"
        need(row.get("label"), f"{where}.label", LABEL)
        for key in ("precision", "recall", "f1"):
            need(row.get(key), f"{where}.{key}", NUMBER)
        need(row.get("support"), f"{where}.support", WHOLE)
    side = _matrix(test.get("confusion_matrix"), "test.confusion_matrix")
    shares = "test.confusion_matrix_normalized"
    normalized = _matrix(test.get(shares), shares)
    if side and normalized and side != normalized:
        raise ValueError(f"{shares}: {normalized} classes, but test.confusion_matrix has {side}")
    roc = need(test.get("roc_curve"), "test.roc_curve", TABLE) or {}
    need(roc.get("fpr"), "test.roc_curve.fpr", NUMBERS)
    need(roc.get("tpr"), "test.roc_curve.tpr", NUMBERS)


def _check_dataset(dataset: Mapping[str, Any]) -> None:
    need(dataset.get("name"), "dataset.name", TEXT)
    need(dataset.get("normalize"), "dataset.normalize", TEXT)
    need(dataset.get("n_features"), "dataset.n_features", WHOLE)
    need(dataset.get("image_shape"), "dataset.image_shape", SIZES)
    names = need(dataset.get("class_names"), "dataset.class_names", ("a list", _sequence))
    for index, name in enumerate(names or ()):
        need(name, f"dataset.class_names[{index}]", LABEL)
    split = need(dataset.get("split"), "dataset.split", TABLE) or {}
    for key, size in split.items():
        need(size, f"dataset.split.{key}", WHOLE)


def check_run_info(info: Any) -> None:
    """The facts an evaluation file keeps for the report (its "run" metadata)."""
    if not isinstance(info, Mapping):
        raise ValueError(f"run: should be a table, not {type(info).__name__}")
    weights = need(info.get("weights"), "run.weights", TABLE) or {}
    need(weights.get("kept"), "run.weights.kept", TEXT)
    need(weights.get("epoch"), "run.weights.epoch", WHOLE)
    need(info.get("dataset_name"), "run.dataset_name", TEXT)
    need(info.get("test_split"), "run.test_split", TEXT)
    need(info.get("error"), "run.error", TEXT)
    need(info.get("divergence"), "run.divergence", TABLE)
    sizes = need(info.get("split_sizes"), "run.split_sizes", NUMBERS)
    # train, validation, test: the report pairs them with these three names.
    if sizes is not None and (len(sizes) != 3 or not all(_whole(s) and s >= 0 for s in sizes)):
        raise ValueError(f"run.split_sizes: should be 3 sample counts, not {list(sizes)!r}")


def check_evaluation(evaluation: Any) -> None:
    """An evaluation file's parts agree with each other (each was checked as it was read).

    The image shape must make the feature count: prediction lays images out by it and the
    report reshapes the worst mistakes' inputs to it.
    """
    preprocessing = evaluation.preprocessing
    n_features, shape = preprocessing.n_features, preprocessing.image_shape
    if shape is not None and math.prod(shape) != n_features:
        raise ValueError(
            f"preprocessing.image_shape: {list(shape)} does not make {n_features} features"
        )
    check_run_info(evaluation.info)
    _check_predictions(evaluation.predictions, len(preprocessing.class_names), n_features)


def _check_predictions(predictions: Any, n_classes: int, n_features: int) -> None:
    """The kept test predictions line up: one row per label, indices inside the test set."""
    if predictions is None:
        return
    labels, probabilities = predictions.labels, predictions.probabilities
    indices, inputs = predictions.worst_indices, predictions.worst_inputs
    _array(labels, "test.labels", "iu", (None,))
    _array(probabilities, "test.probabilities", "f", (len(labels), n_classes))
    _array(indices, "misclassified.indices", "iu", (None,))
    _array(inputs, "misclassified.inputs", "f", (len(indices), n_features))
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"test.labels: class indices outside 0..{n_classes - 1}")
    if indices.size and (indices.min() < 0 or indices.max() >= len(labels)):
        raise ValueError(f"misclassified.indices: outside the {len(labels)} test samples")


def _array(values: np.ndarray, field: str, kinds: str, shape: Sequence[int | None]) -> None:
    """A ValueError unless `values` has a dtype of `kinds` and `shape` (None: any length)."""
    if values.dtype.kind not in kinds:
        raise ValueError(f"{field}: dtype {values.dtype} is not {_KIND_WORDS[kinds]}")
    if values.ndim != len(shape) or any(
        want is not None and have != want for have, want in zip(values.shape, shape, strict=True)
    ):
        wanted = tuple("n" if want is None else want for want in shape)
        raise ValueError(f"{field}: shape {values.shape}, should be {wanted}".replace("'", ""))


_KIND_WORDS = {"iu": "whole numbers", "f": "floating point"}
