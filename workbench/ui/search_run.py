"""A hyperparameter search in a worker QThread: `run_search` with its events as Qt signals.

The same pattern as `workbench.ui.worker` (one parentless worker object moved to a QThread,
stopped through a `threading.Event`). With several workers the trials train in processes
that `run_search` starts from this thread; with one, here. Either way the window's thread only
receives one signal per finished trial.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal, Slot

from workbench.errors import first_line
from workbench.runs.store import RunStore
from workbench.search.spec import SearchSpec


class _SearchWorker(QObject):
    search_started = Signal(object)  # SearchStart
    trial_finished = Signal(object)  # SearchProgress
    search_finished = Signal(object)  # SearchOutcome
    search_failed = Signal(str)  # one line: the storage or study could not be opened
    finished = Signal()

    def __init__(
        self,
        spec: SearchSpec,
        store: RunStore,
        workers: int,
        storage: str | None,
        study: str | None,
        stop: threading.Event,
    ) -> None:
        super().__init__()
        self._spec, self._store, self._workers, self._stop = spec, store, workers, stop
        self._storage, self._study = storage, study

    @Slot()
    def run(self) -> None:
        try:
            # Imported here: Optuna and torch load in this thread, never the window's.
            import torch

            from workbench.search.runner import run_search
            from workbench.ui.worker import training_threads

            # Trials trained in this thread (one worker) leave a core to the window.
            torch.set_num_threads(training_threads())
            outcome = run_search(
                self._spec,
                self._store,
                storage=self._storage,
                study=self._study,
                workers=self._workers,
                stop_token=self._stop,
                on_trial=self.trial_finished.emit,
                on_start=self.search_started.emit,
            )
            self.search_finished.emit(outcome)
        except Exception as error:  # a storage that cannot be opened, a study of another search
            self.search_failed.emit(first_line(error))
        finally:
            self.finished.emit()


class SearchRun(QObject):
    """Owns one search worker and its thread for the length of a search."""

    search_started = Signal(object)
    trial_finished = Signal(object)
    search_finished = Signal(object)
    search_failed = Signal(str)

    def __init__(
        self,
        spec: SearchSpec,
        store: RunStore,
        workers: int,
        storage: str | None = None,
        study: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        """`storage` and `study`: an existing search's, to continue it (None: the default)."""
        super().__init__(parent)
        self.spec = spec
        self._stop = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("searchThread")
        self._worker = _SearchWorker(spec, store, workers, storage, study, self._stop)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.finished.connect(self._thread.quit)
        self._worker.search_started.connect(self.search_started)
        self._worker.trial_finished.connect(self.trial_finished)
        self._worker.search_finished.connect(self._on_finished)
        self._worker.search_failed.connect(self._on_failed)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Trials in progress end within a batch and are queued to run again on resume."""
        self._stop.set()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, timeout_ms: int = 120_000) -> bool:
        """Stop and join the thread (window closing); worker processes are stopped first."""
        self._stop.set()
        self._thread.quit()
        return self._thread.wait(timeout_ms)

    # Join the thread before telling anyone, so "finished" means nothing is left running.
    @Slot(object)
    def _on_finished(self, outcome: object) -> None:
        self._thread.quit()
        self._thread.wait()
        self.search_finished.emit(outcome)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._thread.quit()
        self._thread.wait()
        self.search_failed.emit(message)
