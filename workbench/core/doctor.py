"""The run doctor: rules over a run's history and probes that say what went wrong and what to try.

`diagnose(experiment, history, snapshots)` looks at the epochs so far (a partial history
while a run goes, the whole one at its end) and at the per-layer probes (core/probes.py), and
returns `Diagnosis` objects: what it saw, with the numbers and the epochs, and which of the
chapter's techniques to try, with the concrete form change (`changes`) an Apply button can
make. Pure Python over a few dozen numbers: cheap enough to call after every epoch, and
deterministic, so the live list, report.json and a past run's page agree.

`changes` maps experiment key paths to new values: "optimizer.lr", "optimizer.weight_decay",
"training.epochs", "training.batch_size", "early_stopping.enabled",
"early_stopping.restore_best", and for one layer "model.layers.N.init" (N counted from 0, as
`model.layers` is indexed). It is empty where the remedy is not a simple form change (more
data, a bigger model, Batch Normalization, another split).

Every sentence the doctor writes is in `TEXTS`, a plain format string with named fields,
translated by the gettext catalogue (workbench/i18n.py) when it is said; the numbers go in
already formatted. A Diagnosis's texts are in the language current when it was made; report.json
takes their English (`report_entry`), the file's contract.

How the thresholds were chosen: each rule's constants say why, with the runs they were
measured on (the 8x8 digits, 1,077 training samples or 300 of them, batch 100 unless said).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

from workbench.config import AnyLayer, Conv2dLayer, DenseLayer, Experiment
from workbench.core.divergence import GROWTH_LIMIT
from workbench.core.events import EpochMetrics, RunStatus, short_number
from workbench.core.probe_types import Histogram, LayerProbe, ProbeSnapshot
from workbench.i18n import N_, Message, english

Severity = Literal["info", "warning", "problem"]
SEVERITIES: tuple[Severity, ...] = ("problem", "warning", "info")  # most serious first

# --- What the doctor says: every user-visible sentence, in one place. ---------------------
# Keys are "<diagnosis id>" or "<diagnosis id>.<variant>"; fields are named so a translation
# may reorder them. Numbers arrive formatted (short_number, percentages), layers as `layer`.
TEXTS: dict[str, str] = {
    "layer": N_("layer {name}"),
    # divergence
    "divergence.evidence": N_(
        "The training loss went from {start} to {loss} in epoch {epoch}: it diverged."
    ),
    "divergence.evidence_plain": N_("The training loss was {loss} in epoch {epoch}: it diverged."),
    "divergence.evidence_validation": N_(
        "The validation loss became {loss} in epoch {epoch}: the network's outputs overflowed."
    ),
    "divergence.evidence_status": N_("The run was stopped in epoch {epoch}: its loss diverged."),
    "divergence.suggestion": N_(
        "The learning rate ({lr}) is too high: try {new_lr}, 10 times smaller."
    ),
    "divergence.suggestion_init": N_(
        "The initial weights (normal, standard deviation {std}) are too large: use He initial "
        "values for ReLU layers and Xavier initial values for sigmoid or tanh layers."
    ),
    # loss spikes
    "loss_spikes.evidence": N_(
        "The training loss jumped back up {count} time(s), first in epoch {epoch}: from "
        "{before} to {after}, after it had already reached {lowest}."
    ),
    "loss_spikes.suggestion": N_(
        "The learning rate ({lr}) is a little too high for a steady descent: try {new_lr}, "
        "3 times smaller."
    ),
    # overfitting
    "overfitting.evidence_rising": N_(
        "The validation loss rose from {best} in epoch {best_epoch} to {now} in epoch "
        "{epoch}, while the training loss kept falling, from {train_then} to {train_now}."
    ),
    "overfitting.evidence_gap": N_(
        "Since epoch {epoch} the network gets {train_accuracy} of the training samples right "
        "but only {val_accuracy} of the validation samples ({gap} points less)."
    ),
    "overfitting.suggestion": N_(
        "The network is memorising the training samples: add weight decay (try {weight_decay}) "
        "or Dropout, turn on early stopping, or use more training data."
    ),
    "overfitting.suggestion_early_stopping_on": N_(
        "The network is memorising the training samples: add weight decay (try {weight_decay}) "
        "or Dropout, or use more training data (early stopping already keeps the best epoch)."
    ),
    "overfitting.suggestion_restore_best": N_(
        "The network is memorising the training samples: add weight decay (try {weight_decay}) "
        "or Dropout, let early stopping restore the best epoch's weights, or use more training "
        "data."
    ),
    # underfitting
    "underfitting.evidence": N_(
        "After {epochs} epochs the training loss has levelled off at {loss}, {share} of the "
        "chance level ({chance}): {train_accuracy} of the training and {val_accuracy} of the "
        "validation samples are right."
    ),
    "underfitting.suggestion": N_(
        "The network cannot even fit the training data: give it more room (more units or "
        "layers), use less Dropout, or train longer."
    ),
    "underfitting.suggestion_weight_decay": N_(
        "The network cannot even fit the training data: lower the weight decay (try "
        "{weight_decay}), give it more room (more units or layers), or use less Dropout."
    ),
    # too slow
    "too_slow.evidence": N_(
        "After {epochs} epochs the training loss is {loss}, only {drop} below the first "
        "epoch's {start}."
    ),
    "too_slow.suggestion": N_(
        "The learning rate ({lr}) is too low for the weights to move: try {new_lr}, 10 times "
        "larger."
    ),
    "too_slow.suggestion_init": N_(
        "The initial weights (normal, standard deviation {std}) keep the signal from getting "
        "through the layers: use He initial values for ReLU layers and Xavier initial values "
        "for sigmoid or tanh layers."
    ),
    "too_slow.suggestion_weight_decay": N_(
        "A weight decay of {weight_decay} pulls the weights back to zero faster than they "
        "learn: try {new_weight_decay}."
    ),
    # noisy validation
    "noisy_validation.evidence": N_(
        "From epoch {first} to {last} the validation loss went back and forth by about {jitter} "
        "per epoch, {share} of its level ({level})."
    ),
    "noisy_validation.suggestion": N_(
        "Mini-batches of {batch_size} samples make every step noisy: try a mini-batch size of "
        "{new_batch_size}."
    ),
    "noisy_validation.suggestion_lr": N_(
        "The steps are too large for a steady result: try a learning rate of {new_lr}, 3 "
        "times smaller than {lr}."
    ),
    # early stopping
    "early_stopping_never_triggered.evidence": N_(
        "Early stopping never stopped the run: the {monitor} was still improving at the end "
        "({before} in epoch {before_epoch}, {after} in epoch {epoch})."
    ),
    "early_stopping_never_triggered.suggestion": N_(
        "The run ended before it finished learning: allow more epochs (try {epochs})."
    ),
    "monitor.val_loss": N_("validation loss"),
    "monitor.val_accuracy": N_("validation accuracy"),
    # test set
    "test_set_overused.evidence": N_("The test set has been evaluated {looks} times."),
    "test_set_overused.suggestion": N_(
        "Each look at the test set while choosing settings makes its figures more optimistic: "
        "compare settings on the validation set and evaluate the test set once, at the end."
    ),
    # vanishing gradients
    "vanishing_gradients.evidence_fan": N_(
        "In epoch {epoch} the gradient of {first_layer} ({first}) was {factor} times smaller "
        "than that of {last_layer} ({last})."
    ),
    "vanishing_gradients.evidence_tiny": N_(
        "In epoch {epoch} no layer's gradient was more than {ratio} of its weights (largest: "
        "{layer}), and the training loss was still {loss}."
    ),
    "vanishing_gradients.suggestion": N_(
        "Too little gradient reaches the first layers: use Xavier initial values for sigmoid "
        "and tanh layers and He initial values for ReLU layers, or add Batch Normalization."
    ),
    "vanishing_gradients.suggestion_inits_right": N_(
        "Too little gradient reaches the first layers, although their initial values suit "
        "their activations: add Batch Normalization after the hidden layers, or use fewer "
        "layers."
    ),
    # exploding gradients
    "exploding_gradients.evidence_not_finite": N_(
        "In epoch {epoch} the gradient of {layer} was {value}."
    ),
    "exploding_gradients.evidence_large": N_(
        "In epoch {epoch} the gradient of {layer} was {ratio} times the size of its weights."
    ),
    "exploding_gradients.evidence_fan": N_(
        "In epoch {epoch} the gradient of {first_layer} ({first}) was {factor} times larger "
        "than that of {last_layer} ({last})."
    ),
    "exploding_gradients.suggestion": N_(
        "The gradients grow out of bounds: lower the learning rate to {new_lr} (10 times "
        "smaller than {lr}), or add Batch Normalization."
    ),
    "exploding_gradients.suggestion_init": N_(
        "The initial weights (normal, standard deviation {std}) are too large: use He initial "
        "values for ReLU layers and Xavier initial values for sigmoid or tanh layers."
    ),
    # dead ReLUs
    "dead_relus.evidence": N_(
        "In epoch {epoch}, {share} of the units of {layer} gave 0 for every probe sample: "
        "they no longer learn."
    ),
    "dead_relus.suggestion": N_(
        "Too large a step pushes ReLU units where they never fire again: try a learning rate "
        "of {new_lr}, 10 times smaller than {lr}."
    ),
    "dead_relus.suggestion_init": N_(
        "Start the ReLU layers with He initial values, so that their units begin in the range "
        "where they fire."
    ),
    # saturated sigmoids
    "saturated_sigmoids.evidence": N_(
        "In epoch {epoch}, {share} of the outputs of {layer} were pinned within 1% of the ends "
        "of its range, where {activation} passes almost no gradient back."
    ),
    "saturated_sigmoids.evidence_init": N_(
        "At initialisation, {share} of the outputs of {layer} were pinned within 1% of the ends "
        "of its range, where {activation} passes almost no gradient back."
    ),
    "saturated_sigmoids.suggestion": N_(
        "The initial weights are too large for {activation}: use Xavier initial values for "
        "sigmoid and tanh layers (He for ReLU layers), or add Batch Normalization."
    ),
    "saturated_sigmoids.suggestion_inits_right": N_(
        "Add Batch Normalization before the saturated layers, or lower the learning rate to "
        "{new_lr}, 10 times smaller than {lr}."
    ),
}


def say(key: str, **fields: Any) -> str:
    """One of `TEXTS`, filled in, in the current language (remembering its English)."""
    return Message(TEXTS[key], **fields)


@dataclass(frozen=True)
class Diagnosis:
    """One thing the doctor found: what it saw, where, and what to change.

    `epoch` is where it was first seen (0: at initialisation, before any step); `changes`
    maps experiment key paths to the values the suggestion proposes (see the module's
    docstring), empty when the remedy is not a form change. Treat `changes` as read-only.
    """

    id: str
    severity: Severity
    epoch: int
    evidence: str
    suggestion: str
    changes: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for report.json's `diagnoses` list (and the run store)."""
        return {
            "id": self.id,
            "severity": self.severity,
            "epoch": self.epoch,
            "evidence": self.evidence,
            "suggestion": self.suggestion,
            "changes": dict(self.changes),
        }


# The built-in sources' class counts (workbench/data/builtin.py), for the chance-level loss
# when the caller does not say; a test keeps them equal to the datasets'. Files: unknown.
BUILTIN_CLASSES: dict[str, int] = {
    "digits": 10,
    "spiral": 3,
    "moons": 2,
    "circles": 2,
    "xor": 2,
    "blobs": 3,
}

# --- Thresholds ----------------------------------------------------------------------------

# Loss spikes: an epoch's training loss this many times the lowest so far, and at least this
# much higher in absolute terms. Healthy runs' epoch-mean training loss falls almost
# monotonically (Adam, SGD, momentum on the digits: never more than 1.05x their lowest);
# Adam at lr 0.1 jumped 0.13 -> 0.49 and SGD with mini-batches of 2 at lr 0.1 0.13 -> 0.48.
# The absolute floor keeps a converged loss wobbling between 0.0001 and 0.0003 quiet.
SPIKE_FACTOR = 1.5
SPIKE_MIN_RISE = 0.05
SPIKE_LR_FACTOR = 3.0  # half a decade: the usual grid step (1e-3, 3e-4, 1e-4)

# Overfitting, rising validation loss: at least this many epochs since its lowest, and now
# this much above it (relative and absolute). Momentum on all the digits, whose training loss
# went to 0.01, crept 2.5% above its lowest in 6 epochs (a plateau, not a warning); 300
# samples and six ReLU layers of 100 with Adam rose 27% in 16 epochs, and three of 200 rose
# 5% about 20 epochs after their lowest and 11% after 47; three of 200 with Adam at 0.01 were
# flagged from epoch 23 on with all 8 seeds tried.
OVERFIT_EPOCHS_SINCE_BEST = 5
OVERFIT_RISE = 0.05
OVERFIT_MIN_RISE = 0.01
# Overfitting, accuracy gap: training accuracy at least this, validation this many points
# lower, for this many epochs in a row. The book's picture (100% on the training samples, far
# less on the test samples); healthy digits runs end 2-4 points apart, the seven-layer SGD
# example on 300 samples 11 points apart at epoch 200 while its validation loss still falls.
OVERFIT_TRAIN_ACCURACY = 0.99
OVERFIT_ACCURACY_GAP = 0.10
OVERFIT_GAP_EPOCHS = 3
WEIGHT_DECAY_START = 1e-3  # 300 samples, Adam: 1e-4 changed nothing, 1e-3 stopped the rise
WEIGHT_DECAY_FACTOR = 3.0
WEIGHT_DECAY_MAX = 10.0  # the form's own limit

# Too slow: after SLOW_MIN_EPOCHS epochs (fewer flagged sigmoid stacks with Xavier and Adam,
# which sit at chance for 3 epochs, then learn), the training loss has fallen less than
# SLOW_DROP of the first epoch's, falls by less than SLOW_RATE per epoch now, and is still
# near chance (below). Learning rate 1e-6: 0.01% per epoch; sigmoid with std 0.01, or
# Xavier with SGD, stuck at chance: under 0.1%; every healthy run: more than 50% by epoch 3.
# The rate keeps quiet a run whose epochs are only a few steps (300 samples in mini-batches
# of 100, SGD at 0.01: 5% in its first 5 epochs, but 1.3-1.7% more each, and accelerating).
SLOW_MIN_EPOCHS = 5
SLOW_DROP = 0.10
SLOW_RATE = 0.005
SLOW_RATE_EPOCHS = 3
SLOW_UNKNOWN_ACCURACY = 0.5  # when the number of classes is not known (see _too_slow)
# Weight decay this strong holds the weights at zero (3.0 with Adam: 1% in 15 epochs).
SLOW_WEIGHT_DECAY = 0.1
SLOW_LR_FACTOR = 10.0
LR_MAX = 100.0  # the form's own limit
# "Still near chance": the training loss at least this share of ln(classes). A network that
# has not learned sits at 1.0-1.05 times it; one whose loss is more than ABOVE_CHANCE times
# it is not stuck but blowing up (SGD at lr 1: 2,300 times, the epoch before NaN).
NEAR_CHANCE = 0.8
ABOVE_CHANCE = 1.5

# Underfitting: after this many epochs, the training loss improved less than this share over
# the last few epochs and is above this share of the chance loss (ln 10 = 2.30 on the digits:
# above 1.15 most samples are still wrong), and training and validation accuracy are close
# (a large gap is overfitting, not this).
UNDERFIT_MIN_EPOCHS = 5
UNDERFIT_WINDOW = 3
UNDERFIT_PLATEAU = 0.02
UNDERFIT_LOSS_SHARE = 0.5
UNDERFIT_MAX_GAP = 0.05
# ... and the network gets fewer than this share of its training samples right. One that gets
# more right can fit them: its high loss is a few very confident mistakes, the mark of a
# learning rate too high (Adam at 0.3 on the digits: loss 3.07, 96 % right), not of too
# small a network.
UNDERFIT_MAX_TRAIN_ACCURACY = 0.9

# Noisy validation: over the last window of epochs, how far the validation loss goes back and
# forth per epoch (`_zigzag`: a curve that only falls, however steeply, scores 0), relative
# to its median level. Healthy digits runs (Adam, SGD, momentum, RMSprop, Adagrad, cosine,
# one-cycle, batch norm; 3 seeds each): at most 7%; SGD at lr 0.1 with mini-batches of 2:
# 10-49%; Adam at lr 0.1: 9-34%. The absolute floor keeps tiny losses quiet: the 2-D sets
# with Adam at 0.01 went back and forth by 20-100% of a validation loss of 0.03.
NOISE_WINDOW = 8
NOISE_MIN_EPOCHS = 6
NOISE_SHARE = 0.15
NOISE_MIN_JITTER = 0.02
NOISE_SMALL_BATCH = 64  # below: the batch is the likely cause; above: the learning rate
NOISE_BATCH_FACTOR = 4  # halves the gradient noise (it falls as 1 / sqrt(batch size))
NOISE_MIN_BATCH = 32

# Early stopping never triggered: the monitored value was at its best within this many last
# epochs, and improved over them by more than rounding noise (a relative share of a loss, an
# absolute share of an accuracy); min_delta counts as well.
STILL_IMPROVING_EPOCHS = 2
STILL_IMPROVING_LOSS = 0.01
STILL_IMPROVING_ACCURACY = 0.005
EPOCHS_MAX = 100_000  # the form's own limit

# The test set: from this many evaluations on, choices made by looking at it leak into it.
TEST_LOOKS = 3

# Vanishing gradients. Fan: the last hidden layer's gradient norm over the first's. Measured
# after an epoch: sigmoid with normal std 0.01, five layers: 8e5 (nothing learns); PyTorch's
# default init with sigmoid: 1e3; Xavier with sigmoid: 80-150 (learns with Adam, crawls with
# SGD); ReLU with He: 0.7-1.6. At or above VANISH_FAN always; at or above VANISH_FAN_STUCK
# only while the loss is still near chance (the network is not learning).
VANISH_FAN = 1000.0
VANISH_FAN_STUCK = 100.0
# Tiny: no layer's gradient more than this share of its weights' norm while the loss is
# near chance. Sigmoid with std 1 (outputs piled at 0 and 1): 5e-4 to 7e-4 in every layer,
# the norms flat across layers (large weights make up for the flat sigmoid), so only this
# catches the book's std-1 case; ReLU with std 0.01: 6e-6. Healthy networks early in training:
# at least 5e-3 in their largest layer. (Converged ones fall to 1e-4, hence "near chance".)
VANISH_RELATIVE = 2e-3
# Exploding: a gradient larger than its weights (ReLU with std 1: 5-15x; healthy: under
# 0.05), or growing towards the first layer by this factor (tanh with std 1: 30x, and learns).
EXPLODE_RELATIVE = 1.0
EXPLODE_FAN = 1000.0

# Dead ReLUs: the share of a layer's units that gave 0 for every probe sample. He init: under
# 0.06 at the start; healthy Adam runs: up to 0.16; SGD at lr 1: 0.47-0.85 in a layer before
# the loss went to NaN; ReLU with std 0.01: 0.7 in the last layer.
DEAD_SHARE = 0.5
# Saturated sigmoid/tanh: the share of outputs within 1% of the range's ends. Std 1 at
# initialisation: 0.41-0.56 in every layer; Xavier: 0.01. Trained sigmoid networks saturate on
# purpose (Xavier with Adam: 0.26-0.56 at a loss of 0.07), so during training the rule speaks
# only while the loss is still near chance; at initialisation it always speaks.
SATURATED_SHARE = 0.3

# Hand-picked normal initial values this large are what blows a network up, rather than its
# learning rate: ReLU layers with std 1 reached a loss of 3,800 in the first epoch (then NaN)
# at a learning rate of 0.001. He's own std for 100 inputs is sqrt(2 / 100) = 0.14.
LARGE_INIT_STD = 0.5

# The initial values that suit each activation (the chapter's rule).
_XAVIER_ACTIVATIONS = frozenset({"sigmoid", "tanh", "identity"})


def _right_init(activation: str) -> str:
    return "xavier" if activation in _XAVIER_ACTIVATIONS else "he"


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _round(value: float) -> float:
    """A suggested setting as a person types it: 1e-4, not 1.0000000000000002e-4."""
    return float(f"{value:.3g}")


def chance_loss(n_classes: int | None) -> float | None:
    """The cross-entropy of a guess that gives every class the same probability: ln(classes)."""
    if n_classes is None or n_classes < 2:
        return None
    return math.log(n_classes)


# --- The rules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Case:
    """What every rule reads, resolved once."""

    experiment: Experiment
    history: tuple[EpochMetrics, ...]
    snapshots: tuple[ProbeSnapshot, ...]  # final ones only, in epoch order
    status: RunStatus | None
    test_looks: int
    chance: float | None

    @property
    def lr(self) -> float:
        return self.experiment.optimizer.lr

    def stuck(self, epoch: int | None = None) -> bool | None:
        """Whether the training loss (of `epoch`, else the latest) is still about chance.

        Measured against ln(classes) when known, else against the first epoch's loss; None
        without a history to tell.
        """
        if not self.history:
            return None
        metrics = self.history[-1]
        if epoch is not None and 1 <= epoch <= len(self.history):
            metrics = self.history[epoch - 1]
        reference = self.chance if self.chance is not None else self.history[0].train_loss
        # Far above chance the network is not stuck but blowing up (another rule's business).
        return NEAR_CHANCE * reference <= metrics.train_loss <= ABOVE_CHANCE * reference


Rule = Callable[[_Case], "list[Diagnosis]"]


def _divergence(case: _Case) -> list[Diagnosis]:
    changes, std = _normal_init_changes(case.experiment, LARGE_INIT_STD)
    if changes:
        suggestion = say("divergence.suggestion_init", std=short_number(std))
    else:
        changes, new_lr = _lr_change(case, 1 / 10)
        suggestion = say(
            "divergence.suggestion", lr=short_number(case.lr), new_lr=short_number(new_lr)
        )
    # The engine's yardstick (core/divergence.py) is the first batch's loss, at least chance;
    # the history keeps neither, so chance stands in for it, or the first epoch's loss.
    start = case.chance
    if start is None and case.history and math.isfinite(case.history[0].train_loss):
        start = case.history[0].train_loss
    for metrics in case.history:
        exploded = start is not None and metrics.train_loss > GROWTH_LIMIT * start
        if not math.isfinite(metrics.train_loss) or exploded:
            fields = {"loss": short_number(metrics.train_loss), "epoch": metrics.epoch}
            # A first epoch's own loss is no yardstick for that epoch.
            if start is not None and (case.chance is not None or metrics.epoch > 1):
                evidence = say("divergence.evidence", start=short_number(start), **fields)
            else:
                evidence = say("divergence.evidence_plain", **fields)
            return [
                Diagnosis("divergence", "problem", metrics.epoch, evidence, suggestion, changes)
            ]
        if not math.isfinite(metrics.val_loss):
            evidence = say(
                "divergence.evidence_validation",
                loss=short_number(metrics.val_loss),
                epoch=metrics.epoch,
            )
            return [
                Diagnosis("divergence", "problem", metrics.epoch, evidence, suggestion, changes)
            ]
    if case.status == RunStatus.DIVERGED:
        # The engine measures growth against its first batch's loss, which the history does
        # not keep: its verdict stands even where the epochs above look finite and modest.
        epoch = case.history[-1].epoch if case.history else 1
        evidence = say("divergence.evidence_status", epoch=epoch)
        return [Diagnosis("divergence", "problem", epoch, evidence, suggestion, changes)]
    return []


def _loss_spikes(case: _Case) -> list[Diagnosis]:
    # Each climb above the lowest loss so far counts once, at the epoch it starts.
    starts: list[tuple[EpochMetrics, float, float]] = []  # (epoch, loss before, lowest)
    lowest = math.inf
    previous: float | None = None
    climbing = False
    for metrics in case.history:
        loss = metrics.train_loss
        high = loss > SPIKE_FACTOR * lowest and loss - lowest >= SPIKE_MIN_RISE
        if high and not climbing and previous is not None:
            starts.append((metrics, previous, lowest))
        climbing = high
        lowest = min(lowest, loss)
        previous = loss
    if not starts:
        return []
    first, before, lowest_then = starts[0]
    changes, new_lr = _lr_change(case, 1 / SPIKE_LR_FACTOR)
    evidence = say(
        "loss_spikes.evidence",
        count=len(starts),
        epoch=first.epoch,
        before=short_number(before),
        after=short_number(first.train_loss),
        lowest=short_number(lowest_then),
    )
    suggestion = say(
        "loss_spikes.suggestion", lr=short_number(case.lr), new_lr=short_number(new_lr)
    )
    return [Diagnosis("loss_spikes", "warning", first.epoch, evidence, suggestion, changes)]


def _lr_change(case: _Case, factor: float) -> tuple[dict[str, Any], float]:
    """The form change that multiplies the learning rate by `factor`, and the new rate."""
    new_lr = min(_round(case.lr * factor), LR_MAX)
    return {"optimizer.lr": new_lr}, new_lr


def _normal_init_changes(
    experiment: Experiment, min_std: float = 0.0
) -> tuple[dict[str, Any], float]:
    """Form changes that replace hand-picked normal initial values with the activation's own.

    Only layers whose standard deviation is at least `min_std`; also the first such layer's
    standard deviation, for the sentence. ({}, 0) when no layer qualifies.
    """
    normal = [
        (i, layer)
        for i, layer in _weighted_layers(experiment)
        if layer.init == "normal" and layer.init_std >= min_std
    ]
    changes = {f"model.layers.{i}.init": _right_init(layer.activation) for i, layer in normal}
    return changes, (normal[0][1].init_std if normal else 0.0)


def _weight_decay_suggestion(case: _Case) -> float:
    current = case.experiment.optimizer.weight_decay
    if current <= 0:
        return WEIGHT_DECAY_START
    return min(_round(current * WEIGHT_DECAY_FACTOR), WEIGHT_DECAY_MAX)


def _overfitting(case: _Case) -> list[Diagnosis]:
    history = case.history
    evidence: str | None = None
    epoch = 0
    rising = False
    if len(history) > OVERFIT_EPOCHS_SINCE_BEST:
        best = min(history, key=lambda m: m.val_loss)  # the first of equal lows
        now = history[-1]
        rise = now.val_loss - best.val_loss
        if (
            now.epoch - best.epoch >= OVERFIT_EPOCHS_SINCE_BEST
            and rise >= OVERFIT_RISE * best.val_loss
            and rise >= OVERFIT_MIN_RISE
            # the gap grew: training kept improving while validation got worse
            and now.train_loss < best.train_loss
        ):
            epoch, rising = best.epoch + 1, True
            evidence = say(
                "overfitting.evidence_rising",
                best=short_number(best.val_loss),
                best_epoch=best.epoch,
                now=short_number(now.val_loss),
                epoch=now.epoch,
                train_then=short_number(best.train_loss),
                train_now=short_number(now.train_loss),
            )
    if evidence is None:
        streak = _trailing(
            history,
            lambda m: (
                m.train_accuracy >= OVERFIT_TRAIN_ACCURACY
                and m.train_accuracy - m.val_accuracy >= OVERFIT_ACCURACY_GAP
            ),
        )
        if len(streak) >= OVERFIT_GAP_EPOCHS:
            first, now = streak[0], streak[-1]
            epoch = first.epoch
            evidence = say(
                "overfitting.evidence_gap",
                epoch=first.epoch,
                train_accuracy=_percent(now.train_accuracy),
                val_accuracy=_percent(now.val_accuracy),
                gap=round(100 * (now.train_accuracy - now.val_accuracy)),
            )
    if evidence is None:
        return []
    weight_decay = _weight_decay_suggestion(case)
    changes: dict[str, Any] = {"optimizer.weight_decay": weight_decay}
    stopping = case.experiment.early_stopping
    severity: Severity = "warning"
    if not stopping.enabled:
        key = "overfitting.suggestion"
        changes["early_stopping.enabled"] = True
    elif not stopping.restore_best:
        key = "overfitting.suggestion_restore_best"
        changes["early_stopping.restore_best"] = True
    else:
        key = "overfitting.suggestion_early_stopping_on"
        # A rising validation loss is what early stopping is for: it stops the run and keeps
        # the best epoch's weights, so the result does not suffer. A gap in accuracy while
        # the validation loss still falls it cannot help with.
        if rising:
            severity = "info"
    suggestion = say(key, weight_decay=short_number(weight_decay))
    return [Diagnosis("overfitting", severity, epoch, evidence, suggestion, changes)]


def _trailing(
    history: Sequence[EpochMetrics], holds: Callable[[EpochMetrics], bool]
) -> list[EpochMetrics]:
    """The last epochs for which `holds` is true, up to the latest (empty if it is false)."""
    streak: list[EpochMetrics] = []
    for metrics in reversed(history):
        if not holds(metrics):
            break
        streak.append(metrics)
    streak.reverse()
    return streak


def _too_slow(case: _Case) -> list[Diagnosis]:
    history = case.history
    if len(history) < SLOW_MIN_EPOCHS:
        return []
    start, now = history[0].train_loss, history[-1].train_loss
    if start <= 0 or now < (1 - SLOW_DROP) * start:
        return []
    # Already far below a guess: a plateau, not a standstill. Without the number of classes
    # the accuracy tells: most samples still wrong.
    if case.chance is not None and now < NEAR_CHANCE * case.chance:
        return []
    if case.chance is None and history[-1].train_accuracy >= SLOW_UNKNOWN_ACCURACY:
        return []
    span = min(SLOW_RATE_EPOCHS, len(history) - 1)
    earlier = history[-1 - span].train_loss
    if earlier > 0 and (earlier - now) / earlier / span >= SLOW_RATE:
        return []  # slow, but on its way
    drop = max(0.0, (start - now) / start)
    evidence = say(
        "too_slow.evidence",
        epochs=len(history),
        loss=short_number(now),
        drop=_percent(drop) if drop >= 0.005 else f"{drop:.1%}",
        start=short_number(start),
    )
    # Hand-picked normal initial values are the chapter's other way to stall a network
    # (std 0.01 in a deep stack): where a layer has them, the fix is the initialisation.
    changes, std = _normal_init_changes(case.experiment)
    weight_decay = case.experiment.optimizer.weight_decay
    if changes:
        suggestion = say("too_slow.suggestion_init", std=short_number(std))
    elif weight_decay >= SLOW_WEIGHT_DECAY:
        lower = _round(weight_decay / 10)
        changes = {"optimizer.weight_decay": lower}
        suggestion = say(
            "too_slow.suggestion_weight_decay",
            weight_decay=short_number(weight_decay),
            new_weight_decay=short_number(lower),
        )
    else:
        changes, new_lr = _lr_change(case, SLOW_LR_FACTOR)
        suggestion = say(
            "too_slow.suggestion", lr=short_number(case.lr), new_lr=short_number(new_lr)
        )
    return [Diagnosis("too_slow", "problem", history[0].epoch, evidence, suggestion, changes)]


def _underfitting(case: _Case) -> list[Diagnosis]:
    history = case.history
    if case.chance is None or len(history) < max(UNDERFIT_MIN_EPOCHS, UNDERFIT_WINDOW + 1):
        return []
    now, before = history[-1], history[-1 - UNDERFIT_WINDOW]
    levelled = before.train_loss - now.train_loss < UNDERFIT_PLATEAU * before.train_loss
    high = now.train_loss >= UNDERFIT_LOSS_SHARE * case.chance
    close = now.train_accuracy - now.val_accuracy < UNDERFIT_MAX_GAP
    unfitted = now.train_accuracy < UNDERFIT_MAX_TRAIN_ACCURACY
    if not (levelled and high and close and unfitted):
        return []
    evidence = say(
        "underfitting.evidence",
        epochs=len(history),
        loss=short_number(now.train_loss),
        share=_percent(now.train_loss / case.chance),
        chance=short_number(case.chance),
        train_accuracy=_percent(now.train_accuracy),
        val_accuracy=_percent(now.val_accuracy),
    )
    weight_decay = case.experiment.optimizer.weight_decay
    changes: dict[str, Any] = {}
    if weight_decay > 0:
        lower = _round(weight_decay / 10)
        changes["optimizer.weight_decay"] = lower
        suggestion = say("underfitting.suggestion_weight_decay", weight_decay=short_number(lower))
    else:
        suggestion = say("underfitting.suggestion")
    return [Diagnosis("underfitting", "warning", before.epoch + 1, evidence, suggestion, changes)]


def _zigzag(losses: Sequence[float]) -> float:
    """How far the losses go back and forth, on average per epoch.

    Each turn (down then up, or up then down) counts with the smaller of its two moves; a
    curve that only falls (however fast at first) or only rises scores 0.
    """
    moves = [b - a for a, b in zip(losses, losses[1:], strict=False)]
    turns = [min(abs(a), abs(b)) for a, b in zip(moves, moves[1:], strict=False) if a * b < 0]
    return sum(turns) / max(len(moves) - 1, 1)


def _noisy_validation(case: _Case) -> list[Diagnosis]:
    history = case.history
    if len(history) < NOISE_MIN_EPOCHS:
        return []
    window = history[-NOISE_WINDOW:]
    losses = [m.val_loss for m in window]
    jitter = _zigzag(losses)
    level = sorted(losses)[len(losses) // 2]
    if level <= 0 or jitter < NOISE_MIN_JITTER or jitter < NOISE_SHARE * level:
        return []
    evidence = say(
        "noisy_validation.evidence",
        first=window[0].epoch,
        last=window[-1].epoch,
        jitter=short_number(jitter),
        share=_percent(jitter / level),
        level=short_number(level),
    )
    batch_size = case.experiment.training.batch_size
    if batch_size < NOISE_SMALL_BATCH:
        new_batch = max(batch_size * NOISE_BATCH_FACTOR, NOISE_MIN_BATCH)
        changes: dict[str, Any] = {"training.batch_size": new_batch}
        suggestion = say(
            "noisy_validation.suggestion", batch_size=batch_size, new_batch_size=new_batch
        )
    else:
        changes, new_lr = _lr_change(case, 1 / SPIKE_LR_FACTOR)
        suggestion = say(
            "noisy_validation.suggestion_lr", lr=short_number(case.lr), new_lr=short_number(new_lr)
        )
    return [
        Diagnosis("noisy_validation", "warning", window[0].epoch, evidence, suggestion, changes)
    ]


def _early_stopping_never_triggered(case: _Case) -> list[Diagnosis]:
    stopping = case.experiment.early_stopping
    # Only at the end: mid-run, "never triggered yet" says nothing.
    if case.status != RunStatus.COMPLETED or not stopping.enabled or len(case.history) < 2:
        return []
    history = case.history
    maximise = stopping.resolved_mode == "max"

    def value(metrics: EpochMetrics) -> float:
        return float(getattr(metrics, stopping.monitor))

    def better(a: float, b: float) -> bool:
        return a > b + stopping.min_delta if maximise else a < b - stopping.min_delta

    def clearly_better(a: float, b: float) -> bool:
        # More than rounding noise: 1% of a loss, half a point of accuracy.
        margin = STILL_IMPROVING_ACCURACY if maximise else STILL_IMPROVING_LOSS * abs(b)
        return better(a, b) and abs(a - b) >= margin

    best_epoch, best = history[0].epoch, value(history[0])
    for metrics in history[1:]:
        if better(value(metrics), best):
            best_epoch, best = metrics.epoch, value(metrics)
    now = history[-1]
    if now.epoch - best_epoch >= STILL_IMPROVING_EPOCHS:
        return []
    before = (
        history[-1 - STILL_IMPROVING_EPOCHS]
        if len(history) > STILL_IMPROVING_EPOCHS
        else history[0]
    )
    if not clearly_better(value(now), value(before)):
        return []
    epochs = min(case.experiment.training.epochs * 2, EPOCHS_MAX)
    show = _percent if stopping.monitor == "val_accuracy" else short_number
    evidence = say(
        "early_stopping_never_triggered.evidence",
        monitor=say(f"monitor.{stopping.monitor}"),
        before=show(value(before)),
        before_epoch=before.epoch,
        after=show(value(now)),
        epoch=now.epoch,
    )
    suggestion = say("early_stopping_never_triggered.suggestion", epochs=epochs)
    return [
        Diagnosis(
            "early_stopping_never_triggered",
            "info",
            now.epoch,
            evidence,
            suggestion,
            {"training.epochs": epochs},
        )
    ]


def _test_set_overused(case: _Case) -> list[Diagnosis]:
    if case.test_looks < TEST_LOOKS:
        return []
    epoch = case.history[-1].epoch if case.history else 0
    evidence = say("test_set_overused.evidence", looks=case.test_looks)
    suggestion = say("test_set_overused.suggestion")
    return [Diagnosis("test_set_overused", "warning", epoch, evidence, suggestion, {})]


# --- Rules over the probes -----------------------------------------------------------------


def _weighted_layers(experiment: Experiment) -> list[tuple[int, DenseLayer | Conv2dLayer]]:
    """The layers with weights and an activation, with their index in `model.layers`."""
    return [
        (index, layer)
        for index, layer in enumerate(experiment.model.layers)
        if isinstance(layer, DenseLayer | Conv2dLayer)
    ]


_LEADING_NUMBER = re.compile(r"\s*(\d+)")


def _layer_indices(experiment: Experiment, probes: Sequence[LayerProbe]) -> list[int | None]:
    """Which `model.layers` entry each probed layer is, where that can be told.

    The probes look at every layer with weights, in order, so when the counts agree the
    order says it. Otherwise the name's leading number (counted from 1, as the model builder
    lists layers) is trusted if it points at a layer with weights and the same activation.
    """
    layers: Sequence[AnyLayer] = experiment.model.layers
    weighted = _weighted_layers(experiment)
    if len(weighted) == len(probes):
        return [index for index, _ in weighted]
    indices: list[int | None] = []
    for probe in probes:
        match = _LEADING_NUMBER.match(probe.name)
        index = int(match.group(1)) - 1 if match else -1
        layer = layers[index] if 0 <= index < len(layers) else None
        fits = isinstance(layer, DenseLayer | Conv2dLayer) and layer.activation == probe.activation
        indices.append(index if fits else None)
    return indices


def _init_changes(
    experiment: Experiment, indices: Sequence[int | None] | None = None
) -> dict[str, Any]:
    """Form changes that give the layers (all with weights, or `indices`) the right inits."""
    chosen = [i for i in indices if i is not None] if indices is not None else None
    changes: dict[str, Any] = {}
    for index, layer in _weighted_layers(experiment):
        if chosen is not None and index not in chosen:
            continue
        right = _right_init(layer.activation)
        if layer.init != right:
            changes[f"model.layers.{index}.init"] = right
    return changes


def _weight_norm(weights: Histogram | None) -> float | None:
    """The weights' L2 norm, estimated from their histogram (each count at its bin's centre)."""
    if weights is None or weights.total == 0:
        return None
    edges = [float(e) for e in weights.edges]
    counts = [int(c) for c in weights.counts]
    squares = sum(
        count * ((edges[i] + edges[i + 1]) / 2) ** 2 for i, count in enumerate(counts) if count
    )
    return math.sqrt(squares) if squares > 0 else None


def _relative_gradient(probe: LayerProbe) -> float | None:
    norm = _weight_norm(probe.weights)
    if probe.grad_norm is None or norm is None or not math.isfinite(probe.grad_norm):
        return None
    return probe.grad_norm / norm


def _layer_name(probe: LayerProbe) -> str:
    return say("layer", name=probe.name)


# A finding in one snapshot: (evidence, severity, the probed layers it concerns by position).
_Finding = tuple[str, Severity, list[int]]
_T = TypeVar("_T")


def _streak_start(
    snapshots: Sequence[ProbeSnapshot], check: Callable[[ProbeSnapshot], _T | None]
) -> tuple[ProbeSnapshot, _T] | None:
    """The first snapshot of the latest unbroken run that `check` flags, and its finding.

    The finding is reported where it was first seen, so the sentence stays the same while
    the run goes on; a condition that has gone away by the latest snapshot says nothing.
    """
    found: tuple[ProbeSnapshot, _T] | None = None
    for snapshot in reversed(snapshots):
        finding = check(snapshot)
        if finding is None:
            break
        found = (snapshot, finding)
    return found


def _gradients(snapshot: ProbeSnapshot) -> list[tuple[int, LayerProbe, float]]:
    """(position, layer, gradient norm) of the layers that have one."""
    return [
        (position, probe, probe.grad_norm)
        for position, probe in enumerate(snapshot.layers)
        if probe.grad_norm is not None
    ]


def _vanishing_gradients(case: _Case) -> list[Diagnosis]:
    def check(snapshot: ProbeSnapshot) -> _Finding | None:
        # A gradient of exactly 0 is a layer of dead units (their own rule), not a fan.
        grads = [g for g in _gradients(snapshot) if math.isfinite(g[2]) and g[2] > 0]
        if not grads:
            return None
        stuck = case.stuck(snapshot.epoch)
        (first_pos, first, first_norm), (_, last, last_norm) = grads[0], grads[-1]
        if len(grads) >= 2:
            fan = last_norm / first_norm
            if fan >= VANISH_FAN or (fan >= VANISH_FAN_STUCK and stuck):
                evidence = say(
                    "vanishing_gradients.evidence_fan",
                    epoch=snapshot.epoch,
                    first_layer=_layer_name(first),
                    first=short_number(first_norm),
                    factor=short_number(fan),
                    last_layer=_layer_name(last),
                    last=short_number(last_norm),
                )
                return evidence, "warning", [first_pos]
        relative = [
            (r, probe) for _, probe, _ in grads if (r := _relative_gradient(probe)) is not None
        ]
        if relative and stuck:
            largest, probe = max(relative, key=lambda pair: pair[0])
            if largest <= VANISH_RELATIVE:
                loss = case.history[min(snapshot.epoch, len(case.history)) - 1].train_loss
                evidence = say(
                    "vanishing_gradients.evidence_tiny",
                    epoch=snapshot.epoch,
                    ratio=short_number(largest),
                    layer=_layer_name(probe),
                    loss=short_number(loss),
                )
                return evidence, "warning", [pos for pos, _, _ in grads]
        return None

    found = _streak_start(case.snapshots, check)
    if found is None:
        return []
    snapshot, (evidence, severity, _) = found
    changes = _init_changes(case.experiment)
    key = (
        "vanishing_gradients.suggestion"
        if changes
        else "vanishing_gradients.suggestion_inits_right"
    )
    return [Diagnosis("vanishing_gradients", severity, snapshot.epoch, evidence, say(key), changes)]


def _exploding_gradients(case: _Case) -> list[Diagnosis]:
    def check(snapshot: ProbeSnapshot) -> _Finding | None:
        grads = _gradients(snapshot)
        for position, probe, norm in grads:
            if not math.isfinite(norm):
                evidence = say(
                    "exploding_gradients.evidence_not_finite",
                    epoch=snapshot.epoch,
                    layer=_layer_name(probe),
                    value=short_number(norm),
                )
                return evidence, "problem", [position]
        relative = [
            (r, position, probe)
            for position, probe, _ in grads
            if (r := _relative_gradient(probe)) is not None
        ]
        if relative:
            largest, position, probe = max(relative, key=lambda item: item[0])
            if largest >= EXPLODE_RELATIVE:
                evidence = say(
                    "exploding_gradients.evidence_large",
                    epoch=snapshot.epoch,
                    layer=_layer_name(probe),
                    ratio=short_number(largest),
                )
                return evidence, "warning", [position]
        if len(grads) >= 2 and grads[0][2] > 0 and grads[-1][2] > 0:
            (first_pos, first, first_norm), (_, last, last_norm) = grads[0], grads[-1]
            if first_norm / last_norm >= EXPLODE_FAN:
                evidence = say(
                    "exploding_gradients.evidence_fan",
                    epoch=snapshot.epoch,
                    first_layer=_layer_name(first),
                    first=short_number(first_norm),
                    factor=short_number(first_norm / last_norm),
                    last_layer=_layer_name(last),
                    last=short_number(last_norm),
                )
                return evidence, "warning", [first_pos]
        return None

    found = _streak_start(case.snapshots, check)
    if found is None:
        return []
    snapshot, (evidence, severity, _) = found
    # Hand-picked normal initial values too large for the layer are the chapter's cause
    # (std 1 with ReLU); otherwise the step size is.
    changes, std = _normal_init_changes(case.experiment, LARGE_INIT_STD)
    if changes:
        suggestion = say("exploding_gradients.suggestion_init", std=short_number(std))
    else:
        changes, new_lr = _lr_change(case, 1 / 10)
        suggestion = say(
            "exploding_gradients.suggestion", lr=short_number(case.lr), new_lr=short_number(new_lr)
        )
    return [
        Diagnosis("exploding_gradients", severity, snapshot.epoch, evidence, suggestion, changes)
    ]


def _dead_relus(case: _Case) -> list[Diagnosis]:
    def check(snapshot: ProbeSnapshot) -> _Finding | None:
        dead = [
            (probe.dead_share, position, probe)
            for position, probe in enumerate(snapshot.layers)
            if probe.dead_share is not None and probe.dead_share >= DEAD_SHARE
        ]
        if not dead:
            return None
        share, _, probe = max(dead, key=lambda item: item[0])
        evidence = say(
            "dead_relus.evidence",
            epoch=snapshot.epoch,
            share=_percent(share),
            layer=_layer_name(probe),
        )
        return evidence, "warning", [position for _, position, _ in dead]

    found = _streak_start(case.snapshots, check)
    if found is None:
        return []
    snapshot, (evidence, severity, positions) = found
    indices = _layer_indices(case.experiment, snapshot.layers)
    changes = _init_changes(case.experiment, [indices[p] for p in positions])
    if changes:
        suggestion = say("dead_relus.suggestion_init")
    else:
        changes, new_lr = _lr_change(case, 1 / 10)
        suggestion = say(
            "dead_relus.suggestion", lr=short_number(case.lr), new_lr=short_number(new_lr)
        )
    return [Diagnosis("dead_relus", severity, snapshot.epoch, evidence, suggestion, changes)]


def _saturation(snapshot: ProbeSnapshot) -> tuple[float, list[int], LayerProbe] | None:
    """The largest saturated share, the saturated layers' positions, and the worst layer."""
    saturated = [
        (probe.saturated_share, position, probe)
        for position, probe in enumerate(snapshot.layers)
        if probe.saturated_share is not None and probe.saturated_share >= SATURATED_SHARE
    ]
    if not saturated:
        return None
    share, _, probe = max(saturated, key=lambda item: item[0])
    return share, [position for _, position, _ in saturated], probe


def _saturated_sigmoids(case: _Case) -> list[Diagnosis]:
    # Saturated at initialisation: the initial values' fault whatever follows (the book's
    # std-1 experiment). During training it matters only while the network is not learning:
    # a trained sigmoid network pins many of its outputs on purpose.
    initial = next((s for s in case.snapshots if s.epoch == 0), None)
    found = None if initial is None else _saturation(initial)
    snapshot = initial
    if found is None:
        streak = _streak_start(
            case.snapshots,
            lambda s: _saturation(s) if s.epoch > 0 and case.stuck(s.epoch) else None,
        )
        if streak is None:
            return []
        snapshot, found = streak
    assert snapshot is not None
    share, positions, probe = found
    fields = {"share": _percent(share), "layer": _layer_name(probe), "activation": probe.activation}
    if snapshot.epoch == 0:
        evidence = say("saturated_sigmoids.evidence_init", **fields)
    else:
        evidence = say("saturated_sigmoids.evidence", epoch=snapshot.epoch, **fields)
    indices = _layer_indices(case.experiment, snapshot.layers)
    changes = _init_changes(case.experiment, [indices[p] for p in positions])
    if changes:
        suggestion = say("saturated_sigmoids.suggestion", activation=probe.activation)
    else:
        changes, new_lr = _lr_change(case, 1 / 10)
        suggestion = say(
            "saturated_sigmoids.suggestion_inits_right",
            lr=short_number(case.lr),
            new_lr=short_number(new_lr),
        )
    return [
        Diagnosis("saturated_sigmoids", "warning", snapshot.epoch, evidence, suggestion, changes)
    ]


# --- Putting it together -------------------------------------------------------------------

_SEVERITY_ORDER = {severity: rank for rank, severity in enumerate(SEVERITIES)}


def diagnose(
    experiment: Experiment,
    history: Sequence[EpochMetrics],
    snapshots: Sequence[ProbeSnapshot] = (),
    *,
    status: RunStatus | None = None,
    test_looks: int = 0,
    n_classes: int | None = None,
) -> list[Diagnosis]:
    """What went wrong in a run so far, most serious first (then by epoch, then by id).

    Args:
        experiment: The run's experiment (its settings are what the suggestions change).
        history: The epochs so far, in order; partial while the run goes.
        snapshots: The per-layer probes so far (epoch 0 = at initialisation); may be empty,
            which silences the rules about layers.
        status: How the run ended, at the end; None while it goes (the end-only rules wait).
        test_looks: How many times the run's test set has been evaluated.
        n_classes: The number of classes, for the chance-level loss ln(classes). Taken from
            the built-in source when not given; pass it for file sources, where without it
            underfitting is not judged and the other rules fall back on the first epoch's
            loss or on accuracy.
    """
    if n_classes is None:
        n_classes = BUILTIN_CLASSES.get(experiment.data.source)
    finals = sorted((s for s in snapshots if s.final), key=lambda s: (s.epoch, s.step))
    case = _Case(
        experiment=experiment,
        history=tuple(history),
        snapshots=tuple(finals),
        status=status,
        test_looks=test_looks,
        chance=chance_loss(n_classes),
    )
    found = _divergence(case)
    if found:
        # Once a loss is NaN or runs away, the curves and the layers after that epoch are its
        # consequences (spikes, a rising validation loss, dead units); what the probes saw
        # before it may still explain it (gradients growing, layers saturated from the start).
        epoch = found[0].epoch
        case = replace(
            case,
            history=case.history[: epoch - 1],
            snapshots=tuple(s for s in case.snapshots if s.epoch < epoch),
            status=None,
        )
        rules: tuple[Rule, ...] = (
            _vanishing_gradients,
            _exploding_gradients,
            _dead_relus,
            _saturated_sigmoids,
        )
    else:
        slow = _too_slow(case)
        found = slow
        rules = (
            _loss_spikes,
            _overfitting,
            _noisy_validation,
            _early_stopping_never_triggered,
            _vanishing_gradients,
            _exploding_gradients,
            _dead_relus,
            _saturated_sigmoids,
        )
        if not slow:
            # A loss that has not moved is too slow, not too small a network.
            rules = (_underfitting, *rules)
    for rule in rules:
        found.extend(rule(case))
    found.extend(_test_set_overused(case))
    return sorted(found, key=lambda d: (_SEVERITY_ORDER[d.severity], d.epoch, d.id))


def report_entry(diagnosis: Diagnosis) -> dict[str, Any]:
    """A diagnosis as report.json lists it: id, severity, epoch, evidence, suggestion, texts.

    Evidence and suggestion in English (the file's contract); `texts` says them again in
    any language: per text its `TEXTS` key and fields, plain JSON values, a sentence inside
    a sentence (a layer's name) as its own key and fields (`spoken`). A report in Japanese
    renders them with `say_again`. Left out when a text is not one of `TEXTS`.
    """
    entry = {key: english(value) for key, value in diagnosis.to_dict().items()}
    kept = {key: entry[key] for key in ("id", "severity", "epoch", "evidence", "suggestion")}
    texts = {name: spoken(getattr(diagnosis, name)) for name in ("evidence", "suggestion")}
    if all(text is not None for text in texts.values()):
        kept["texts"] = texts
    return kept


# The key of each sentence (two keys share one sentence: either says it).
_KEYS = {template: key for key, template in TEXTS.items()}


def spoken(text: Any) -> dict[str, Any] | None:
    """A sentence of `TEXTS` as {"key", "fields"}, fields plain JSON; None for any other text."""
    if not isinstance(text, Message) or text.template not in _KEYS:
        return None
    fields: dict[str, Any] = {}
    for name, value in text.fields.items():
        if isinstance(value, Message):
            inner = spoken(value)
            if inner is None:
                return None
            fields[name] = inner
        elif value is None or isinstance(value, bool | int | str):
            fields[name] = str(value) if isinstance(value, str) else value
        elif isinstance(value, float) and math.isfinite(value):
            fields[name] = value
        else:
            fields[name] = str(value)  # NaN, or anything JSON cannot hold, as it was printed
    return {"key": _KEYS[text.template], "fields": fields}


def say_again(text: Any, gettext: Callable[[str], str]) -> str:
    """A `spoken` sentence from report.json, in the language `gettext` translates to.

    Raises:
        ValueError: When `text` is not a sentence of today's `TEXTS` with the fields it needs
            (a report.json from another version, or edited by hand).
    """
    if not isinstance(text, Mapping) or not isinstance(text.get("fields"), Mapping):
        raise ValueError("not a spoken sentence")
    template = TEXTS.get(str(text.get("key")))
    if template is None:
        raise ValueError(f"no sentence {text.get('key')!r}")
    fields = {
        name: say_again(value, gettext) if isinstance(value, Mapping) else value
        for name, value in text["fields"].items()
    }
    try:
        return gettext(template).format(**fields)
    except (KeyError, IndexError, ValueError) as error:
        raise ValueError(f"{text.get('key')}: fields do not fit: {error}") from None
