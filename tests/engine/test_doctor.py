"""The run doctor (workbench/core/doctor.py): each rule on crafted histories and probes, then on
real runs of the engine. Crafted numbers follow what the networks named in each test produce
(measured on the 8x8 digits)."""

import json
import math
import re
import string
import time
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import EXAMPLE, small_experiment
from workbench.config import load_experiment
from workbench.core import RunStatus, fit
from workbench.core import doctor as doctor_module
from workbench.core.doctor import (
    BUILTIN_CLASSES,
    TEXTS,
    Diagnosis,
    diagnose,
)
from workbench.core.events import EpochMetrics
from workbench.core.probe_types import Histogram, LayerProbe, ProbeSnapshot

# Their runs' epochs take milliseconds: without it, which epochs are looked at depends on
# the machine's speed (probes.MAX_COST_SHARE).
pytestmark = pytest.mark.usefixtures("every_epoch_looked")

CHANCE = math.log(10)  # the digits' ten classes


def history(train, val, train_acc=None, val_acc=None, lr=0.001):
    """EpochMetrics from lists of losses (and accuracies: by default, falling with the loss)."""
    n = len(train)
    train_acc = train_acc or [max(0.0, 1 - t / CHANCE) for t in train]
    val_acc = val_acc or [max(0.0, 1 - v / CHANCE) for v in val]
    return tuple(
        EpochMetrics(i + 1, n, train[i], train_acc[i], val[i], val_acc[i], lr, 0.1)
        for i in range(n)
    )


def falling(n, start=2.0, end=0.2):
    """A healthy, smoothly falling loss curve."""
    return [end + (start - end) * math.exp(-0.35 * i) for i in range(n)]


def dense(*activations, init="he", std=0.01, units=100):
    return {
        "layers": [
            {"type": "dense", "units": units, "activation": a, "init": init, "init_std": std}
            for a in activations
        ]
    }


experiment = small_experiment  # digits, one ReLU layer of 32, Adam at 0.01, no early stopping


def ids(diagnoses, severities=("problem", "warning", "info")):
    return {d.id for d in diagnoses if d.severity in severities}


def serious(diagnoses):
    return [d for d in diagnoses if d.severity != "info"]


def only(diagnoses, name):
    found = [d for d in diagnoses if d.id == name]
    assert len(found) == 1, [d.id for d in diagnoses]
    return found[0]


# --- crafted probes -------------------------------------------------------------------------


def weights_with_norm(norm, count=10_000):
    """A weight histogram whose L2 norm (each count at its bin's centre) is `norm`."""
    centre = norm / math.sqrt(count)
    return Histogram(
        edges=np.array([-2 * centre, 0.0, 2 * centre]),
        counts=np.array([count // 2, count - count // 2], dtype=np.int64),
    )


def probe(
    number,
    activation,
    *,
    grad=None,
    weight_norm=10.0,
    saturated=None,
    dead=None,
):
    if saturated is None and activation in ("sigmoid", "tanh"):
        saturated = 0.0
    if dead is None and activation == "relu":
        dead = 0.0
    return LayerProbe(
        name=f"{number} dense ({activation})",
        activation=activation,
        activations=Histogram(np.linspace(0.0, 1.0, 21), np.ones(20, dtype=np.int64)),
        mean=0.5,
        std=0.2,
        dead_share=dead,
        saturated_share=saturated,
        weights=weights_with_norm(weight_norm),
        grad_norm=grad,
        update_ratio=None if grad is None else 1e-3,
    )


def snapshot(epoch, layers, final=True):
    return ProbeSnapshot(epoch=epoch, step=epoch * 11, layers=tuple(layers), final=final)


def stack(epoch, activation, grads, **per_layer):
    """One snapshot of a stack of layers; `per_layer` values are lists, one item per layer."""
    layers = []
    for i, grad in enumerate(grads):
        extra = {key: values[i] for key, values in per_layer.items()}
        layers.append(probe(i + 1, activation, grad=None if epoch == 0 else grad, **extra))
    return snapshot(epoch, layers)


# Sigmoid, normal std 1, seven layers of 100 (the book's experiment, deeper): outputs piled at
# 0 and 1 in every layer, gradient norms flat across layers (the large weights make up for
# the flat sigmoid) but tiny next to the weights (norm 80-100), loss stuck at chance.
SIGMOID_STD1_SATURATED = [0.51, 0.47, 0.48, 0.56, 0.48, 0.41, 0.43]
SIGMOID_STD1_GRADS = [5.8e-2, 5.9e-2, 5.6e-2, 5.8e-2, 6.0e-2, 5.6e-2, 4.3e-2]
SIGMOID_STD1_WEIGHTS = [80.0] + [100.0] * 6
# Sigmoid, normal std 0.01, five layers: outputs at 0.5, gradients fall by 1e6 towards the input.
SIGMOID_STD001_GRADS = [1.07e-7, 1.46e-6, 5.7e-5, 2.3e-3, 9.1e-2]
# ReLU with He, six layers, Adam: a healthy network.
RELU_HE_GRADS = [0.45, 0.59, 0.56, 0.61, 0.65, 0.55]
RELU_HE_DEAD = [0.0, 0.0, 0.01, 0.09, 0.14, 0.16]


# --- the diagnosis itself -------------------------------------------------------------------


def test_diagnosis_to_dict_is_the_report_entry_plus_changes():
    diagnosis = Diagnosis(
        "overfitting", "warning", 7, "It rose.", "Add weight decay.", {"optimizer.lr": 1e-4}
    )
    data = diagnosis.to_dict()
    assert list(data) == ["id", "severity", "epoch", "evidence", "suggestion", "changes"]
    assert data["changes"] == {"optimizer.lr": 1e-4}
    assert json.loads(json.dumps(data)) == data
    hash(diagnosis)  # frozen and hashable, though `changes` is a mapping
    with pytest.raises(AttributeError):
        diagnosis.epoch = 3  # type: ignore[misc]


def test_every_text_is_one_plain_line_with_named_fields_and_is_used():
    source = Path(doctor_module.__file__).read_text(encoding="utf-8")
    named = set(re.findall(r'say\(\s*"([a-z_.]+)"', source))
    assert named <= set(TEXTS), named - set(TEXTS)
    for key in TEXTS:  # each also named where it is said (monitor.*: by an f-string)
        assert source.count(f'"{key}"') >= 2 or key.startswith("monitor."), key
    for key, text in TEXTS.items():
        assert "\n" not in text and text == text.strip(), key
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
        assert all(name.isidentifier() for name in fields), (key, fields)  # no "{}" or "{0}"


def test_builtin_class_counts_match_the_datasets():
    from workbench.data.builtin import dataset_info

    assert {name: dataset_info(name)[2] for name in BUILTIN_CLASSES} == BUILTIN_CLASSES


def test_suggested_numbers_are_written_as_people_type_them():
    found = diagnose(experiment(optimizer={"lr": 0.003}), history([2.3, math.nan], [2.3, 2.3]))
    assert only(found, "divergence").changes == {
        "optimizer.lr": 0.0003
    }  # not 0.00030000000000000003
    assert "(0.003) is too high: try 0.0003," in found[0].suggestion


# --- divergence and spikes ------------------------------------------------------------------


def test_a_nan_loss_is_divergence_with_ten_times_smaller_rate():
    found = diagnose(
        experiment(optimizer={"name": "sgd", "lr": 10.0}),
        history([4.66e21], [2.9e24]),
        status=RunStatus.DIVERGED,
    )
    assert [(d.id, d.severity, d.epoch) for d in found] == [("divergence", "problem", 1)]
    assert found[0].changes == {"optimizer.lr": 1.0}
    assert "4.66e21" in found[0].evidence and "epoch 1" in found[0].evidence
    assert "(10)" in found[0].suggestion and "try 1," in found[0].suggestion


def test_divergence_is_seen_in_the_numbers_before_the_engine_says_so():
    curve = history([2.0, 1.5, math.inf], [1.9, 1.4, 1.5])
    assert ids(diagnose(experiment(), curve)) == {"divergence"}
    assert only(diagnose(experiment(), curve), "divergence").epoch == 3
    runaway = history([2.0, 1e5], [1.9, 1.4])  # 43,000 x ln(10): past the engine's limit
    assert only(diagnose(experiment(), runaway), "divergence").epoch == 2
    validation = only(diagnose(experiment(), history([2.0, 1.0], [1.9, math.nan])), "divergence")
    assert "validation loss" in validation.evidence


def test_the_engines_verdict_stands_where_the_history_looks_finite():
    found = diagnose(experiment(), history([2.0, 900.0], [1.9, 800.0]), status=RunStatus.DIVERGED)
    assert only(found, "divergence").epoch == 2


def test_divergence_from_large_initial_weights_suggests_he_or_xavier():
    exp = experiment(model=dense("relu", "relu", init="normal", std=1.0))
    found = only(diagnose(exp, history([3800.0, math.nan], [4000.0, math.nan])), "divergence")
    assert found.changes == {"model.layers.0.init": "he", "model.layers.1.init": "he"}
    assert "too large" in found.suggestion


def test_after_divergence_the_curves_say_nothing_more():
    # Spikes, a rising validation loss and noise before a NaN are the divergence's doing.
    train = [2.0, 1.0, 0.5, 1.2, 0.4, 2.5, 0.8, math.nan]
    val = [1.9, 1.1, 0.9, 1.5, 2.0, 3.5, 2.2, math.nan]
    assert ids(diagnose(experiment(), history(train, val))) == {"divergence"}


def test_loss_spikes_suggest_a_three_times_smaller_rate():
    train = [0.86, 0.37, 0.23, 0.23, 0.12, 0.21, 0.18, 0.33, 0.26, 0.13, 0.49, 0.37]
    val = [1.1, 0.9, 0.8, 0.8, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]
    found = only(diagnose(experiment(optimizer={"lr": 0.1}), history(train, val)), "loss_spikes")
    assert (found.severity, found.epoch) == ("warning", 6)
    assert found.changes == {"optimizer.lr": 0.0333}
    assert "3 time(s)" in found.evidence and "0.12 to 0.21" in found.evidence


def test_a_converged_loss_wobbling_is_not_a_spike():
    train = [0.5, 0.1, 0.01, 0.001, 0.0001, 0.0003, 0.0001, 0.0002]
    val = [0.5, 0.2, 0.15, 0.14, 0.14, 0.14, 0.14, 0.14]
    assert "loss_spikes" not in ids(diagnose(experiment(), history(train, val)))


# --- overfitting and underfitting -----------------------------------------------------------


# 300 samples, six ReLU layers of 100, Adam: the validation loss bottoms out at epoch 5.
OVERFIT_TRAIN = [1.9, 0.9, 0.4, 0.15, 0.06, 0.02, 0.008, 0.004, 0.002, 0.001, 0.0008, 0.0006]
OVERFIT_VAL = [1.4, 0.7, 0.5, 0.44, 0.42, 0.43, 0.45, 0.47, 0.49, 0.51, 0.52, 0.53]


def test_a_rising_validation_loss_is_overfitting():
    exp = experiment(early_stopping={"enabled": False})
    found = only(diagnose(exp, history(OVERFIT_TRAIN, OVERFIT_VAL)), "overfitting")
    assert (found.severity, found.epoch) == ("warning", 6)
    assert "0.42 in epoch 5 to 0.53 in epoch 12" in found.evidence
    assert found.changes == {"optimizer.weight_decay": 1e-3, "early_stopping.enabled": True}
    assert "weight decay" in found.suggestion and "early stopping" in found.suggestion


def test_early_stopping_that_keeps_the_best_weights_makes_a_rise_only_info():
    exp = experiment(early_stopping={"enabled": True})
    found = only(diagnose(exp, history(OVERFIT_TRAIN, OVERFIT_VAL)), "overfitting")
    assert found.severity == "info"
    assert found.changes == {"optimizer.weight_decay": 1e-3}
    exp = experiment(early_stopping={"enabled": True, "restore_best": False})
    found = only(diagnose(exp, history(OVERFIT_TRAIN, OVERFIT_VAL)), "overfitting")
    assert found.severity == "warning"
    assert found.changes["early_stopping.restore_best"] is True


def test_existing_weight_decay_is_raised_three_times():
    exp = experiment(optimizer={"weight_decay": 1e-3})
    found = only(diagnose(exp, history(OVERFIT_TRAIN, OVERFIT_VAL)), "overfitting")
    assert found.changes["optimizer.weight_decay"] == 0.003


@pytest.mark.parametrize(
    "val",
    [
        # Momentum on all the digits: 2.5% above its lowest after 6 epochs (a plateau).
        [1.4, 0.7, 0.5, 0.3, 0.25, 0.22, 0.2, 0.2023, 0.2016, 0.2014, 0.2023, 0.2021, 0.2019],
        # A clear rise, but only 3 epochs after the lowest: not yet "several".
        [1.4, 0.7, 0.5, 0.44, 0.42, 0.38, 0.36, 0.35, 0.34, 0.33, 0.4, 0.45, 0.5],
    ],
    ids=["plateau", "too-recent"],
)
def test_a_validation_plateau_or_a_fresh_rise_is_not_overfitting(val):
    train = falling(len(val), 1.9, 0.01)
    assert "overfitting" not in ids(diagnose(experiment(), history(train, val)))


def test_a_large_accuracy_gap_is_overfitting_while_validation_still_improves():
    # The seven-layer SGD example on 300 samples, epochs 90-100: 100% vs 88%.
    train = falling(100, 2.3, 0.1)
    val = falling(100, 2.3, 0.45)
    train_acc = [min(1.0, 0.1 + i / 80) for i in range(100)]
    val_acc = [min(0.88, 0.1 + i / 90) for i in range(100)]
    found = only(diagnose(experiment(), history(train, val, train_acc, val_acc)), "overfitting")
    assert found.severity == "warning"
    assert found.epoch == 73  # the first of the epochs at 99% or more with a 10-point gap
    assert "100%" in found.evidence and "88%" in found.evidence and "12 points" in found.evidence


def test_a_levelled_high_loss_is_underfitting():
    # Spiral, one hidden layer of 2 units: stuck at 65% of chance (ln 3), 65% right.
    chance = math.log(3)
    train = [1.0, 0.85, 0.78, 0.74, 0.725, 0.72, 0.719, 0.719]
    val = [t + 0.01 for t in train]
    acc = [0.5, 0.58, 0.62, 0.64, 0.65, 0.65, 0.65, 0.65]
    exp = experiment(data={"source": "spiral"})
    found = only(diagnose(exp, history(train, val, acc, acc)), "underfitting")
    assert (found.severity, found.epoch) == ("warning", 6)
    assert found.changes == {}
    assert f"{0.719 / chance:.0%}" in found.evidence
    exp = experiment(data={"source": "spiral"}, optimizer={"weight_decay": 0.5})
    found = only(diagnose(exp, history(train, val, acc, acc)), "underfitting")
    assert found.changes == {"optimizer.weight_decay": 0.05}


def test_a_high_loss_with_most_training_samples_right_is_not_underfitting():
    # Adam at lr 0.3 on the digits: the loss levels off at 3.07 (above ln 10) while 96 % of
    # the training samples are right: a few very confident mistakes, not too small a network.
    train = [11.1, 4.0, 3.36, 3.10, 3.08, 3.07, 3.07]
    val = [t + 0.1 for t in train]
    acc = [0.62, 0.9, 0.95, 0.96, 0.96, 0.96, 0.96]
    val_acc = [a - 0.02 for a in acc]
    found = diagnose(experiment(), history(train, val, acc, val_acc))
    assert "underfitting" not in ids(found)
    low = [a - 0.5 for a in acc]  # the same losses with most samples wrong: underfitting
    assert "underfitting" in ids(diagnose(experiment(), history(train, val, low, low)))


def test_underfitting_needs_the_number_of_classes():
    train = [1.0, 0.85, 0.78, 0.74, 0.725, 0.72, 0.719, 0.719]
    acc = [0.65] * 8
    exp = experiment(data={"source": "csv", "path": "table.csv"})
    assert "underfitting" not in ids(diagnose(exp, history(train, train, acc, acc)))
    found = diagnose(exp, history(train, train, acc, acc), n_classes=3)
    assert "underfitting" in ids(found)


# --- too slow -------------------------------------------------------------------------------


def test_a_loss_that_does_not_move_is_too_slow_and_asks_for_ten_times_the_rate():
    # Adam at lr 1e-6: 2.3311 -> 2.3298 in 5 epochs.
    train = [2.3311, 2.3307, 2.3304, 2.3301, 2.3298]
    val = [2.4236, 2.4232, 2.4229, 2.4226, 2.4223]
    found = diagnose(experiment(optimizer={"lr": 1e-6}), history(train, val, lr=1e-6))
    slow = only(found, "too_slow")
    assert (slow.severity, slow.epoch) == ("problem", 1)
    assert slow.changes == {"optimizer.lr": 1e-5}
    assert "1e-6" in slow.suggestion and "1e-5" in slow.suggestion
    assert "underfitting" not in ids(found)  # not moving is not a small network's doing


def test_too_slow_with_hand_picked_initial_values_suggests_he_and_xavier():
    exp = experiment(model=dense("sigmoid", "relu", init="normal", std=0.01))
    train = [2.34, 2.324, 2.315, 2.31, 2.307, 2.305]
    found = only(diagnose(exp, history(train, train)), "too_slow")
    assert found.changes == {"model.layers.0.init": "xavier", "model.layers.1.init": "he"}
    assert "0.01" in found.suggestion


def test_too_slow_under_heavy_weight_decay_suggests_less_of_it():
    exp = experiment(optimizer={"weight_decay": 3.0})
    train = [2.32, 2.31, 2.305, 2.302, 2.3, 2.3]
    assert only(diagnose(exp, history(train, train)), "too_slow").changes == {
        "optimizer.weight_decay": 0.3
    }


@pytest.mark.parametrize(
    "train",
    [
        # 300 samples in mini-batches of 100 with SGD at 0.01: slow, but on its way.
        [2.3633, 2.3237, 2.2927, 2.2629, 2.2354, 2.2079],
        # Low already: a plateau, not a standstill.
        [0.2, 0.199, 0.198, 0.198, 0.197, 0.197],
        # Too early to tell.
        [2.33, 2.33, 2.33, 2.33],
    ],
    ids=["slow-but-moving", "low-plateau", "four-epochs"],
)
def test_not_too_slow(train):
    assert "too_slow" not in ids(diagnose(experiment(), history(train, train)))


def test_too_slow_without_the_number_of_classes_reads_the_accuracy():
    exp = experiment(data={"source": "csv", "path": "table.csv"})
    flat = [0.2, 0.199, 0.198, 0.198, 0.197, 0.197]
    assert "too_slow" not in ids(diagnose(exp, history(flat, flat, [0.95] * 6, [0.94] * 6)))
    stuck = [2.3311, 2.3307, 2.3304, 2.3301, 2.3298]
    found = diagnose(exp, history(stuck, stuck, [0.13] * 5, [0.12] * 5))
    assert "too_slow" in ids(found)


# --- noisy validation -----------------------------------------------------------------------


def test_a_zigzagging_validation_loss_asks_for_a_larger_batch():
    # SGD at lr 0.1 with mini-batches of 2: back and forth by half its level.
    val = [0.4, 0.3, 0.6, 0.35, 0.7, 0.4, 0.65, 0.3, 0.55, 0.35, 0.6, 0.4]
    train = falling(len(val), 0.5, 0.1)
    exp = experiment(training={"batch_size": 2})
    found = only(diagnose(exp, history(train, val)), "noisy_validation")
    assert (found.severity, found.epoch) == ("warning", 5)  # the window of the last 8
    assert found.changes == {"training.batch_size": 32}
    exp = experiment(training={"batch_size": 16})
    assert only(diagnose(exp, history(train, val)), "noisy_validation").changes == {
        "training.batch_size": 64
    }


def test_noise_with_large_batches_asks_for_a_smaller_rate():
    val = [1.1, 1.6, 1.2, 2.0, 1.3, 2.4, 1.5, 2.6, 1.4, 2.8, 1.6, 3.0]
    train = falling(len(val), 0.9, 0.1)
    exp = experiment(optimizer={"lr": 0.1}, training={"batch_size": 64})
    assert only(diagnose(exp, history(train, val)), "noisy_validation").changes == {
        "optimizer.lr": 0.0333
    }


@pytest.mark.parametrize(
    "val",
    [
        # Momentum: a fast fall, then flat (curvature is not noise).
        [0.80, 0.41, 0.31, 0.24, 0.238, 0.22, 0.212, 0.208, 0.205, 0.202, 0.201, 0.2],
        # A converged loss jittering in its fourth decimal.
        [0.01, 0.004, 0.002, 0.0021, 0.0015, 0.0022, 0.0012, 0.002, 0.0014, 0.0019],
    ],
    ids=["fast-fall", "tiny-jitter"],
)
def test_smooth_or_tiny_validation_curves_are_not_noisy(val):
    train = falling(len(val), 0.9, 0.01)
    exp = experiment(training={"batch_size": 4})
    assert "noisy_validation" not in ids(diagnose(exp, history(train, val)))


# --- early stopping and the test set --------------------------------------------------------


def test_early_stopping_that_never_fired_while_still_improving_suggests_more_epochs():
    exp = experiment(early_stopping={"enabled": True}, training={"epochs": 20})
    curve = history(falling(20, 2.1, 0.1), [1.9 - 0.08 * i for i in range(20)])
    found = only(diagnose(exp, curve, status=RunStatus.COMPLETED), "early_stopping_never_triggered")
    assert (found.severity, found.epoch) == ("info", 20)
    assert found.changes == {"training.epochs": 40}
    assert "validation loss" in found.evidence
    # Only at the end, only when early stopping is on, only while it still improves.
    assert "early_stopping_never_triggered" not in ids(diagnose(exp, curve))
    off = experiment(early_stopping={"enabled": False})
    assert "early_stopping_never_triggered" not in ids(
        diagnose(off, curve, status=RunStatus.COMPLETED)
    )
    flat = history(falling(20, 2.1, 0.1), falling(20, 1.9, 0.2)[:14] + [0.2032] * 6)
    assert "early_stopping_never_triggered" not in ids(
        diagnose(exp, flat, status=RunStatus.COMPLETED)
    )


def test_early_stopping_on_accuracy_reads_accuracy():
    exp = experiment(early_stopping={"enabled": True, "monitor": "val_accuracy"})
    val_acc = [0.5 + 0.02 * i for i in range(20)]
    curve = history(falling(20), falling(20), val_acc=val_acc)
    found = only(diagnose(exp, curve, status=RunStatus.COMPLETED), "early_stopping_never_triggered")
    assert "validation accuracy" in found.evidence and "88%" in found.evidence


def test_a_test_set_looked_at_three_times_is_a_warning():
    curve = history(falling(5), falling(5))
    assert "test_set_overused" not in ids(diagnose(experiment(), curve, test_looks=2))
    found = only(diagnose(experiment(), curve, test_looks=3), "test_set_overused")
    assert (found.severity, found.epoch, found.changes) == ("warning", 5, {})
    assert "3 times" in found.evidence


# --- the probes -----------------------------------------------------------------------------


def sigmoid_std1_run(epochs=3):
    exp = experiment(model=dense(*["sigmoid"] * 7, init="normal", std=1.0))
    snaps = [
        stack(
            e,
            "sigmoid",
            SIGMOID_STD1_GRADS,
            saturated=SIGMOID_STD1_SATURATED,
            weight_norm=SIGMOID_STD1_WEIGHTS,
        )
        for e in range(epochs + 1)
    ]
    train = [2.33, 2.31, 2.30, 2.29, 2.285][:epochs]  # measured: 2.33 to 2.26 in 10 epochs
    return exp, history(train, [t - 0.01 for t in train]), snaps


def test_sigmoid_with_std_1_is_saturated_from_the_start_and_its_gradients_vanish():
    exp, curve, snaps = sigmoid_std1_run()
    found = diagnose(exp, curve, snaps)
    saturated = only(found, "saturated_sigmoids")
    assert (saturated.severity, saturated.epoch) == ("warning", 0)
    assert "At initialisation, 56% of the outputs of layer 4 dense (sigmoid)" in saturated.evidence
    assert saturated.changes == {f"model.layers.{i}.init": "xavier" for i in range(7)}
    assert "Xavier" in saturated.suggestion
    vanishing = only(found, "vanishing_gradients")
    assert (vanishing.severity, vanishing.epoch) == ("warning", 1)
    # 0.058 / 80 in the first layer is the largest share of its weights any gradient has.
    assert "more than 0.000725 of its weights (largest: layer 1 dense (sigmoid))" in (
        vanishing.evidence
    )
    assert vanishing.changes == saturated.changes
    # Right at initialisation, before any step, the saturation is already there.
    assert ids(diagnose(exp, (), snaps[:1])) == {"saturated_sigmoids"}


def test_saturation_at_the_start_is_reported_even_when_the_network_learns_later():
    exp, _, snaps = sigmoid_std1_run()
    learned = history([1.5, 0.5, 0.1], [1.4, 0.5, 0.15])  # Adam gets through it
    found = diagnose(exp, learned, snaps)
    assert ids(found) == {"saturated_sigmoids"}  # the gradients are no longer "vanishing"


def test_saturation_during_training_counts_only_while_the_loss_is_stuck():
    exp = experiment(model=dense("sigmoid", "sigmoid", init="xavier"))
    start = stack(0, "sigmoid", [None, None], saturated=[0.01, 0.0])
    # Xavier with Adam, trained: outputs pinned on purpose at a loss of 0.07.
    trained = [stack(e, "sigmoid", [0.1, 0.1], saturated=[0.26, 0.56]) for e in (1, 2)]
    curve = history([0.5, 0.07], [0.5, 0.1])
    assert "saturated_sigmoids" not in ids(diagnose(exp, curve, [start, *trained]))
    stuck = history([2.31, 2.30], [2.31, 2.30], lr=0.1)
    found = only(diagnose(exp, stuck, [start, *trained]), "saturated_sigmoids")
    assert found.epoch == 1 and "In epoch 1, 56%" in found.evidence
    # The initial values already suit sigmoid: the suggestion is Batch Normalization or a
    # smaller rate, and the form change the rate (the experiment's 0.01, not the history's).
    assert found.changes == {"optimizer.lr": 0.001}
    assert "Batch Normalization" in found.suggestion


def test_tanh_saturation_names_tanh():
    exp = experiment(model=dense("tanh", "tanh", init="normal", std=1.0))
    snaps = [stack(0, "tanh", [None, None], saturated=[0.74, 0.81])]
    found = only(diagnose(exp, (), snaps), "saturated_sigmoids")
    assert "81% of the outputs of layer 2 dense (tanh)" in found.evidence
    assert "tanh passes almost no gradient" in found.evidence


def test_gradients_falling_a_million_times_towards_the_input_vanish():
    exp = experiment(model=dense(*["sigmoid"] * 5, init="normal", std=0.01))
    snaps = [stack(e, "sigmoid", SIGMOID_STD001_GRADS) for e in range(3)]
    found = only(diagnose(exp, history([2.34, 2.32], [2.33, 2.32]), snaps), "vanishing_gradients")
    assert found.epoch == 1
    assert "layer 1 dense (sigmoid) (1.07e-7)" in found.evidence
    assert "8.5e5 times smaller" in found.evidence
    assert found.changes == {f"model.layers.{i}.init": "xavier" for i in range(5)}


def test_a_hundredfold_fan_counts_only_while_nothing_is_learnt():
    # Xavier with sigmoid: about 100x at the start; Adam learns through it, SGD at 0.1 does not.
    exp = experiment(model=dense(*["sigmoid"] * 5, init="xavier"))
    grads = [7e-4, 1.3e-3, 4.8e-3, 2.1e-2, 8.5e-2]
    snaps = [stack(e, "sigmoid", grads, weight_norm=[1.0] * 5) for e in range(3)]
    learning = history([1.9, 1.2], [1.8, 1.1])
    assert "vanishing_gradients" not in ids(diagnose(exp, learning, snaps))
    stuck = history([2.32, 2.31], [2.31, 2.31])
    found = only(diagnose(exp, stuck, snaps), "vanishing_gradients")
    # Already Xavier: nothing to change in the form; Batch Normalization is the way.
    assert found.changes == {} and "Batch Normalization" in found.suggestion


def test_a_healthy_relu_network_has_no_layer_findings():
    exp = experiment(model=dense(*["relu"] * 6))
    snaps = [
        stack(e, "relu", RELU_HE_GRADS, dead=RELU_HE_DEAD, weight_norm=[14.0] * 6) for e in range(4)
    ]
    assert diagnose(exp, history([1.6, 0.78, 0.28], [1.5, 0.8, 0.35]), snaps) == []


def test_tiny_gradients_of_a_converged_network_are_not_vanishing():
    exp = experiment(model=dense(*["relu"] * 6))
    snaps = [stack(e, "relu", [1e-3] * 6, weight_norm=[14.0] * 6) for e in range(3)]
    assert "vanishing_gradients" not in ids(diagnose(exp, history([0.01, 1e-4], [0.2, 0.2]), snaps))


def test_a_nan_gradient_is_an_exploding_problem():
    exp = experiment(model=dense("relu", "relu"), optimizer={"lr": 0.5})
    snaps = [stack(0, "relu", [None, None]), stack(1, "relu", [math.inf, 3e5])]
    found = only(diagnose(exp, history([5000.0], [4000.0]), snaps), "exploding_gradients")
    assert (found.severity, found.epoch) == ("problem", 1)
    assert "infinity" in found.evidence
    assert found.changes == {"optimizer.lr": 0.05}


def test_gradients_larger_than_the_weights_explode_and_blame_large_initial_values():
    # ReLU with normal std 1: gradients 5-15 times the weights' norm.
    exp = experiment(model=dense(*["relu"] * 3, init="normal", std=1.0), optimizer={"lr": 1e-6})
    snaps = [
        stack(e, "relu", [1.2e3, 1.3e3, 1.5e3], weight_norm=[80.0, 100.0, 100.0]) for e in (0, 1)
    ]
    found = only(diagnose(exp, history([3800.0], [3300.0]), snaps), "exploding_gradients")
    assert found.severity == "warning"
    assert "15 times the size of its weights" in found.evidence
    assert found.changes == {f"model.layers.{i}.init": "he" for i in range(3)}


def test_gradients_growing_a_thousandfold_towards_the_input_explode():
    exp = experiment(model=dense(*["tanh"] * 4, init="xavier"))
    snaps = [stack(1, "tanh", [40.0, 2.0, 0.2, 0.03], weight_norm=[100.0] * 4)]
    found = only(diagnose(exp, history([1.9], [1.9]), snaps), "exploding_gradients")
    assert "1.33e3 times larger" in found.evidence


def test_dead_relus_from_small_initial_values_suggest_he_for_that_layer():
    # ReLU with normal std 0.01, five layers: 72% of the last layer's units never fire.
    exp = experiment(model=dense(*["relu"] * 5, init="normal", std=0.01))
    dead = [0.0, 0.0, 0.0, 0.03, 0.72]
    snaps = [stack(e, "relu", [6e-6] * 5, dead=dead if e else [0.0] * 5) for e in range(3)]
    found = only(diagnose(exp, history([2.3, 2.3], [2.3, 2.3]), snaps), "dead_relus")
    assert (found.severity, found.epoch) == ("warning", 1)
    assert "72% of the units of layer 5 dense (relu)" in found.evidence
    assert found.changes == {"model.layers.4.init": "he"}


def test_dead_relus_with_he_already_suggest_a_smaller_rate():
    exp = experiment(model=dense(*["relu"] * 3), optimizer={"name": "sgd", "lr": 1.0})
    snaps = [stack(1, "relu", [0.4, 0.3, 0.2], dead=[0.1, 0.4, 0.6])]
    found = only(diagnose(exp, history([1.9], [1.9]), snaps), "dead_relus")
    assert found.changes == {"optimizer.lr": 0.1}
    quiet = [stack(1, "relu", [0.4, 0.3, 0.2], dead=[0.1, 0.3, 0.47])]
    assert "dead_relus" not in ids(diagnose(exp, history([1.9], [1.9]), quiet))


def test_a_finding_gone_by_the_latest_snapshot_is_not_reported():
    exp = experiment(model=dense(*["relu"] * 2))
    snaps = [stack(1, "relu", [0.4, 0.3], dead=[0.1, 0.7]), stack(2, "relu", [0.4, 0.3])]
    assert "dead_relus" not in ids(diagnose(exp, history([1.9, 1.0], [1.9, 1.1]), snaps))


def test_intermediate_snapshots_are_left_out():
    exp = experiment(model=dense(*["relu"] * 2))
    inside = ProbeSnapshot(5, 50, stack(5, "relu", [0.4, 0.3], dead=[0.9, 0.9]).layers, final=False)
    assert "dead_relus" not in ids(diagnose(exp, history([1.9], [1.9]), [inside]))


def test_layers_between_the_weighted_ones_keep_the_form_indices_right():
    # Dense, Dropout, BatchNorm, Dense: the probes see two layers, the form has four.
    layers = [
        {"type": "dense", "units": 100, "activation": "sigmoid", "init": "normal", "init_std": 1.0},
        {"type": "dropout", "p": 0.2},
        {"type": "batchnorm"},
        {"type": "dense", "units": 100, "activation": "sigmoid", "init": "normal", "init_std": 1.0},
    ]
    exp = experiment(model={"layers": layers})
    snaps = [stack(0, "sigmoid", [None, None], saturated=[0.1, 0.5])]
    found = only(diagnose(exp, (), snaps), "saturated_sigmoids")
    assert found.changes == {"model.layers.3.init": "xavier"}
    # Probes that do not line up with the layers fall back on their names' numbers.
    odd = snapshot(0, [probe(4, "sigmoid", saturated=0.5)])
    assert only(diagnose(exp, (), [odd]), "saturated_sigmoids").changes == {
        "model.layers.3.init": "xavier"
    }


# --- the whole -----------------------------------------------------------------------------


def test_diagnoses_are_sorted_by_severity_then_epoch_and_deterministic():
    exp = experiment(
        model=dense(*["sigmoid"] * 7, init="normal", std=1.0), early_stopping={"enabled": False}
    )
    _, curve, snaps = sigmoid_std1_run(epochs=5)
    first = diagnose(exp, curve, snaps, test_looks=4)
    assert [(d.severity, d.epoch) for d in first] == sorted(
        [(d.severity, d.epoch) for d in first],
        key=lambda pair: (("problem", "warning", "info").index(pair[0]), pair[1]),
    )
    assert first[0].id == "too_slow"
    assert diagnose(exp, curve, snaps, test_looks=4) == first


def test_every_partial_history_can_be_diagnosed():
    exp = experiment(optimizer={"lr": 0.1})
    train = [0.86, 0.37, 0.23, math.nan]
    curve = history(train, [1.1, 1.6, 1.9, math.nan])
    for n in range(len(curve) + 1):
        diagnose(exp, curve[:n])
    assert diagnose(exp, (), ()) == []


def test_a_healthy_crafted_run_has_no_warnings():
    exp = experiment(early_stopping={"enabled": True}, model=dense("relu"))
    curve = history(falling(20, 2.1, 0.12), falling(20, 1.9, 0.21))
    snaps = [stack(e, "relu", [0.3], dead=[0.02], weight_norm=[14.0]) for e in range(21)]
    for n in range(21):
        assert serious(diagnose(exp, curve[:n], snaps[: n + 1])) == []
    assert ids(diagnose(exp, curve, snaps, status=RunStatus.COMPLETED)) <= {
        "early_stopping_never_triggered"
    }


def test_diagnosing_is_cheap():
    exp = experiment(model=dense(*["sigmoid"] * 7, init="normal", std=1.0))
    curve = history(falling(200), falling(200, 1.9, 0.3))
    snaps = [
        stack(e, "sigmoid", SIGMOID_STD1_GRADS, saturated=SIGMOID_STD1_SATURATED)
        for e in range(201)
    ]
    started = time.perf_counter()
    for _ in range(20):
        diagnose(exp, curve, snaps, status=RunStatus.COMPLETED)
    assert (time.perf_counter() - started) / 20 < 0.05  # per call, after a 200-epoch run


# --- real runs ------------------------------------------------------------------------------


@pytest.fixture
def one_thread():
    """Train on one thread: these models are too small to gain from two, and on a busy 2-core
    machine two threads waiting on each other made a 1 s run take 17-24 s."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def relu(*units):
    return {
        "layers": [{"type": "dense", "units": n, "activation": "relu", "init": "he"} for n in units]
    }


def test_300_samples_and_a_big_model_overfit(one_thread):
    # Three ReLU layers of 200 with Adam at 0.01 on 300 samples: the validation loss turns up
    # after its lowest and is still up at epoch 30 for every seed tried (0-7).
    exp = small_experiment(
        data={"train_limit": 300},
        model=relu(200, 200, 200),
        optimizer={"name": "adam", "lr": 0.01},
        training={"epochs": 30, "batch_size": 32},
    )
    result = fit(exp)
    found = only(diagnose(exp, result.history, status=result.status), "overfitting")
    assert found.severity == "warning"
    assert found.changes == {"optimizer.weight_decay": 1e-3, "early_stopping.enabled": True}


def test_the_seven_layer_example_overfits_by_its_accuracy_gap(one_thread):
    # The example the issue names: 300 samples, six ReLU layers, SGD at 0.01, 200 epochs.
    exp = load_experiment(EXAMPLE.parent / "mlp-7-layer.toml")
    exp = exp.model_copy(update={"training": exp.training.model_copy(update={"device": "cpu"})})
    result = fit(exp)
    found = only(diagnose(exp, result.history, status=result.status), "overfitting")
    assert found.severity == "warning" and "points less" in found.evidence


def test_learning_rate_10_diverges_and_the_doctor_says_try_1(one_thread):
    exp = small_experiment(optimizer={"name": "sgd", "lr": 10.0}, training={"epochs": 5})
    result = fit(exp)
    assert result.status == RunStatus.DIVERGED
    found = diagnose(exp, result.history, status=result.status)
    assert [(d.id, d.severity) for d in found] == [("divergence", "problem")]
    assert found[0].changes == {"optimizer.lr": 1.0}


def test_learning_rate_1e6_is_too_slow_and_the_doctor_says_try_1e5(one_thread):
    exp = small_experiment(optimizer={"name": "adam", "lr": 1e-6}, training={"epochs": 5})
    result = fit(exp)
    found = diagnose(exp, result.history, status=result.status)
    assert ids(found, ("problem", "warning")) == {"too_slow"}
    assert only(found, "too_slow").changes == {"optimizer.lr": 1e-5}


def test_the_digits_adam_example_is_healthy_all_along(one_thread):
    exp = load_experiment(EXAMPLE)
    exp = exp.model_copy(update={"training": exp.training.model_copy(update={"device": "cpu"})})
    result = fit(exp)
    for n in range(len(result.history) + 1):
        assert serious(diagnose(exp, result.history[:n])) == [], n
    assert serious(diagnose(exp, result.history, status=result.status)) == []


# --- real runs inside the network (probed, as every recorded run is) --------------------------


def probed_run(model, optimizer=None, epochs=3):
    """A digits run through the session every recorded run goes through: probes, then the
    doctor with the run's ending. SGD at 0.01 by default, the book's setting for its
    initial-value experiments (Adam rescales small gradients and hides what they do)."""
    from workbench.runs.session import train_and_record

    exp = small_experiment(
        model=model,
        optimizer=optimizer or {"name": "sgd", "lr": 0.01},
        training={"epochs": epochs},
    )
    return exp, train_and_record(exp, None)


def relative_gradients(snapshot):
    return [doctor_module._relative_gradient(layer) for layer in snapshot.layers]


def test_seven_sigmoid_layers_with_std_1_saturate_and_their_gradients_vanish(one_thread):
    # The "sigmoid std 1 with 7 layers". Measured (seeds 0-3, 3 and 10 epochs): the
    # loss stays at 2.29-2.32 (chance 2.30); 41-56% of every layer's outputs within 1% of 0
    # or 1 from the start; gradients flat across layers (0.05-0.1: the large weights make up
    # for the flat sigmoid, so there is no fan to see) but 4.5e-4 to 1.2e-3 of their weights,
    # where a healthy ReLU + He network has 0.03-0.1.
    exp, outcome = probed_run(dense(*["sigmoid"] * 7, init="normal", std=1.0))
    assert outcome.result.status == RunStatus.COMPLETED
    assert [s.epoch for s in outcome.snapshots] == [0, 1, 2, 3]
    start = outcome.snapshots[0]
    assert min(layer.saturated_share for layer in start.layers) > doctor_module.SATURATED_SHARE
    for snapshot in outcome.snapshots[1:]:
        assert max(relative_gradients(snapshot)) < doctor_module.VANISH_RELATIVE
    saturated = only(outcome.diagnoses, "saturated_sigmoids")
    assert (saturated.severity, saturated.epoch) == ("warning", 0)
    assert saturated.evidence.startswith("At initialisation")
    vanishing = only(outcome.diagnoses, "vanishing_gradients")
    assert (vanishing.severity, vanishing.epoch) == ("warning", 1)
    assert "no layer's gradient was more than" in vanishing.evidence
    xavier = {f"model.layers.{i}.init": "xavier" for i in range(7)}
    assert saturated.changes == vanishing.changes == xavier


@pytest.mark.parametrize(
    "model",
    [
        pytest.param(dense(*["relu"] * 7, init="he"), id="relu-he"),
        pytest.param(
            {
                "layers": [
                    layer
                    for _ in range(7)
                    for layer in (
                        {"type": "dense", "units": 100, "activation": "sigmoid", "init": "xavier"},
                        {"type": "batchnorm"},
                    )
                ]
            },
            id="sigmoid-xavier-batchnorm",
        ),
    ],
)
def test_the_same_depth_with_the_right_initial_values_neither_saturates_nor_vanishes(
    one_thread, model
):
    # Measured with the same SGD at 0.01 (seeds 0-3): the loss falls (2.26 to 1.86-2.0 for
    # ReLU + He, 1.84-1.99 to 0.86-0.95 with batch norm) and the doctor has nothing to say.
    _, outcome = probed_run(model)
    assert outcome.result.history[-1].train_loss < outcome.result.history[0].train_loss - 0.1
    assert not ids(outcome.diagnoses) & {"saturated_sigmoids", "vanishing_gradients"}


def test_adam_learns_through_std_1_sigmoids_so_only_the_saturation_is_reported(one_thread):
    # Adam divides each step by the gradient's own size, so gradients 1e-3 of their weights
    # still move them: the loss falls from 1.9 to 0.4 in three epochs. The saturation at the
    # start is still the initial values' fault; the gradients are no longer "vanishing".
    _, outcome = probed_run(
        dense(*["sigmoid"] * 7, init="normal", std=1.0), {"name": "adam", "lr": 0.01}
    )
    assert outcome.result.history[-1].train_loss < 1.0
    assert ids(outcome.diagnoses, ("problem", "warning")) == {"saturated_sigmoids"}
