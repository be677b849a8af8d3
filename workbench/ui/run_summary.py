"""The sentence that says how a run ended, for the status bar and the results panel."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication

from workbench.config import Experiment
from workbench.core import RunResult, RunStatus
from workbench.core.events import short_number


def describe_end(result: RunResult, experiment: Experiment) -> str:
    """Why the run ended, its best epoch, and its test accuracy when there is one."""
    translate = QCoreApplication.translate  # spelled out so Qt's lupdate finds each string
    n = result.epochs_run
    best = result.best_epoch if result.best_epoch is not None else "–"
    status = result.status
    if status == RunStatus.COMPLETED:
        text = translate("RunSummary", "Completed: {n} epochs (best epoch {best}).").format(
            n=n, best=best
        )
    elif status == RunStatus.EARLY_STOPPED:
        text = translate(
            "RunSummary",
            "Early stopping: no improvement for {patience} epochs; ended after epoch {n}, "
            "best epoch {best}.",
        ).format(patience=experiment.early_stopping.patience, n=n, best=best)
    elif status == RunStatus.STOPPED and result.stop_reason:
        # A callback (a panel, a search) asked for the stop: its reason, not "by you".
        text = translate(
            "RunSummary", "Stopped after {n} epochs (best epoch {best}): {reason}"
        ).format(n=n, best=best, reason=result.stop_reason)
    elif status == RunStatus.STOPPED:
        text = translate(
            "RunSummary", "Stopped by you after {n} epochs (best epoch {best})."
        ).format(n=n, best=best)
    elif status == RunStatus.DIVERGED:
        text = _describe_divergence(result, experiment)
    elif status == RunStatus.PRUNED:
        text = translate(
            "RunSummary",
            "Pruned by the search after {n} epochs: clearly behind the other trials.",
        ).format(n=n)
    else:
        text = translate("RunSummary", "Failed: {error}").format(error=result.error)
    if result.test is not None:
        text += " " + translate("RunSummary", "Test accuracy {accuracy:.4f}.").format(
            accuracy=result.test.accuracy
        )
    return text


def _describe_divergence(result: RunResult, experiment: Experiment) -> str:
    """The loss's growth with the run's numbers, and what to try instead."""
    translate = QCoreApplication.translate
    found = result.divergence
    if found is None:  # a result from before divergence was described (or built by hand)
        return translate(
            "RunSummary",
            "The loss diverged in epoch {n}: the learning rate ({lr}) is probably too high; "
            "try 10x smaller.",
        ).format(n=result.epochs_run, lr=short_number(experiment.optimizer.lr))
    numbers = {
        "start": short_number(found.initial_loss),
        "end": short_number(found.loss),
        "epoch": found.epoch,
        "lr": short_number(found.lr),
    }
    if found.which == "validation":
        return translate(
            "RunSummary",
            "The validation loss diverged (went from {start} to {end} in epoch {epoch}): the "
            "learning rate ({lr}) is probably too high; try 10x smaller.",
        ).format(**numbers)
    if math.isfinite(found.loss):
        return translate(
            "RunSummary",
            "The loss diverged (grew from {start} to {end} in epoch {epoch}): the learning "
            "rate ({lr}) is probably too high; try 10x smaller.",
        ).format(**numbers)
    return translate(
        "RunSummary",
        "The loss diverged (went from {start} to {end} in epoch {epoch}): the learning rate "
        "({lr}) is probably too high; try 10x smaller.",
    ).format(**numbers)
