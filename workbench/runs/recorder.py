"""Records a run into the store as it goes: an engine callback, used by the window and CLI."""

from __future__ import annotations

import logging
from typing import Any

from workbench.config import Experiment
from workbench.core.boundary_types import BoundaryGrid, BoundaryPoints
from workbench.core.events import Callback, EpochMetrics, RunResult
from workbench.core.probe_types import ProbeSnapshot
from workbench.errors import first_line
from workbench.report.json_report import decision_boundary, environment
from workbench.runs.store import RunStore, StoreError

logger = logging.getLogger(__name__)


class RunRecorder(Callback):
    """Writes each epoch the moment it ends, and the best weights whenever they improve.

    A store that fails mid-run (disk full, database locked) must not end the training: the
    recorder keeps the first error in `error` and stops writing, so the record stays the
    run's first epochs (with no gaps) and a store that hangs for its lock timeout does not
    slow every epoch. At the end it still records how the run ended, as `incomplete`, so the
    run is not later taken for one that was killed; `error` then says so in one line, for
    the caller to tell the user.
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
        self._missing_from: int | None = None  # the first epoch the record lacks
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

    def _guard(self, write, epoch: int | None = None) -> None:
        if self.error is not None:
            return
        try:
            write()
        except Exception as error:  # any storage failure: record it, keep training
            logger.debug("run store write failed", exc_info=True)
            self.error = self._describe(error)
            self._missing_from = epoch

    def _describe(self, error: Exception) -> str:
        # The store's own errors name its file already; others (OSError from a weights file,
        # SafetensorError) are named after the store here.
        if isinstance(error, StoreError):
            return first_line(error)
        return f"{self.store.path}: {first_line(error)}"

    def on_epoch_end(self, metrics: EpochMetrics) -> None:
        if self.run_id is not None:
            self._guard(lambda: self.store.add_epoch(self.run_id, metrics), metrics.epoch)

    def add_probe(self, snapshot: ProbeSnapshot) -> None:
        """Keep an epoch's look inside the network (looks within an epoch are not kept)."""
        if self.run_id is not None and snapshot.final:
            self._guard(lambda: self.store.add_probe(self.run_id, snapshot), snapshot.epoch)

    def on_new_best(self, metrics: EpochMetrics, weights: dict[str, Any]) -> None:
        if self.run_id is not None:
            self._guard(
                lambda: self.store.save_best(
                    self.run_id, metrics.epoch, metrics.val_accuracy, weights
                ),
                metrics.epoch,
            )

    def finish(
        self,
        result: RunResult,
        boundary: tuple[BoundaryGrid, BoundaryPoints] | None = None,
    ) -> None:
        """Record how the run ended, even after a failed write; `error` says what is missing.

        `boundary`: for 2-D data, the kept weights' decision boundary and its points
        (`RunOutcome.boundary`), kept as the report's `decision_boundary` section.
        """
        if self.run_id is None:
            return  # nothing was recorded; `error` says why
        # The report's own section, so a report made later from the store has the same one.
        entry = decision_boundary(boundary, result)
        missing = None
        if self.error is not None:
            lacking = "" if self._missing_from is None else f"epoch {self._missing_from} on"
            missing = f"not recorded from {lacking or 'the start'}: {self.error}"
        try:
            missing = self.store.finish(self.run_id, result, record_error=missing, boundary=entry)
        except Exception as error:  # the store still fails: the row stays `running`
            logger.debug("run store write failed", exc_info=True)
            first = self.error or self._describe(error)
            self.error = (
                f"run {self.run_id} could not be recorded to its end and will be listed as "
                f"interrupted: {first}"
            )
            return
        if missing is not None:
            self.error = f"run {self.run_id} is recorded as incomplete, {missing}"
