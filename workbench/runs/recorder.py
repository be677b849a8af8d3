"""Records a run into the store as it goes: an engine callback, used by the window and CLI."""

from __future__ import annotations

import logging
from typing import Any

from workbench.config import Experiment
from workbench.core.events import Callback, EpochMetrics, RunResult
from workbench.report.json_report import environment
from workbench.runs.store import RunStore

logger = logging.getLogger(__name__)


class RunRecorder(Callback):
    """Writes each epoch the moment it ends, and the best weights whenever they improve.

    A store that fails mid-run (disk full, database locked) must not end the training: the
    recorder keeps the first error in `error`, stops writing, and the caller tells the user.
    """

    def __init__(
        self,
        store: RunStore,
        experiment: Experiment,
        *,
        search_id: int | None = None,
        trial: int | None = None,
    ) -> None:
        self.store = store
        self.error: str | None = None
        self.run_id: int | None = None
        self._guard(
            lambda: setattr(
                self,
                "run_id",
                store.create_run(
                    experiment.name,
                    experiment.to_dict(),
                    environment(experiment.training.device),
                    search_id=search_id,
                    trial=trial,
                ),
            )
        )

    def _guard(self, write) -> None:
        if self.error is not None:
            return
        try:
            write()
        except Exception as error:  # any storage failure: record it, keep training
            logger.debug("run store write failed", exc_info=True)
            self.error = f"{self.store.path}: {error}"

    def on_epoch_end(self, metrics: EpochMetrics) -> None:
        if self.run_id is not None:
            self._guard(lambda: self.store.add_epoch(self.run_id, metrics))

    def on_new_best(self, metrics: EpochMetrics, weights: dict[str, Any]) -> None:
        if self.run_id is not None:
            self._guard(
                lambda: self.store.save_best(
                    self.run_id, metrics.epoch, metrics.val_accuracy, weights
                )
            )

    def finish(self, result: RunResult) -> None:
        if self.run_id is not None:
            self._guard(lambda: self.store.finish(self.run_id, result))
