"""The sentence that says how a run ended, for the status bar and the results panel."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from workbench.config import Experiment
from workbench.core import RunResult, RunStatus


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
    elif status == RunStatus.STOPPED:
        text = translate(
            "RunSummary", "Stopped by you after {n} epochs (best epoch {best})."
        ).format(n=n, best=best)
    elif status == RunStatus.DIVERGED:
        text = translate(
            "RunSummary",
            "Diverged: the loss became NaN or infinite in epoch {n}. Try a smaller learning rate.",
        ).format(n=n)
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
