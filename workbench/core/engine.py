"""The training loop: `fit(config, callbacks, stop_token) -> RunResult`.

Used as it is by `workbench run` and, through one worker adapter, by the window, so both run
the same experiment the same way. The loop checks the stop token before every batch, so a
stop takes effect within one batch, and it never syncs with the device per batch except for
the throttled progress event.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import torch
from torch import nn

from workbench.config import Experiment
from workbench.core.augment import ImageAugmentation
from workbench.core.checks import check_augmentable
from workbench.core.device import resolve_device
from workbench.core.divergence import diverged, reference_loss
from workbench.core.early_stopping import EarlyStopping
from workbench.core.events import (
    BatchProgress,
    Callback,
    Divergence,
    EpochMetrics,
    RunContext,
    RunResult,
    RunStatus,
    TestMetrics,
    TestPredictions,
)
from workbench.core.holdout import seal_test_split
from workbench.core.metrics import compute_test_metrics
from workbench.core.optim import build_optimizer, l1_parameters, l1_penalty
from workbench.core.rows import NormalisedRows, device_tensor
from workbench.core.schedule import LrSchedule
from workbench.data import split_dataset
from workbench.data.sources import load_source
from workbench.data.split import RowsView
from workbench.errors import first_line
from workbench.models import build_model

logger = logging.getLogger(__name__)

# Rows per forward pass when evaluating: bounds memory on large validation or test sets
# (2048 x 784 floats: 6 MB gathered at a time; 8192 made the peak RSS 1.3x MNIST's size).
_EVAL_CHUNK = 2048
# Misclassified test samples kept with a run (most confident mistakes first) for its report.
WORST_KEPT = 24


def batch_starts(n_samples: int, batch_size: int) -> range:
    """Where each mini-batch of an epoch starts.

    A last batch of one sample breaks batch normalisation and is mostly noise: it is skipped
    (a different sample each epoch, as the order is reshuffled).
    """
    starts = range(0, n_samples, batch_size)
    if n_samples > 1 and n_samples % batch_size == 1:
        starts = starts[:-1]
    return starts


def sample_rows(rows: NormalisedRows, count: int, seed: int) -> torch.Tensor:
    """Up to `count` of a part's rows, normalised, drawn with a generator seeded by `seed`.

    The generator is the function's own, so drawing changes nothing else a run draws (the
    weights' start, the batch order). The rows come in the part's order.
    """
    n = len(rows)
    generator = torch.Generator().manual_seed(seed)
    chosen = torch.randperm(n, generator=generator)[: max(0, min(count, n))]
    return rows[chosen.sort().values.to(rows.device)]


class StopToken(Protocol):
    """What `fit` needs of a stop token: an object whose `is_set()` says "stop now".

    A `threading.Event` (the window's Stop button), a multiprocessing Event, or a search's
    token that combines the user's stop with its own pruning decision.
    """

    def is_set(self) -> bool: ...


def fit(
    config: Experiment,
    callbacks: Sequence[Callback] = (),
    stop_token: StopToken | None = None,
    *,
    progress_interval_s: float = 0.05,
    evaluate_test: bool = True,
) -> RunResult:
    """Train, validate every epoch, evaluate the test set once, and say how the run ended.

    Never raises for a problem inside training or a callback: that ends the run with status
    `failed` and the message in `RunResult.error`, keeping the epochs already recorded. Every
    callback's `on_train_end` gets the result returned, however the run ended.

    With `evaluate_test=False` (a hyperparameter search's trials) the test split is sealed: the
    run has no test metrics, and anything that reads the test part fails the run with a
    `TestSplitAccessError` (see workbench/core/holdout.py) instead of reading it.
    """
    run = _Run(
        config, callbacks, stop_token or threading.Event(), progress_interval_s, evaluate_test
    )
    deterministic_before = torch.are_deterministic_algorithms_enabled()
    try:
        if config.training.deterministic:
            torch.use_deterministic_algorithms(True)
        result = run.execute()
    except Exception as error:  # the run must end with a result, whatever went wrong
        logger.debug("training failed", exc_info=True)
        message = first_line(error)
        result = RunResult.failed(
            str(run.device),
            run.history,
            f"{type(error).__name__}: {message}",
            best_epoch=run.stopper.best_epoch if run.stopper else None,
        )
    finally:
        torch.use_deterministic_algorithms(deterministic_before)
    _notify_train_end(run.callbacks, result)
    return result


def _notify_train_end(callbacks: Sequence[Callback], result: RunResult) -> None:
    """Call `on_train_end` of every callback, even after one of them raised.

    A raising one neither stops the others nor changes the result: the run has ended, and
    every callback must see the ending `fit` returns.
    """
    for callback in callbacks:
        try:
            callback.on_train_end(result)
        except Exception as error:
            logger.debug("on_train_end failed", exc_info=True)
            logger.warning(
                "%s.on_train_end failed: %s: %s",
                type(callback).__name__,
                type(error).__name__,
                first_line(error),
            )


def load_and_split(config: Experiment):
    """The experiment's dataset and its split.

    The split is a function of the data and the seed alone, so a run tested later
    (core/final_test.py) gets the very rows it was trained on.
    """
    data = config.data
    dataset = load_source(data)
    split = split_dataset(
        dataset,
        data.val_fraction,
        data.test_fraction,
        config.seed,
        data.train_limit,
        data.normalize,
    )
    return dataset, split


class _Run:
    """One training run's state; `fit` keeps it so a failure can still report the history."""

    def __init__(
        self,
        config: Experiment,
        callbacks: Sequence[Callback],
        stop_token: StopToken,
        progress_interval_s: float,
        evaluate_test: bool = True,
    ) -> None:
        self.config = config
        self.evaluate_test = evaluate_test
        self.callbacks = tuple(callbacks)
        self.stop_token = stop_token
        self.progress_interval_s = progress_interval_s
        self.history: list[EpochMetrics] = []
        self.step = 0  # batches trained in the whole run
        # The run's first batch loss, the yardstick of divergence (see core/divergence.py).
        self.first_loss: float | None = None
        self.stopper: EarlyStopping | None = None
        self.device: torch.device | str = config.training.device
        # Why a callback asked the run to stop (RunContext.request_stop); the first one wins.
        self.stop_reason: str | None = None

    def _request_stop(self, reason: str) -> None:
        if self.stop_reason is None:
            self.stop_reason = reason

    def _stopping(self) -> bool:
        """The user's stop token or a callback's request: both end the run as `stopped`."""
        return self.stop_reason is not None or self.stop_token.is_set()

    def execute(self) -> RunResult:
        config = self.config
        self.device = device = resolve_device(config.training.device)
        torch.manual_seed(config.seed)

        dataset, split = load_and_split(config)
        n_test = len(split.y_test)  # the size alone, for the record; no test data is read
        if not self.evaluate_test:
            split = seal_test_split(split)

        # Batches are gathered from the raw features and normalised as they are taken: the
        # dataset is held once (see workbench/core/rows.py).
        features = device_tensor(split.features, device)
        check_augmentable(config, dataset)
        augmentation = (
            ImageAugmentation(config.augmentation, dataset.image_shape, config.seed)
            if config.augmentation.enabled and dataset.image_shape is not None
            else None
        )
        x_train = NormalisedRows(
            features, split.train_rows, split.preprocessing, transform=augmentation
        )
        x_val = NormalisedRows(features, split.val_rows, split.preprocessing)
        y_train, y_val = device_tensor(split.y_train, device), device_tensor(split.y_val, device)
        self.split, self.features = split, features

        model = build_model(
            config.model, dataset.n_features, dataset.n_classes, dataset.image_shape
        ).to(device)
        self.model = model
        self.optimizer = optimizer = build_optimizer(config.optimizer, model.parameters())
        self.loss_fn = loss_fn = nn.CrossEntropyLoss()
        self.l1_weights = l1_parameters(model) if config.optimizer.l1 > 0 else []
        epochs = config.training.epochs
        batches = len(batch_starts(x_train.shape[0], config.training.batch_size))
        self.schedule = LrSchedule(config.schedule, optimizer, epochs, batches)
        # Shuffling has its own generator, so the order does not depend on what else used torch.
        shuffle = torch.Generator().manual_seed(config.seed)

        context = RunContext(
            experiment=config,
            device=str(device),
            epochs=epochs,
            batches_per_epoch=batches,
            class_names=tuple(dataset.class_names),
            _on_stop_request=self._request_stop,
            _validation_sample=lambda count, seed: sample_rows(x_val, count, seed),
            split=split,
        )
        for callback in self.callbacks:
            callback.on_train_begin(model, context)

        es = config.early_stopping
        self.stopper = stopper = EarlyStopping(es.patience, es.resolved_mode, es.min_delta)
        best_state: dict[str, torch.Tensor] | None = None
        status = RunStatus.COMPLETED
        divergence: Divergence | None = None

        for epoch in range(1, epochs + 1):
            started = time.perf_counter()
            # The rate this epoch trained with, read before the epoch's scheduler step.
            lr = float(optimizer.param_groups[0]["lr"])
            trained = self._train_epoch(epoch, x_train, y_train, shuffle)
            if trained is None:
                status = RunStatus.STOPPED
                break
            train_loss, train_accuracy = trained
            val_loss, val_accuracy = _evaluate(model, loss_fn, x_val, y_val)
            if config.schedule.name == "onecycle":
                lr = float(optimizer.param_groups[0]["lr"])  # it moves every batch
            metrics = EpochMetrics(
                epoch=epoch,
                epochs=epochs,
                train_loss=train_loss,
                train_accuracy=train_accuracy,
                val_loss=val_loss,
                val_accuracy=val_accuracy,
                lr=lr,
                seconds=time.perf_counter() - started,
            )
            self.history.append(metrics)
            for callback in self.callbacks:
                callback.on_epoch_end(metrics)

            # Checked before the early-stopping update, so a diverged epoch never becomes the
            # "best" one whose weights are restored and tested.
            reference = reference_loss(
                self.first_loss if self.first_loss is not None else math.nan, dataset.n_classes
            )
            which = diverged(train_loss, val_loss, reference)
            if which is not None:
                status = RunStatus.DIVERGED
                divergence = Divergence(
                    epoch=epoch,
                    initial_loss=reference,
                    loss=train_loss if which == "training" else val_loss,
                    lr=float(config.optimizer.lr),
                    which=which,
                )
                break
            self.schedule.after_epoch(val_loss)
            monitored = val_loss if es.monitor == "val_loss" else val_accuracy
            if stopper.update(epoch, monitored):
                if es.restore_best:
                    best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
                for callback in self.callbacks:
                    callback.on_new_best(metrics, model.state_dict())
            if es.enabled and stopper.should_stop:
                status = RunStatus.EARLY_STOPPED
                break
            if self._stopping():
                status = RunStatus.STOPPED
                break

        if best_state is not None:
            model.load_state_dict(best_state)
        # A diverged model's weights are not finite, or finite but runaway: there is nothing
        # honest to test unless an earlier, healthy epoch's weights were restored.
        weights_usable = status != RunStatus.DIVERGED or best_state is not None
        tested = weights_usable and self.evaluate_test
        test, predictions = self._test(dataset.class_names) if tested else (None, None)
        return RunResult(
            status=status,
            history=tuple(self.history),
            best_epoch=stopper.best_epoch,
            test=test,
            device=str(device),
            weights={k: v.detach().cpu() for k, v in model.state_dict().items()},
            weights_kept="best" if best_state is not None else "last",
            weights_epoch=stopper.best_epoch if best_state is not None else len(self.history),
            preprocessing=split.preprocessing,
            predictions=predictions,
            test_split=split.test_fingerprint if self.evaluate_test else None,
            dataset_name=dataset.name,
            split_sizes=(len(split.y_train), len(split.y_val), n_test),
            divergence=divergence,
            stop_reason=self.stop_reason if status == RunStatus.STOPPED else None,
        )

    def _train_epoch(self, epoch, x, y, shuffle):
        """One pass over the training data; None when the stop token ended it part-way."""
        model, optimizer, loss_fn = self.model, self.optimizer, self.loss_fn
        options = self.config.optimizer
        model.train()
        n = x.shape[0]
        batch_size = self.config.training.batch_size
        order = torch.randperm(n, generator=shuffle).to(x.device)
        starts = batch_starts(n, batch_size)
        batches = len(starts)
        # Sums stay on the device; one .item() per epoch instead of one per batch.
        loss_sum = torch.zeros((), device=x.device)
        correct = torch.zeros((), dtype=torch.long, device=x.device)
        seen = 0
        last_progress = time.monotonic()
        # Batch losses wait on the device until the next progress event: one sync per event.
        pending: list[torch.Tensor] = []
        for number, start in enumerate(starts, start=1):
            if self._stopping():
                return None
            index = order[start : start + batch_size]
            xb, yb = x[index], torch.index_select(y, 0, index)
            optimizer.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = loss_fn(logits, yb)
            # The curves show the data loss alone, so runs with and without L1 compare.
            objective = loss
            if self.l1_weights:
                objective = loss + options.l1 * l1_penalty(self.l1_weights)
            objective.backward()
            if options.grad_clip > 0:
                nn.utils.clip_grad_norm_(model.parameters(), options.grad_clip)
            optimizer.step()
            self.schedule.after_batch()
            if self.first_loss is None:
                # One device sync per run: the untrained model's loss, to measure growth by.
                self.first_loss = float(loss.item())
            loss_sum += loss.detach() * len(index)
            correct += (logits.detach().argmax(dim=1) == yb).sum()
            seen += len(index)
            self.step += 1
            if not self.callbacks:
                continue
            pending.append(loss.detach())
            now = time.monotonic()
            if now - last_progress >= self.progress_interval_s or number == batches:
                last_progress = now
                losses = tuple(torch.stack(pending).tolist())
                pending.clear()
                progress = BatchProgress(epoch, number, batches, self.step, losses)
                for callback in self.callbacks:
                    callback.on_batch_end(progress)
        return float(loss_sum.item()) / seen, float(correct.item()) / seen

    def _test(self, class_names) -> tuple[TestMetrics, TestPredictions]:
        return evaluate_test_part(self.model, self.split, self.features, class_names)


def evaluate_test_part(
    model: nn.Module, split, features: torch.Tensor | None, class_names
) -> tuple[TestMetrics, TestPredictions]:
    """Test metrics and predictions of `model` on the split's test part.

    `features` is the dataset already on the model's device (None: put it there now); the
    test part may have features of its own (a dataset that came with a test file).
    """
    device = next(model.parameters()).device
    if features is None or split.test_features is not split.features:
        features = device_tensor(split.test_features, device)
    x_test = NormalisedRows(features, split.test_rows, split.preprocessing)
    y = split.y_test
    loss, _, probabilities = _evaluate(
        model, nn.CrossEntropyLoss(), x_test, device_tensor(y, device), want_predictions=True
    )
    raw = RowsView(split.test_features, split.test_rows)
    worst = worst_misclassified(y, probabilities, WORST_KEPT)
    predictions = TestPredictions(
        labels=y,
        probabilities=probabilities,
        worst_indices=worst,
        worst_inputs=np.ascontiguousarray(raw[worst], dtype=np.float32),
        inputs=raw,
    )
    return compute_test_metrics(y, probabilities, loss, class_names), predictions


def worst_misclassified(labels, probabilities, count: int):
    """Indices of up to `count` misclassified samples, the most confidently wrong first."""
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    confidence = probabilities[wrong, predicted[wrong]]
    # A stable sort keeps test order among equal confidences, so the choice is reproducible.
    return wrong[np.argsort(-confidence, kind="stable")[:count]]


@torch.no_grad()
def _evaluate(model, loss_fn, x, y, want_predictions=False):
    """Mean loss and accuracy over (x, y) in eval mode; class probabilities when asked."""
    model.eval()
    loss_sum = torch.zeros((), device=x.device)
    predictions, probabilities = [], []
    for start in range(0, x.shape[0], _EVAL_CHUNK):
        logits = model(x[start : start + _EVAL_CHUNK])
        target = y[start : start + _EVAL_CHUNK]
        loss_sum += loss_fn(logits, target) * target.shape[0]
        predictions.append(logits.argmax(dim=1))
        if want_predictions:
            probabilities.append(torch.softmax(logits, dim=1))
    predicted = torch.cat(predictions)
    loss = float(loss_sum.item()) / x.shape[0]
    accuracy = float((predicted == y).float().mean().item())
    if want_predictions:
        return loss, accuracy, torch.cat(probabilities).cpu().numpy()
    return loss, accuracy
