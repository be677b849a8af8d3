"""A hyperparameter search in a background job: `run_search` with its events as Qt signals.

The job (`workbench.ui.jobs.Job`) is stopped through its stop token, which `run_search`
checks. With several workers the trials train in processes that `run_search` starts from the
job's thread; with one, in that thread. Either way the window's thread only receives one
signal per finished trial.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot

from workbench.runs.store import RunStore
from workbench.search.spec import SearchSpec
from workbench.ui.jobs import Job, JobState
from workbench.ui.worker import set_torch_threads


@dataclass(frozen=True)
class _Started:
    """`run_search`'s start event, told apart from its trials' on the way to the window."""

    start: object  # SearchStart


class _Search:
    """The job's function: the whole search. Holds no Qt object."""

    def __init__(
        self,
        spec: SearchSpec,
        store: RunStore,
        workers: int,
        storage: str | None,
        study: str | None,
    ) -> None:
        self._spec, self._store, self._workers = spec, store, workers
        self._storage, self._study = storage, study

    def __call__(self, state: JobState) -> object:
        # Imported here: Optuna loads in this thread, never the window's.
        from workbench.search.runner import run_search

        return run_search(
            self._spec,
            self._store,
            storage=self._storage,
            study=self._study,
            workers=self._workers,
            stop_token=state.stop_token,
            on_trial=state.report,
            on_start=lambda start: state.report(_Started(start)),
        )


class SearchRun(QObject):
    """Owns one search's job for the length of the search."""

    search_started = Signal(object)  # SearchStart
    trial_finished = Signal(object)  # SearchProgress
    search_finished = Signal(object)  # SearchOutcome
    search_failed = Signal(str)  # one line: the storage or study could not be opened

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
        # Every failure, a storage that cannot be opened or a study of another search, is
        # told as one line, as the panel shows it.
        self._job = Job(
            _Search(spec, store, workers, storage, study),
            expected=(Exception,),
            name="searchThread",
            # Trials trained in this thread (one worker) leave a core to the window.
            setup=set_torch_threads,
            # Its trials end within a batch, but recording them and the worker processes'
            # exit take seconds.
            shutdown_wait_ms=120_000,
            parent=self,
        )
        self._job.progress.connect(self._on_progress)
        self._job.succeeded.connect(self.search_finished)
        self._job.errored.connect(self.search_failed)

    def start(self) -> None:
        self._job.start()

    def stop(self) -> None:
        """Trials in progress end within a batch and are queued to run again on resume."""
        self._job.cancel()

    def is_running(self) -> bool:
        return self._job.is_running()

    @Slot(object)
    def _on_progress(self, event: object) -> None:
        if isinstance(event, _Started):
            self.search_started.emit(event.start)
        else:
            self.trial_finished.emit(event)
