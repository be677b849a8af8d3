"""Hand-made run reports: a digits-like run, a two-class run, a failed run, a hostile name."""

import copy
import math

import numpy as np
import pytest

CLASSES = [str(i) for i in range(10)]


def _history(epochs, diverge_at=None):
    rows = []
    for epoch in range(1, epochs + 1):
        loss = 2.3 / epoch
        rows.append(
            {
                "epoch": epoch,
                "train_loss": loss * 0.9,
                "train_accuracy": min(0.99, 0.3 + 0.07 * epoch),
                "val_loss": loss,
                "val_accuracy": min(0.97, 0.28 + 0.065 * epoch),
                "lr": 0.01 * 0.5 ** (epoch // 4),
                "seconds": 0.01 * epoch + 0.123456789,
            }
        )
    if diverge_at is not None:
        for row in rows[diverge_at - 1 :]:
            row["train_loss"] = math.nan
            row["val_loss"] = math.nan
    return rows


def _config(name, optimizer="adam", lr=0.001, batch_size=100):
    return {
        "version": 1,
        "name": name,
        "seed": 0,
        "data": {"source": "digits", "val_fraction": 0.2, "test_fraction": 0.2},
        "model": {
            "layers": [
                {"type": "dense", "units": 100, "activation": "relu", "init": "he"},
                {"type": "dropout", "p": 0.1},
            ]
        },
        "optimizer": {"name": optimizer, "lr": lr, "betas": [0.9, 0.999], "weight_decay": 0.0},
        "schedule": {"name": "step", "step_size": 4, "gamma": 0.5},
        "training": {"epochs": 12, "batch_size": batch_size, "device": "cpu"},
        "early_stopping": {"enabled": True, "monitor": "val_loss", "patience": 5},
    }


def _test_metrics(class_names, rng):
    n = len(class_names)
    matrix = rng.integers(0, 3, size=(n, n)) + np.diag(rng.integers(25, 35, size=n))
    normalized = matrix / matrix.sum(axis=1, keepdims=True)
    per_class = [
        {
            "label": name,
            "precision": float(matrix[i, i] / matrix[:, i].sum()),
            "recall": float(matrix[i, i] / matrix[i].sum()),
            "f1": 0.9 + i / 1000,
            "support": int(matrix[i].sum()),
        }
        for i, name in enumerate(class_names)
    ]
    return {
        "loss": 0.2232,
        "accuracy": float(np.trace(matrix) / matrix.sum()),
        "precision_macro": 0.9559,
        "recall_macro": 0.9525,
        "f1_macro": 0.953,
        "per_class": per_class,
        "confusion_matrix": matrix.tolist(),
        "precision_weighted": 0.956,
        "recall_weighted": 0.9528,
        "f1_weighted": 0.9532,
        "top_k": max(1, min(3, n - 1)),
        "top_k_accuracy": 0.9889,
        "roc_auc": None,
        "confusion_matrix_normalized": normalized.round(6).tolist(),
        "roc_curve": None,
    }


@pytest.fixture
def digits_report():
    rng = np.random.default_rng(0)
    misclassified = [
        {
            "index": 7 * i,
            "true": str(i % 10),
            "predicted": str((i + 3) % 10),
            "confidence": 0.99 - i / 50,
        }
        for i in range(14)
    ]
    return {
        "name": "digits-adam",
        "run_id": 12,
        "status": "early_stopped",
        "epochs_run": 12,
        "best_epoch": 9,
        "history": _history(12),
        "test": _test_metrics(CLASSES, rng),
        "config": _config("digits-adam"),
        "environment": {
            "workbench": "0.1.0",
            "torch": "2.3.0",
            "python": "3.11.7",
            "device": "cpu",
        },
        "weights": {"kept": "best", "epoch": 9},
        "dataset": {
            "name": "digits",
            "class_names": CLASSES,
            "image_shape": [1, 8, 8],
            "n_features": 64,
            "split": {"train": 1078, "validation": 359, "test": 360},
        },
        "test_split": "3f2a9c",
        "test_evaluations_on_split": 1,
        "misclassified": misclassified,
    }


@pytest.fixture
def digits_images(digits_report):
    rng = np.random.default_rng(1)
    # Standardised inputs: negative values too, as a normalised dataset has.
    return rng.normal(size=(len(digits_report["misclassified"]), 1, 8, 8)).astype(np.float32)


@pytest.fixture
def binary_report():
    rng = np.random.default_rng(2)
    test = _test_metrics(["cat", "dog"], rng)
    test["roc_auc"] = 0.912
    test["roc_curve"] = {"fpr": [0.0, 0.0, 0.1, 0.3, 1.0], "tpr": [0.0, 0.5, 0.8, 0.95, 1.0]}
    return {
        "name": "cats-vs-dogs",
        "status": "completed",
        "epochs_run": 12,
        "best_epoch": 12,
        "history": _history(12),
        "test": test,
        "config": _config("cats-vs-dogs", optimizer="sgd", lr=0.1, batch_size=32),
        "environment": {
            "workbench": "0.1.0",
            "torch": "2.3.0",
            "python": "3.11.7",
            "device": "cpu",
        },
        "weights": {"kept": "last", "epoch": 12},
        "dataset": {
            "name": "pets.csv",
            "class_names": ["cat", "dog"],
            "image_shape": None,
            "n_features": 12,
            "split": {"train": 600, "validation": 200, "test": 200},
        },
        "misclassified": [
            {"index": 3, "true": "cat", "predicted": "dog", "confidence": 0.8},
        ],
    }


@pytest.fixture
def failed_report():
    # What a diverged run leaves: NaN losses, no test metrics, an error, and none of the
    # newer keys at all.
    return {
        "name": "too-high-lr",
        "status": "diverged",
        "epochs_run": 4,
        "best_epoch": 2,
        "history": _history(4, diverge_at=3),
        "test": None,
        "config": _config("too-high-lr", optimizer="sgd", lr=10.0),
        "environment": {
            "workbench": "0.1.0",
            "torch": "2.3.0",
            "python": "3.11.7",
            "device": "cpu",
        },
        "error": "the loss is NaN at epoch 3 <check the learning rate>",
    }


@pytest.fixture
def hostile_report(digits_report):
    report = copy.deepcopy(digits_report)
    report["name"] = "<script>alert(1)</script>"
    report["dataset"]["class_names"] = ["<b>zero</b>"] + CLASSES[1:]
    return report
