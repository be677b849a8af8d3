"""Data splits, model building and test metrics."""

import dataclasses
import json

import numpy as np
import pytest
import torch
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    precision_score,
    roc_auc_score,
    top_k_accuracy_score,
)

from workbench.config import ModelConfig, experiment_from_dict
from workbench.core import RunStatus, fit
from workbench.core.events import HISTORY_FIELDS
from workbench.core.metrics import compute_test_metrics
from workbench.data import load_dataset, split_dataset
from workbench.data.split import split_sizes
from workbench.models import build_model, count_parameters
from workbench.report import build_report, write_report


@pytest.mark.parametrize("source", ["digits", "spiral"])
def test_split_is_stratified_disjoint_and_sized_as_announced(source):
    dataset = load_dataset(source)
    split = split_dataset(dataset, 0.2, 0.2, seed=1)
    sizes = (len(split.y_train), len(split.y_val), len(split.y_test))
    assert sizes == split_sizes(dataset.n_samples, 0.2, 0.2)
    assert sum(sizes) == dataset.n_samples
    overall = np.bincount(dataset.labels) / dataset.n_samples
    for labels in (split.y_train, split.y_val, split.y_test):
        share = np.bincount(labels, minlength=dataset.n_classes) / len(labels)
        assert np.abs(share - overall).max() < 0.03
    # Standardised with the training part's statistics only.
    assert np.abs(split.x_train.mean(axis=0)).max() < 1e-4
    assert split.x_train.dtype == np.float32


def test_split_depends_on_the_seed():
    dataset = load_dataset("digits")
    a, b = split_dataset(dataset, 0.2, 0.2, 0), split_dataset(dataset, 0.2, 0.2, 1)
    assert not np.array_equal(a.y_test, b.y_test)
    np.testing.assert_array_equal(a.x_test, split_dataset(dataset, 0.2, 0.2, 0).x_test)


def model_config(*layers):
    return experiment_from_dict({"model": {"layers": list(layers)}}).model


def test_parameter_count_includes_the_output_layer():
    config = model_config({"type": "dense", "units": 100}, {"type": "dropout", "p": 0.1})
    assert count_parameters(config, 64, 10) == 64 * 100 + 100 + 100 * 10 + 10
    with_bn = model_config({"type": "dense", "units": 100}, {"type": "batchnorm"})
    assert count_parameters(with_bn, 64, 10) == 64 * 100 + 100 + 2 * 100 + 100 * 10 + 10
    assert count_parameters(ModelConfig(layers=()), 2, 3) == 2 * 3 + 3


def test_model_layers_follow_the_list():
    config = model_config(
        {"type": "dense", "units": 8, "activation": "sigmoid"},
        {"type": "batchnorm"},
        {"type": "dropout", "p": 0.3},
        {"type": "dense", "units": 4, "activation": "swish"},
    )
    model = build_model(config, 5, 3)
    kinds = [type(m).__name__ for m in model]
    assert kinds == ["Linear", "Sigmoid", "BatchNorm1d", "Dropout", "Linear", "SiLU", "Linear"]
    assert model(torch.zeros(2, 5)).shape == (2, 3)


@pytest.mark.parametrize(
    ("init", "expected_std"),
    [("he", (2 / 400) ** 0.5), ("xavier", (2 / 600) ** 0.5), ("normal", 0.05)],
)
def test_initialisation_sets_the_weight_spread(init, expected_std):
    torch.manual_seed(0)
    layer = {"type": "dense", "units": 200, "activation": "tanh", "init": init, "init_std": 0.05}
    if init == "he":
        layer["activation"] = "relu"
    model = build_model(model_config(layer), 400, 2)
    weight = model[0].weight.detach()
    # Xavier as Glorot and the book have it: gain 1, also for tanh (and ReLU).
    assert weight.std().item() == pytest.approx(expected_std, rel=0.05)
    assert torch.all(model[0].bias == 0)


def test_test_metrics_agree_with_scikit_learn():
    y_true = np.array([0, 0, 1, 1, 2, 2, 2, 3])
    probabilities = np.array(
        [
            [0.7, 0.1, 0.1, 0.1],
            [0.2, 0.5, 0.2, 0.1],  # true 0, second guess 0
            [0.1, 0.6, 0.2, 0.1],
            [0.1, 0.8, 0.05, 0.05],
            [0.1, 0.1, 0.7, 0.1],
            [0.4, 0.1, 0.02, 0.48],  # true 2, ranked last: outside the top 3
            [0.2, 0.1, 0.6, 0.1],
            [0.1, 0.2, 0.3, 0.4],
        ]
    )
    y_pred = probabilities.argmax(axis=1)
    names = ["a", "b", "c", "d"]
    metrics = compute_test_metrics(y_true, probabilities, loss=0.7, class_names=names)
    assert metrics.accuracy == pytest.approx(accuracy_score(y_true, y_pred)) == 6 / 8
    assert metrics.f1_macro == pytest.approx(f1_score(y_true, y_pred, average="macro"))
    assert metrics.f1_weighted == pytest.approx(f1_score(y_true, y_pred, average="weighted"))
    assert metrics.precision_weighted == pytest.approx(
        precision_score(y_true, y_pred, average="weighted", zero_division=0)
    )
    assert metrics.top_k == 3
    assert metrics.top_k_accuracy == pytest.approx(top_k_accuracy_score(y_true, probabilities, k=3))
    assert metrics.top_k_accuracy == 7 / 8
    assert metrics.confusion_matrix == ((1, 1, 0, 0), (0, 2, 0, 0), (0, 0, 2, 1), (0, 0, 0, 1))
    assert metrics.confusion_matrix_normalized[2] == pytest.approx((0, 0, 2 / 3, 1 / 3))
    assert [c.support for c in metrics.per_class] == [2, 2, 3, 1]
    assert metrics.per_class[1].precision == pytest.approx(2 / 3)
    assert metrics.roc_auc is None  # four classes


def test_two_classes_get_roc_auc():
    y_true = np.array([0, 0, 1, 1, 1])
    scores = np.array([0.1, 0.6, 0.4, 0.8, 0.9])
    probabilities = np.column_stack([1 - scores, scores])
    metrics = compute_test_metrics(y_true, probabilities, loss=0.3, class_names=["no", "yes"])
    assert metrics.roc_auc == pytest.approx(roc_auc_score(y_true, scores))
    assert metrics.top_k == 1 and metrics.top_k_accuracy == metrics.accuracy


def test_report_has_the_contract_keys_and_is_strict_json(tmp_path, make_experiment):
    experiment = make_experiment(optimizer={"name": "sgd", "lr": 100.0})
    result = fit(experiment)
    assert result.status == RunStatus.DIVERGED
    path = write_report(build_report(experiment, result), tmp_path / "out" / "report.json")
    text = path.read_text()

    def refuse(constant):  # strict JSON: no NaN or Infinity token (text may say "NaN")
        raise AssertionError(f"{constant} in report.json")

    report = json.loads(text, parse_constant=refuse)
    assert set(report) >= {
        "name",
        "status",
        "epochs_run",
        "best_epoch",
        "history",
        "test",
        "config",
        "environment",
    }
    assert report["status"] == "diverged" and report["test"] is None
    # Every epoch field, in EpochMetrics' order (the names are pinned by the CSV's header test).
    assert tuple(report["history"][0]) == HISTORY_FIELDS
    assert set(report["environment"]) == {"workbench", "torch", "python", "device"}
    assert report["config"]["optimizer"]["lr"] == 100.0


def test_report_test_section_matches_the_result(make_experiment):
    experiment = make_experiment()
    result = fit(experiment)
    report = build_report(experiment, result)
    assert report["test"] == dataclasses.asdict(result.test)
    assert set(report["test"]) == {
        "loss",
        "accuracy",
        "precision_macro",
        "recall_macro",
        "f1_macro",
        "per_class",
        "confusion_matrix",
        "precision_weighted",
        "recall_weighted",
        "f1_weighted",
        "top_k",
        "top_k_accuracy",
        "roc_auc",
        "confusion_matrix_normalized",
        "roc_curve",
    }
    assert set(report["test"]["per_class"][0]) == {"label", "precision", "recall", "f1", "support"}
    assert sum(map(sum, report["test"]["confusion_matrix"])) == 360


def test_training_subset_is_stratified_and_leaves_validation_and_test_alone():
    dataset = load_dataset("digits")
    full = split_dataset(dataset, 0.2, 0.2, seed=0)
    small = split_dataset(dataset, 0.2, 0.2, seed=0, train_limit=300)
    assert len(small.y_train) == 300 == split_sizes(dataset.n_samples, 0.2, 0.2, 300)[0]
    assert np.bincount(small.y_train).min() >= 28  # about 30 of each of the 10 digits
    np.testing.assert_array_equal(small.y_val, full.y_val)
    np.testing.assert_array_equal(small.y_test, full.y_test)
    # Standardised with the subset's own statistics: still the training part only.
    assert np.abs(small.x_train.mean(axis=0)).max() < 1e-4


def test_a_big_network_on_300_samples_overfits(make_experiment):
    from tests.conftest import EXAMPLE
    from workbench.config import load_experiment

    experiment = load_experiment(EXAMPLE.parent / "mlp-7-layer.toml")
    experiment = experiment.model_copy(
        update={"training": experiment.training.model_copy(update={"epochs": 120})}
    )
    last = fit(experiment).history[-1]
    assert last.train_accuracy > 0.99
    assert last.train_accuracy - last.val_accuracy > 0.05
