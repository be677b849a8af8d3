"""The one adapter between the Qt window and the engine: a run trained in a background job.

`TrainingRun` trains one experiment with `workbench.runs.session.train_and_record` in a
`workbench.ui.jobs.Job`: in the job's thread, or, given a `TrainingProcess`, in that process,
the job's thread relaying its events (the window's option; see
`workbench.runs.training_process`), or, given a `RayCluster`, as a task of that cluster
(`workbench.runs.ray_run`), recorded here as its events arrive. Stopping is the job's stop
token (a `threading.Event`) that the engine checks every batch, never a queued slot.
Signals carry the engine's frozen dataclasses of plain floats.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from workbench import i18n
from workbench.config import Experiment
from workbench.core import BatchProgress, Callback, EpochMetrics, RunResult
from workbench.core.probe_types import ProbeSnapshot
from workbench.runs import RunStore
from workbench.runs.ray_run import RayCluster
from workbench.runs.session import RunOutcome, train_and_record
from workbench.runs.training_process import (
    BoundaryDrawn,
    Diagnosed,
    RunRequest,
    TrainingProcess,
    TrainingProcessDied,
)
from workbench.ui.jobs import Job, JobState


def training_threads() -> int:
    """Torch threads for a run beside the window: every core but one, left to the window."""
    return max(1, (os.cpu_count() or 2) - 1)


def set_torch_threads() -> None:
    """Give this thread's torch `training_threads()` threads (a job's `setup`)."""
    # Imported here, in the job's thread: the window opens before torch has loaded.
    import torch

    # OpenMP's thread count is per thread: one set in the main thread does not reach this
    # one, which would otherwise train on every core and starve the window (measured: a
    # 2000x2000 matmul ran on 2 threads here after set_num_threads(1) in the main thread).
    torch.set_num_threads(training_threads())


class _ReportEvents(Callback):
    """Sends the engine's events to the window as the job's progress (in the job's thread)."""

    def __init__(self, state: JobState) -> None:
        self._state = state

    def on_epoch_end(self, metrics: EpochMetrics) -> None:
        self._state.report(metrics)

    def on_batch_end(self, progress: BatchProgress) -> None:
        self._state.report(progress)


class _Train:
    """The job's function: train and record one experiment. Holds no Qt object."""

    def __init__(
        self,
        experiment: Experiment,
        store: RunStore | None,
        evaluate_test: bool,
        callbacks: Sequence[Callback],
    ) -> None:
        self._experiment, self._store = experiment, store
        self._evaluate_test, self._callbacks = evaluate_test, tuple(callbacks)

    def __call__(self, state: JobState) -> RunOutcome:
        # Views that panels added (TrainingRun's `callbacks`) run in this thread, after the
        # recorder (an epoch a view shows is on disk) and the window's own events.
        # Recording happens here, in the job's thread: the window never waits on disk.
        # A stop is the stop token `fit` checks every batch, not a cancel of the job: the
        # run ends `stopped` and is recorded as such.
        return train_and_record(
            self._experiment,
            self._store,
            [_ReportEvents(state), *self._callbacks],
            state.stop_token,
            evaluate_test=self._evaluate_test,
            on_snapshot=state.report,
            on_diagnoses=lambda diagnoses: state.report(Diagnosed(tuple(diagnoses))),
        )


class _TrainInProcess:
    """The job's function when a training process trains: send the run, relay its events."""

    def __init__(
        self,
        experiment: Experiment,
        store: RunStore | None,
        evaluate_test: bool,
        process: TrainingProcess,
    ) -> None:
        self._request = RunRequest(
            experiment,
            store.folder if store is not None else None,
            evaluate_test,
            training_threads(),
            live_boundary=True,
            language=i18n.language(),
        )
        self._process = process

    def __call__(self, state: JobState) -> RunOutcome:
        epochs: list[EpochMetrics] = []

        def relay(event: object) -> None:
            if isinstance(event, EpochMetrics):
                epochs.append(event)
            state.report(event)

        try:
            return self._process.train(self._request, relay, state.stop_token)
        except TrainingProcessDied as error:
            # Killed or out of memory: the run failed, with the epochs it had shown. The
            # child's record of it stays `running`, which the store lists as interrupted.
            result = RunResult.failed(self._request.experiment.training.device, epochs, str(error))
            return RunOutcome(result, None, None, None)


class _TrainOnRay:
    """The job's function when a Ray cluster trains: join it, send the run, relay its events."""

    def __init__(
        self,
        experiment: Experiment,
        store: RunStore | None,
        evaluate_test: bool,
        cluster: RayCluster,
    ) -> None:
        self._experiment, self._store = experiment, store
        self._evaluate_test, self._cluster = evaluate_test, cluster

    def __call__(self, state: JobState) -> RunOutcome:
        # Imported here: Ray takes seconds to import, and only runs on a cluster need it.
        from workbench.runs.ray_run import ClusterError, DataThereError, connect, train_on_ray

        address = self._cluster.address
        try:
            connect(address)  # before anything is recorded
            return train_on_ray(
                self._experiment,
                self._store,
                stop_token=state.stop_token,
                evaluate_test=self._evaluate_test,
                cpus=self._cluster.cpus,
                gpus=self._cluster.gpus,
                data_there=self._cluster.data_there,
                on_event=state.report,
                live_boundary=True,
            )
        except ClusterError as error:
            reason = error.reason
        except DataThereError as error:  # its copy of the data: nothing was recorded
            reason = QCoreApplication.translate("TrainingRun", "its data: {error}").format(
                error=error
            )
        message = QCoreApplication.translate(
            "TrainingRun", "the Ray cluster at {address}: {reason}"
        ).format(address=address, reason=reason)
        failed = RunResult.failed(self._experiment.training.device, (), message)
        return RunOutcome(failed, None, None, None)


class TrainingRun(QObject):
    """Owns the job of one run for the length of the run, and relays its events."""

    epoch_finished = Signal(object)  # EpochMetrics
    batch_progress = Signal(object)  # BatchProgress, at most ~20 per second
    run_finished = Signal(object)  # RunResult, however the run ended
    snapshot_taken = Signal(object)  # ProbeSnapshot: a look inside the network
    diagnosed = Signal(list)  # the run doctor's Diagnosis list after an epoch
    # From a training process only (in a thread the window's boundary view follows the run
    # itself): a decision-boundary grid, and the points under it (2-D data).
    boundary_grid = Signal(object)  # workbench.core.boundary_types.BoundaryGrid
    boundary_points = Signal(object)  # BoundaryPoints

    def __init__(
        self,
        experiment: Experiment,
        store: RunStore | None = None,
        parent: QObject | None = None,
        *,
        evaluate_test: bool = False,
        callbacks: Sequence[Callback] = (),
        process: TrainingProcess | None = None,
        cluster: RayCluster | None = None,
    ) -> None:
        """`evaluate_test`: a final run; runs made while exploring leave the test set alone.

        `callbacks`: views that follow the run from inside it (`on_train_begin` sees the
        model). They run in the training thread: they keep plain data or emit signals of a
        QObject living in the window's thread, never touch widgets. A run in `process` or on
        `cluster` (which comes first) has none (they cannot see a model elsewhere): its
        boundary comes as signals.
        """
        super().__init__(parent)
        self.experiment = experiment
        self.evaluate_test = evaluate_test
        self.outcome: RunOutcome | None = None
        self.cluster = cluster
        self.in_process = process is not None and cluster is None
        function: _Train | _TrainInProcess | _TrainOnRay
        if cluster is not None:
            function = _TrainOnRay(experiment, store, evaluate_test, cluster)
        elif process is not None:
            function = _TrainInProcess(experiment, store, evaluate_test, process)
        else:
            function = _Train(experiment, store, evaluate_test, callbacks)
        here = cluster is None and process is None
        self._job = Job(
            function, name="trainingThread", setup=set_torch_threads if here else None, parent=self
        )
        self._job.progress.connect(self._on_progress)
        self._job.succeeded.connect(self._on_trained)
        # `fit` turns its own failures into a failed result; this is for what surrounds it
        # (opening the record, finishing it): the window must hear that the run ended.
        self._job.errored.connect(self._on_failed)

    @property
    def thread(self) -> QThread:
        return self._job.thread

    @property
    def run_id(self) -> int | None:
        """The run's id in the store, once it has finished (None when not recorded)."""
        return self.outcome.run_id if self.outcome is not None else None

    @property
    def record_error(self) -> str | None:
        return self.outcome.record_error if self.outcome is not None else None

    def start(self) -> None:
        self._job.start()

    def request_stop(self) -> None:
        """Ask the engine to stop; it does so before the next batch."""
        self._job.cancel()

    @property
    def stop_requested(self) -> bool:
        return self._job.cancelled

    def is_running(self) -> bool:
        return self._job.is_running()

    @Slot(object)
    def _on_progress(self, event: object) -> None:
        if isinstance(event, EpochMetrics):
            self.epoch_finished.emit(event)
        elif isinstance(event, ProbeSnapshot):
            self.snapshot_taken.emit(event)
        elif isinstance(event, Diagnosed):
            self.diagnosed.emit(list(event.items))
        elif isinstance(event, BoundaryDrawn):
            (self.boundary_grid if event.what == "grid" else self.boundary_points).emit(event.value)
        else:
            self.batch_progress.emit(event)

    @Slot(object)
    def _on_trained(self, outcome: RunOutcome) -> None:
        self.outcome = outcome
        self.run_finished.emit(outcome.result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        result = RunResult.failed(self.experiment.training.device, (), message)
        self.outcome = RunOutcome(result, None, None, None)
        self.run_finished.emit(result)
