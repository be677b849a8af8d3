"""Running a search: trials one after another here, or several at once sharing a study.

With N workers, one is a thread of this process and N - 1 are spawned processes.

`run_search(spec, store, ...)` is what the CLI and the window's worker thread call. Each trial
trains the base experiment with the trial's values through the ordinary engine, with the
test split sealed (`fit(..., evaluate_test=False)`), reports its validation metric to Optuna
every epoch (the pruner may stop it) and is recorded in the run store as a run of the search.
A trial that fails or diverges is recorded as such; the search goes on.

Stopping: set the stop token. Trials in progress end within a batch; they are recorded as
`stopped` and their values queued again, so running the search again (same storage and
study) resumes it and finishes them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.events import Callback, EpochMetrics, RunContext, RunResult, RunStatus
from workbench.errors import described
from workbench.i18n import _
from workbench.search.results import (
    TrialResult,
    best_of,
    best_trial,
    results_from_study,
    sort_trials,
)
from workbench.search.space import SearchError
from workbench.search.study import (
    HOST,
    count_done,
    count_toward_total,
    default_storage,
    fail_silent_trials,
    make_distributions,
    open_storage,
    open_study,
    quiet_optuna,
    recover_stale,
    requeue,
    trial_heartbeat,
)

if TYPE_CHECKING:
    import optuna

    from workbench.core.engine import StopToken
    from workbench.runs.store import RunStore
    from workbench.search.spec import SearchSpec

# How long worker processes get to record their interrupted trial and exit after a stop,
# before they are terminated.
STOP_GRACE_S = 60.0
_POLL_S = 0.1


@dataclass(frozen=True)
class SearchProgress:
    """Sent after each trial ends (in the thread that called `run_search`)."""

    done: int  # trials finished in the study, on every machine, counting toward the total
    total: int
    trial: TrialResult  # the trial that just ended
    best: TrialResult | None  # the best trial so far


@dataclass(frozen=True)
class SearchStart:
    """Sent once the study is open, before any trial (the window learns the search's id)."""

    search_id: int  # the store's record: poll `store.search_runs(search_id)` while it runs
    study: str
    storage: str
    done: int  # trials already finished (a resumed search)
    total: int
    workers: int  # processes about to train; 0 when nothing is left to do


@dataclass(frozen=True)
class SearchOutcome:
    """How a search call ended, and the table of every trial of the study."""

    search_id: int
    study: str
    storage: str
    done: int
    total: int
    stopped: bool  # by the stop token, before every trial was done
    trials: tuple[TrialResult, ...]  # every trial of the study, best first
    best: TrialResult | None
    error: str | None = None  # a worker that could not go on (its storage failed)

    @property
    def finished(self) -> bool:
        return self.done >= self.total

    @property
    def running_elsewhere(self) -> int:
        """Trials still training in other processes or machines that share the study."""
        return sum(1 for trial in self.trials if trial.status == "running")


@dataclass(frozen=True)
class _Job:
    """What a worker needs: plain, picklable data (worker processes are spawned)."""

    spec: SearchSpec
    data_dir: str
    storage: str
    study: str
    search_id: int
    total: int


def cpu_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def uses_gpu(device: str) -> bool:
    """Whether trials of this device setting train on a GPU (they then run one at a time)."""
    from workbench.core.device import cuda_available, mps_available

    if device == "auto":
        return cuda_available()
    return device.startswith("cuda") or (device == "mps" and mps_available())


def resolve_workers(requested: int, device: str) -> int:
    """0 means one worker per two cores on the CPU; a GPU trains one trial at a time."""
    if uses_gpu(device):
        return 1
    return requested if requested > 0 else max(1, cpu_cores() // 2)


# -- one trial -----------------------------------------------------------------------------------
class _Pruning(Callback):
    """Reports the validation metric to the Optuna trial each epoch; stops it when pruned.

    The stop goes through the run's own request (RunContext.request_stop), so the search's
    stop token reaches `fit` untouched and a pruned trial is told apart by `pruned`.
    """

    def __init__(self, trial: optuna.Trial, metric: str) -> None:
        self.trial, self.metric = trial, metric
        self.pruned = False
        self.run: RunContext | None = None

    def on_train_begin(self, model: Any, run: RunContext) -> None:
        self.run = run

    def on_epoch_end(self, metrics: EpochMetrics) -> None:
        value = getattr(metrics, self.metric)
        if not math.isfinite(value):
            return  # a diverging epoch; the engine ends the run itself
        self.trial.report(value, metrics.epoch)
        # Pruning after the last epoch would only throw a finished trial away.
        if metrics.epoch < metrics.epochs and self.trial.should_prune():
            self.pruned = True
            if self.run is not None:  # always set by then; checked for the type checker
                self.run.request_stop(
                    _("pruned by the search at epoch {epoch}").format(epoch=metrics.epoch)
                )


def run_trial(
    job: _Job, study: optuna.Study, trial: optuna.Trial, store: RunStore, stop: StopToken
) -> TrialResult:
    """Train one trial, record it as a run, and tell the study how it ended."""
    from optuna.trial import TrialState

    from workbench.runs.session import train_and_record

    spec, started = job.spec, time.monotonic()
    values = dict(trial.params)
    attrs: dict[str, Any] = {}
    history: tuple[EpochMetrics, ...] = ()
    error_text: str | None
    run_id: int | None = None
    try:
        experiment = spec.trial_experiment(values, trial.number)
    except SearchError as error:  # a combination of values the experiment refuses
        result_status, error_text = "failed", str(error)
    else:
        pruning = _Pruning(trial, spec.search.metric)
        planned = experiment.training.epochs

        def settle(result: RunResult) -> RunResult:
            status = result.status
            if status == RunStatus.STOPPED and pruning.pruned:
                status = RunStatus.PRUNED
            elif status == RunStatus.STOPPED and result.epochs_run >= planned:
                status = RunStatus.COMPLETED  # the stop came after the last epoch had run
            return dataclasses.replace(result, status=status)

        outcome = train_and_record(
            experiment,
            store,
            [pruning],
            stop,
            evaluate_test=False,
            search_id=job.search_id,
            trial=trial.number,
            settle=settle,
            # Probes cost ~2 % of a run; over hundreds of trials nobody looks at them.
            probes=False,
        )
        result = outcome.result
        result_status, error_text, history = str(result.status), result.error, result.history
        run_id = outcome.run_id
        if outcome.record_error:
            attrs["store_error"] = outcome.record_error
    best_value, best_epoch = best_of(history, spec.search.metric)
    attrs.update(
        status=result_status,
        best_value=best_value,
        best_epoch=best_epoch,
        run_id=run_id,
        epochs_run=len(history),
        seconds=round(time.monotonic() - started, 3),
    )
    if error_text:
        attrs["error"] = error_text
    for key, value in attrs.items():
        trial.set_user_attr(key, value)
    if result_status in ("completed", "early_stopped") and best_value is not None:
        study.tell(trial, best_value)
    elif result_status == "pruned":
        study.tell(trial, state=TrialState.PRUNED)
    else:
        # Failed or diverged: FAIL, so samplers and pruners do not learn from it. A stopped
        # trial also ends FAIL, and its values are queued to run again when the search resumes.
        study.tell(trial, state=TrialState.FAIL)
        if result_status == "stopped":
            requeue(study, trial)
    return TrialResult(
        number=trial.number,
        values=values,
        status=result_status,
        best_value=best_value,
        best_epoch=best_epoch,
        run_id=run_id,
        error=error_text,
        epochs_run=len(history),
        seconds=attrs["seconds"],
        host=HOST,
    )


def trial_loop(
    job: _Job,
    stop: StopToken,
    lock: Any,
    send: Callable[[TrialResult], None],
    marks: dict[str, str] | None = None,
) -> None:
    """Ask for trials and run them until the study has its total, or until stopped.

    The lock is held from counting to asking, so this machine's workers never overshoot the
    total between them. (Machines sharing a study may, by a trial or two.) `marks` are user
    attributes set on each trial asked for (a Ray task's tag).
    """
    from workbench.runs.store import RunStore

    quiet_optuna()
    store = RunStore(job.data_dir)
    storage = open_storage(job.storage)
    study = open_study(job.spec, storage, job.study)
    distributions = make_distributions(job.spec)
    while not stop.is_set():
        with lock:
            fail_silent_trials(study)  # a machine gone for good: its trial runs again here
            if count_toward_total(study) >= job.total:
                return
            trial = study.ask(distributions)
        # Heard of from its first moment (a database storage), so that even a worker killed
        # right after asking leaves a trial that is found silent. The pid is set before the
        # host: a trial naming this machine names its process (see is_stale).
        with trial_heartbeat(study, storage, trial.number):
            for key, value in (marks or {}).items():
                trial.set_user_attr(key, value)
            trial.set_user_attr("pid", os.getpid())
            trial.set_user_attr("host", HOST)
            result = run_trial(job, study, trial, store, stop)
        send(result)


# -- worker processes ----------------------------------------------------------------------------
class _WorkerStop:
    """A worker's stop: the search's Event, or its parent process gone (never an orphan)."""

    def __init__(self, event: Any) -> None:
        self.event = event
        self.parent = multiprocessing.parent_process()
        self._checked = 0.0

    def is_set(self) -> bool:
        if self.event.is_set():
            return True
        now = time.monotonic()
        if self.parent is not None and now - self._checked > 0.5:  # a syscall: not per batch
            self._checked = now
            if not self.parent.is_alive():
                self.event.set()
                return True
        return False


def _worker_main(job: _Job, event: Any, lock: Any, messages: Any, threads: int) -> None:
    """A worker process: its own torch threads, Ctrl+C left to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us through the Event
    import torch

    torch.set_num_threads(threads)
    try:
        trial_loop(job, _WorkerStop(event), lock, lambda r: messages.put(("trial", r)))
    except BaseException as error:  # tell the parent why, then exit non-zero
        messages.put(("error", f"worker {os.getpid()}: {described(error)}"))
        raise SystemExit(1) from None


def _local_worker(job: _Job, event: Any, lock: Any, messages: Any, threads: int) -> None:
    """The worker that is a thread of the searching process: as `_worker_main`, no process."""
    import torch

    # Per thread, as in the window's training thread: this one trains on its share.
    torch.set_num_threads(threads)
    try:
        trial_loop(job, event, lock, lambda r: messages.put(("trial", r)))
    except BaseException as error:  # tell the poller why; the search stops
        messages.put(("error", f"search thread: {described(error)}"))


@contextlib.contextmanager
def _children_ignore_sigint() -> Iterator[None]:
    # Ctrl+C in a terminal reaches the whole process group. A child started while SIGINT is
    # ignored starts ignoring it (no KeyboardInterrupt trace while it imports torch); the
    # parent turns Ctrl+C into the stop Event. Only the main thread may change handlers.
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _run_workers(
    job: _Job,
    workers: int,
    stop: StopToken,
    on_trial: Callable[[TrialResult], None],
) -> str | None:
    """Train with `workers` at once until done or `stop` is set; returns a worker's error.

    One of them is a thread of this process, the others are processes: a new process spends
    seconds importing torch and Optuna before its first trial (2.7 s on two cores), which
    this process has done already.
    """
    context = multiprocessing.get_context("spawn")  # fork + torch threads can deadlock
    event, lock, messages = context.Event(), context.Lock(), context.Queue()
    threads = max(1, cpu_cores() // workers)
    processes = [
        context.Process(
            target=_worker_main,
            args=(job, event, lock, messages, threads),
            name=f"workbench-search-{index}",
            daemon=True,  # never outlive the window or CLI that started them
        )
        for index in range(workers - 1)
    ]
    local = threading.Thread(
        target=_local_worker,
        args=(job, event, lock, messages, threads),
        name="workbench-search-local",
        daemon=True,
    )
    error: str | None = None
    stop_sent_at: float | None = None

    def handle(message: tuple[str, Any]) -> None:
        nonlocal error
        kind, payload = message
        if kind == "trial":
            on_trial(payload)
        elif error is None:
            error = payload
            event.set()  # one worker cannot reach the storage: the others would fail too

    try:
        with _children_ignore_sigint():
            for process in processes:
                process.start()
        local.start()
        while True:
            if stop.is_set() and stop_sent_at is None:
                event.set()
                stop_sent_at = time.monotonic()
            try:
                handle(messages.get(timeout=_POLL_S))
                continue
            except queue.Empty:
                pass
            if not local.is_alive() and all(p.exitcode is not None for p in processes):
                break
            if stop_sent_at is not None and time.monotonic() - stop_sent_at > STOP_GRACE_S:
                break
    finally:
        event.set()
        if local.ident is not None:  # started: it ends its trial within a batch
            local.join(timeout=STOP_GRACE_S)
        for process in processes:
            process.join(timeout=STOP_GRACE_S if process.is_alive() else None)
            if process.is_alive():
                process.terminate()
                process.join()
        # What the workers sent before exiting is still in the pipe.
        with contextlib.suppress(queue.Empty, OSError, EOFError):
            while True:
                handle(messages.get_nowait())
        messages.close()
        messages.join_thread()
    if error is None:
        crashed = [p.exitcode for p in processes if p.exitcode not in (0, None)]
        if crashed and not stop.is_set():
            error = f"a worker process ended with exit code {crashed[0]}"
    return error


# -- the search ----------------------------------------------------------------------------------
def run_search(
    spec: SearchSpec,
    store: RunStore,
    *,
    storage: str | None = None,
    study: str | None = None,
    workers: int | None = None,
    stop_token: StopToken | None = None,
    on_trial: Callable[[SearchProgress], None] | None = None,
    on_start: Callable[[SearchStart], None] | None = None,
    ray: tuple[float, float] | None = None,
) -> SearchOutcome:
    """Run (or resume) a search until its total of trials is done, or until stopped.

    Args:
        spec: The checked search (`load_search`, `build_spec`).
        store: The run store; trials are recorded as runs of the search, and the default
            storage is a journal file in its folder (`searches/<study>/journal.log`).
        storage: An Optuna storage: a database URL (`sqlite:///s.db`, `postgresql://...`) or
            a journal file's path. Several processes or machines on one storage and study
            work on one search.
        study: The study name; default `<spec name>-<signature>`, so running the same search
            again resumes it.
        workers: Processes training trials at once; default the spec's `workers` (0: one per
            two cores; 1 on a GPU). 1 trains in this thread, no process started.
        stop_token: Set it to stop; trials in progress end within a batch.
        on_trial: Called after each trial ends, in the calling thread.
        on_start: Called once the study is open, before the first trial.
        ray: Train the trials as tasks of the Ray cluster joined already
            (`workbench.runs.ray_run.connect`), `workers` at once, each asking for (CPUs,
            GPUs); see `workbench.search.ray_workers`.

    Raises:
        SearchError: the storage cannot be opened, or the study holds a different search.
    """
    quiet_optuna()
    stop = stop_token or threading.Event()
    study_name = study or spec.default_study_name()
    storage_name = storage or default_storage(store.folder, study_name)
    if "://" not in storage_name:
        storage_name = str(Path(storage_name).expanduser().resolve())
    optuna_study = open_study(spec, open_storage(storage_name), study_name)
    recover_stale(optuna_study)
    search_id = store.open_search(spec.name, spec.to_json(), storage_name, study_name)
    total = spec.planned_trials()
    job = _Job(spec, str(store.folder), storage_name, study_name, search_id, total)
    remaining = total - count_toward_total(optuna_study)
    wanted = workers if workers is not None else spec.search.workers
    if ray is not None:  # the cluster's cores, not this machine's
        count = min(max(1, wanted), max(remaining, 0))
    else:
        count = min(resolve_workers(wanted, spec.base.training.device), max(remaining, 0))

    if on_start is not None:
        start = SearchStart(
            search_id, study_name, storage_name, count_done(optuna_study), total, count
        )
        on_start(start)

    def report(trial: TrialResult) -> None:
        if on_trial is None:
            return
        best = best_trial(results_from_study(optuna_study), spec.search.metric)
        on_trial(SearchProgress(count_done(optuna_study), total, trial, best))

    error: str | None = None
    try:
        if ray is not None and count > 0:
            from workbench.search.ray_workers import run_on_ray

            error = run_on_ray(job, count, stop, report, cpus=ray[0], gpus=ray[1])
        elif count == 1:
            try:
                trial_loop(job, stop, threading.Lock(), report)
            except Exception as failure:  # the storage or store failed: say so, keep results
                error = described(failure)
        elif count > 1:
            error = _run_workers(job, count, stop, report)
    finally:
        done = count_done(optuna_study)
        # "finished" once no trial is left to start here, though other machines may still be
        # training their last ones.
        stopped = stop.is_set() and done < total
        store.finish_search(search_id, "failed" if error else "stopped" if stopped else "finished")
    trials = sort_trials(results_from_study(optuna_study), spec.search.metric)
    return SearchOutcome(
        search_id=search_id,
        study=study_name,
        storage=storage_name,
        done=done,
        total=total,
        stopped=stopped,
        trials=tuple(trials),
        best=best_trial(trials, spec.search.metric),
        error=error,
    )
