"""Plain, frozen event objects the engine hands to callbacks (and the GUI sends as signals).

Every number is a Python float or int, already off the device, so a receiver in another
thread never touches a tensor.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from workbench.i18n import N_, Message, english

if TYPE_CHECKING:  # annotations only: this module stays importable without torch or pydantic
    import torch
    from torch import nn

    from workbench.config import Experiment
    from workbench.data.split import Split


class RunStatus(StrEnum):
    """Why a run ended; the values are the report's `status` strings."""

    COMPLETED = "completed"
    EARLY_STOPPED = "early_stopped"
    STOPPED = "stopped"
    DIVERGED = "diverged"
    FAILED = "failed"
    # A search trial its pruner stopped early: clearly behind the other trials at that epoch.
    PRUNED = "pruned"


@dataclass(frozen=True)
class EpochMetrics:
    """One finished epoch: training pass plus validation pass."""

    epoch: int  # 1-based
    epochs: int  # the planned total
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    lr: float
    seconds: float


# What an epoch measured, in EpochMetrics' order: every field but the epoch's number and the
# planned total (the run's, not the epoch's). The run store's `epochs` columns, report.json's
# history and the CSV keep these beside `epoch`.
EPOCH_VALUES: tuple[str, ...] = tuple(
    f.name for f in fields(EpochMetrics) if f.name not in ("epoch", "epochs")
)
# One row of a run's history (report.json, the CSV, the store's records): `epoch`, then the values.
HISTORY_FIELDS: tuple[str, ...] = ("epoch", *EPOCH_VALUES)


def history_row(metrics: EpochMetrics) -> dict[str, Any]:
    """One epoch as a history row: {field: value} for HISTORY_FIELDS, in their order."""
    return {name: getattr(metrics, name) for name in HISTORY_FIELDS}


@dataclass(frozen=True)
class BatchProgress:
    """Progress inside an epoch, sent at most a few dozen times a second.

    `losses` holds the training loss of every batch since the previous event, so a
    per-batch curve misses none although events are throttled; `step` is the run-wide
    1-based index of the last of them.
    """

    epoch: int
    batch: int  # 1-based, batches done in this epoch
    batches: int
    step: int
    losses: tuple[float, ...]

    @property
    def loss(self) -> float:
        """The latest batch's training loss."""
        return self.losses[-1]


@dataclass(frozen=True)
class ClassMetrics:
    """Test metrics of one class."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class TestMetrics:
    """The final evaluation on the test set, made once per run."""

    __test__ = False  # not a pytest test class despite the name

    loss: float
    accuracy: float
    precision_macro: float
    recall_macro: float
    f1_macro: float
    per_class: tuple[ClassMetrics, ...]
    confusion_matrix: tuple[tuple[int, ...], ...]  # rows: true class, columns: predicted
    precision_weighted: float
    recall_weighted: float
    f1_weighted: float
    top_k: int
    top_k_accuracy: float
    roc_auc: float | None  # two classes only
    confusion_matrix_normalized: tuple[tuple[float, ...], ...]  # each row sums to 1
    # Two classes only: the ROC curve's false- and true-positive rates, threshold by threshold.
    roc_curve: dict[str, tuple[float, ...]] | None = None


@dataclass(frozen=True)
class TestPredictions:
    """What the model said about each test sample, kept for reports and the results panel."""

    __test__ = False

    labels: Any  # (n,) true class indices, NumPy int64
    probabilities: Any  # (n, n_classes) float32
    # The worst misclassified samples (most confident first): their test-set indices and raw
    # inputs (before normalisation), so a report can show them without the dataset.
    worst_indices: Any
    worst_inputs: Any
    # All raw test inputs, for browsing a confusion-matrix cell; not stored, only kept in
    # memory for the run just trained.
    inputs: Any = field(default=None, compare=False, repr=False)


def short_number(value: float) -> str:
    """A loss or rate as people write it: 2.44, 918, 4.66e21, NaN, infinity."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "infinity" if value > 0 else "-infinity"
    text = f"{value:.3g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa}e{int(exponent)}"  # "4.66e+21" -> "4.66e21"


# Whole sentences per case, so a translation need not glue a subject to a verb.
_GREW = N_(
    "The loss diverged (grew from {start} to {end} in epoch {epoch}): the learning rate ({lr}) "
    "is probably too high; try 10x smaller."
)
_WENT = N_(
    "The loss diverged (went from {start} to {end} in epoch {epoch}): the learning rate ({lr}) "
    "is probably too high; try 10x smaller."
)
_VALIDATION_GREW = N_(
    "The validation loss diverged (grew from {start} to {end} in epoch {epoch}): the learning "
    "rate ({lr}) is probably too high; try 10x smaller."
)
_VALIDATION_WENT = N_(
    "The validation loss diverged (went from {start} to {end} in epoch {epoch}): the learning "
    "rate ({lr}) is probably too high; try 10x smaller."
)


@dataclass(frozen=True)
class Divergence:
    """Why a run was called diverged, with the numbers to tell the user.

    `loss` is the epoch's mean training loss (or the validation loss when that one alone
    stopped being finite, `which` = "validation"); `initial_loss` is the yardstick the growth
    was measured against: the run's first batch loss, at least ln(classes); `lr` is the
    configured learning rate.
    """

    epoch: int
    initial_loss: float
    loss: float
    lr: float
    which: str = "training"

    def describe(self) -> str:
        """The sentence for the command line, in its language (the window translates its own).

        A Message: report.json and the run store take its English (`as_dict`).
        """
        grew = math.isfinite(self.loss)
        if self.which == "training":
            template = _GREW if grew else _WENT
        else:
            template = _VALIDATION_GREW if grew else _VALIDATION_WENT
        return Message(
            template,
            start=short_number(self.initial_loss),
            end=short_number(self.loss),
            epoch=self.epoch,
            lr=short_number(self.lr),
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data for report.json and the run store (non-finite losses stay floats)."""
        return {
            "epoch": self.epoch,
            "initial_loss": self.initial_loss,
            "loss": self.loss,
            "lr": self.lr,
            "which": self.which,
            "message": english(self.describe()),
        }


@dataclass(frozen=True)
class RunResult:
    """How a run ended and what it measured."""

    status: RunStatus
    history: tuple[EpochMetrics, ...]
    best_epoch: int | None
    test: TestMetrics | None
    device: str
    error: str | None = None
    # The tested weights (the best epoch's when restored), as a CPU state dict; for saving
    # and predicting. Left out of comparisons and printing: it is large.
    weights: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    # Which weights were tested: "best" (restored) or "last", and the epoch they are from.
    weights_kept: str = "last"
    weights_epoch: int | None = None
    # How raw inputs became model inputs (workbench.data.preprocessing.Preprocessing).
    preprocessing: Any = field(default=None, compare=False, repr=False)
    predictions: TestPredictions | None = field(default=None, compare=False, repr=False)
    test_split: str | None = None  # fingerprint of the test set (see Split.test_fingerprint)
    dataset_name: str | None = None
    split_sizes: tuple[int, int, int] | None = None  # train, validation, test
    # Set when status is DIVERGED: the numbers behind the verdict (see core/divergence.py).
    divergence: Divergence | None = None
    # Set when status is STOPPED because a callback asked for it (RunContext.request_stop):
    # its reason, one line. None for the user's Stop, which needs no explaining.
    stop_reason: str | None = None

    @property
    def epochs_run(self) -> int:
        return len(self.history)

    @classmethod
    def failed(
        cls,
        device: str,
        history: Iterable[EpochMetrics],
        error: str,
        best_epoch: int | None = None,
    ) -> RunResult:
        """A run that ended on `error` (one line), keeping the epochs it finished."""
        return cls(
            status=RunStatus.FAILED,
            history=tuple(history),
            best_epoch=best_epoch,
            test=None,
            device=device,
            error=error,
        )


@dataclass(frozen=True)
class RunContext:
    """What a callback is told of a run as it begins, and its one lever on it: stopping it.

    Read-only, so no callback can change the run another callback sees. `request_stop` ends
    the run as `stopped` where the user's Stop would (before the next batch, or after the
    current epoch's checks), keeping `reason` as `RunResult.stop_reason`; the first request
    is the one kept.
    """

    experiment: Experiment
    device: str
    epochs: int  # the planned total
    batches_per_epoch: int
    class_names: tuple[str, ...]
    # The engine's side of request_stop; private so a callback cannot swap it.
    _on_stop_request: Callable[[str], None] = field(repr=False, compare=False)
    # The engine's side of validation_sample: (count, seed) -> inputs. None where no run
    # supplies one (a context made by hand), so contexts built without it stay valid.
    _validation_sample: Callable[[int, int], torch.Tensor] | None = field(
        default=None, repr=False, compare=False
    )
    # The run's own split: raw features, each part's rows and labels, the normalisation fitted
    # on the training part. Given so a view of the data (core/boundary.py) reads what the run
    # trains on instead of loading and splitting the dataset a second time. Its arrays are the
    # run's: read them, never write. A run that must not look at its test part hands it on
    # sealed (core/holdout.py). None in a context made by hand.
    split: Split | None = field(default=None, repr=False, compare=False)

    def request_stop(self, reason: str) -> None:
        """Ask the run to stop; `reason` is shown where the run's end is described."""
        lines = str(reason).strip().splitlines()
        # One line, like every message of the project; an empty reason still says who asked.
        self._on_stop_request(lines[0] if lines else "a callback asked the run to stop")

    def validation_sample(self, count: int, seed: int) -> torch.Tensor:
        """Up to `count` validation inputs, drawn with `seed`, ready for the model.

        Normalised exactly as training normalises its batches (never augmented), on the run's
        device, shaped (samples, features) like a training batch. The same count and seed give
        the same samples every call, so a probe can look at one fixed batch all run long; the
        draw uses its own generator and changes nothing the run itself draws.
        """
        if count < 1:
            raise ValueError(f"count must be at least 1, got {count}")
        if self._validation_sample is None:
            raise RuntimeError("this run context has no validation data to sample")
        return self._validation_sample(count, seed)


class Callback:
    """Receives the engine's events; override what you need. Called in the training thread.

    An exception raised by any hook ends the run as `failed` with its first line as the
    error (`fit` never raises); `on_train_end` is called all the same.
    """

    def on_train_begin(self, model: nn.Module, run: RunContext) -> None:
        """Once, after the model is built and before the first batch.

        `model` is the live torch module (register hooks on it, read its layers); `run` says
        what is being trained and lets the callback stop it (keep it to call later).
        """

    def on_train_end(self, result: RunResult) -> None:
        """Once, with the result `fit` returns, however the run ended (failed included).

        Also after a run that failed before training began, so without `on_train_begin`.
        An exception here is logged and changes nothing: the run has already ended.
        """

    def on_epoch_end(self, metrics: EpochMetrics) -> None:
        """After each epoch's validation pass."""

    def on_batch_end(self, progress: BatchProgress) -> None:
        """After a training batch, throttled by the engine."""

    def on_new_best(self, metrics: EpochMetrics, weights: dict[str, Any]) -> None:
        """After an epoch that beat the best monitored value; `weights` is the live state dict.

        Copy or save the weights before returning: training changes them afterwards.
        """
