"""The one adapter between the Qt window and the engine: `fit` in a worker QThread.

The pattern is superqt's / napari's: a parentless worker QObject moved to a QThread,
`started -> run`, `finished -> quit`, and Python references kept to both. Stopping is a
`threading.Event` the engine checks every batch, never a queued slot (the worker's event loop
is busy inside `run`). Signals carry the engine's frozen dataclasses of plain floats.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence

from PySide6.QtCore import QObject, QThread, Signal, Slot

from workbench.config import Experiment
from workbench.core import BatchProgress, Callback, EpochMetrics, RunResult, RunStatus
from workbench.errors import first_line
from workbench.runs import RunStore
from workbench.runs.session import train_and_record

logger = logging.getLogger(__name__)


def training_threads() -> int:
    """Torch threads for a run beside the window: every core but one, left to the window."""
    return max(1, (os.cpu_count() or 2) - 1)


class _SignalCallback(Callback):
    """Forwards engine events to the worker's signals (emitted from the worker thread)."""

    def __init__(self, worker: TrainingWorker) -> None:
        self._worker = worker

    def on_epoch_end(self, metrics: EpochMetrics) -> None:
        self._worker.epoch_finished.emit(metrics)

    def on_batch_end(self, progress: BatchProgress) -> None:
        self._worker.batch_progress.emit(progress)


class TrainingWorker(QObject):
    """Runs one experiment with `fit`; lives in its own thread."""

    epoch_finished = Signal(object)  # EpochMetrics
    batch_progress = Signal(object)  # BatchProgress, at most ~20 per second
    run_finished = Signal(object)  # RunResult
    finished = Signal()

    def __init__(
        self,
        experiment: Experiment,
        stop_token: threading.Event,
        store: RunStore | None,
        evaluate_test: bool = False,
        extra_callbacks: Sequence[Callback] = (),
    ) -> None:
        super().__init__()
        self._experiment = experiment
        self._evaluate_test = evaluate_test
        self._stop_token = stop_token
        self._store = store
        self._extra_callbacks = tuple(extra_callbacks)
        self.run_id: int | None = None
        self.record_error: str | None = None

    @Slot()
    def run(self) -> None:
        # Imported here, in the worker thread: the window opens before torch has loaded.
        import torch

        # OpenMP's thread count is per thread: one set in the main thread does not reach this
        # one, which would otherwise train on every core and starve the window (measured: a
        # 2000x2000 matmul ran on 2 threads here after set_num_threads(1) in the main thread).
        torch.set_num_threads(training_threads())
        try:
            result = self._train()
        except Exception as error:  # noqa: BLE001 - the window must learn the run ended
            # `fit` turns its own failures into a failed result; this is for what surrounds
            # it (opening the record, finishing it). Without it run_finished never came and
            # the window stayed "running" for good.
            logger.exception("training run failed outside the engine")
            result = RunResult(
                status=RunStatus.FAILED,
                history=(),
                best_epoch=None,
                test=None,
                device=self._experiment.training.device,
                error=f"{type(error).__name__}: {first_line(error)}",
            )
        try:
            self.run_finished.emit(result)
        finally:
            self.finished.emit()

    def _train(self) -> RunResult:
        # Views that panels added (TrainingRun's `callbacks`) run in this thread, after the
        # recorder (an epoch a view shows is on disk) and the window's own signals.
        # Recording happens here, in the worker thread: the window never waits on disk.
        outcome = train_and_record(
            self._experiment,
            self._store,
            [_SignalCallback(self), *self._extra_callbacks],
            self._stop_token,
            evaluate_test=self._evaluate_test,
        )
        self.run_id, self.record_error = outcome.run_id, outcome.record_error
        return outcome.result


class TrainingRun(QObject):
    """Owns one worker and its thread for the length of a run, and relays their signals."""

    epoch_finished = Signal(object)
    batch_progress = Signal(object)
    run_finished = Signal(object)

    def __init__(
        self,
        experiment: Experiment,
        store: RunStore | None = None,
        parent: QObject | None = None,
        *,
        evaluate_test: bool = False,
        callbacks: Sequence[Callback] = (),
    ) -> None:
        """`evaluate_test`: a final run; runs made while exploring leave the test set alone.

        `callbacks`: views that follow the run from inside it (`on_train_begin` sees the
        model). They run in the training thread: they keep plain data or emit signals of a
        QObject living in the window's thread, never touch widgets.
        """
        super().__init__(parent)
        self.experiment = experiment
        self.evaluate_test = evaluate_test
        self._stop_token = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("trainingThread")
        self._worker = TrainingWorker(experiment, self._stop_token, store, evaluate_test, callbacks)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.epoch_finished.connect(self.epoch_finished)
        self._worker.batch_progress.connect(self.batch_progress)
        self._worker.run_finished.connect(self._on_run_finished)
        self._worker.finished.connect(self._thread.quit)

    @property
    def thread(self) -> QThread:
        return self._thread

    @property
    def run_id(self) -> int | None:
        """The run's id in the store, once it has finished (None when not recorded)."""
        return self._worker.run_id

    @property
    def record_error(self) -> str | None:
        return self._worker.record_error

    def start(self) -> None:
        self._thread.start()

    def request_stop(self) -> None:
        """Ask the engine to stop; it does so before the next batch."""
        self._stop_token.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop_token.is_set()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def stop_and_wait(self, timeout_ms: int = 30_000) -> bool:
        """Stop and join the thread (window closing): a running QThread must not be destroyed."""
        self.request_stop()
        self._thread.quit()
        return self._thread.wait(timeout_ms)

    @Slot(object)
    def _on_run_finished(self, result: RunResult) -> None:
        # Join the thread before telling anyone, so "finished" means nothing is left running.
        self._thread.quit()
        self._thread.wait()
        self.run_finished.emit(result)
