"""Final test-set metrics, computed by scikit-learn from labels and predictions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workbench.core.events import ClassMetrics, TestMetrics


def top_k_for(n_classes: int) -> int:
    """The k of top-k accuracy: 3, or fewer when there are few classes (k = all is trivial)."""
    return max(1, min(3, n_classes - 1))


def compute_test_metrics(
    y_true: np.ndarray, probabilities: np.ndarray, loss: float, class_names: Sequence[str]
) -> TestMetrics:
    """Every test metric from the true labels and the predicted class probabilities.

    Accuracy, top-k accuracy, precision / recall / F1 (macro, weighted and per class), the
    confusion matrix (counts and row-normalised) and, for two classes, ROC-AUC. A class never
    predicted has precision 0 (zero_division=0) rather than a warning.
    """
    # Here, not at the top: the engine imports this module, and scikit-learn takes a second
    # to import that the window's start should not wait for.
    from sklearn.metrics import (
        accuracy_score,
        confusion_matrix,
        precision_recall_fscore_support,
        roc_auc_score,
        top_k_accuracy_score,
    )

    labels = list(range(len(class_names)))
    y_pred = probabilities.argmax(axis=1)
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    weighted = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average="weighted", zero_division=0
    )
    matrix = confusion_matrix(y_true, y_pred, labels=labels)
    normalized = confusion_matrix(y_true, y_pred, labels=labels, normalize="true")
    k = top_k_for(len(labels))
    # ROC-AUC needs two classes, both present among the true labels.
    binary = len(labels) == 2 and len(np.unique(y_true)) == 2
    return TestMetrics(
        loss=float(loss),
        accuracy=float(accuracy_score(y_true, y_pred)),
        precision_macro=float(np.mean(precision)),
        recall_macro=float(np.mean(recall)),
        f1_macro=float(np.mean(f1)),
        per_class=tuple(
            ClassMetrics(name, float(p), float(r), float(f), int(s))
            for name, p, r, f, s in zip(class_names, precision, recall, f1, support, strict=True)
        ),
        confusion_matrix=tuple(tuple(int(v) for v in row) for row in matrix),
        precision_weighted=float(weighted[0]),
        recall_weighted=float(weighted[1]),
        f1_weighted=float(weighted[2]),
        top_k=k,
        top_k_accuracy=float(
            top_k_accuracy_score(y_true, probabilities, k=k, labels=labels)
            if len(labels) > 2
            else accuracy_score(y_true, y_pred)
        ),
        roc_auc=float(roc_auc_score(y_true, probabilities[:, 1])) if binary else None,
        confusion_matrix_normalized=tuple(
            tuple(round(float(v), 6) for v in row) for row in np.nan_to_num(normalized)
        ),
        roc_curve=_roc_points(y_true, probabilities[:, 1]) if binary else None,
    )


def _roc_points(y_true: np.ndarray, scores: np.ndarray) -> dict[str, tuple[float, ...]]:
    from sklearn.metrics import roc_curve  # not at the top: see compute_test_metrics

    # drop_intermediate keeps only the corners: a few dozen points even for 10,000 samples.
    fpr, tpr, _ = roc_curve(y_true, scores, drop_intermediate=True)
    return {
        "fpr": tuple(round(float(v), 6) for v in fpr),
        "tpr": tuple(round(float(v), 6) for v in tpr),
    }
