"""Final test-set metrics, computed by scikit-learn from labels and predictions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

from workbench.core.events import ClassMetrics, TestMetrics


def compute_test_metrics(
    y_true: np.ndarray, y_pred: np.ndarray, loss: float, class_names: Sequence[str]
) -> TestMetrics:
    """Accuracy, macro precision / recall / F1, per-class figures and the confusion matrix.

    A class never predicted has precision 0 (zero_division=0) rather than a warning.
    """
    labels = list(range(len(class_names)))
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    matrix = confusion_matrix(y_true, y_pred, labels=labels)
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
    )
