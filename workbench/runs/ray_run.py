"""One run trained on a Ray cluster and followed from here: `workbench run FILE --ray ADDRESS`.

The run is a Ray task (`num_cpus`/`num_gpus` as asked) that trains with `train_and_record`
exactly as a local run does, without a store; its engine events come back through a Ray
queue as they happen (the CLI's progress lines are printed from them), and this side records
them into the local run store as they arrive, so the run is in the history like any other
(epochs first, then its end, kept weights and evaluation file). The experiment goes with the
task, and a dataset read from a file goes too (the path need not exist on the cluster), unless
the user says its path exists there (`data_there`): then the task reads it, and checks the
experiment against it first, so a path the cluster lacks is one line and records nothing. The
outcome comes back with its weights as safetensors bytes (`workbench.runs.wire`), never as
pickled tensors. The user's Stop (the first Ctrl+C) reaches the task through a second queue
and ends the run `stopped` within a batch; a second Ctrl+C cancels the task. A node that
dies mid-run ends it `failed`, its received epochs kept.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from workbench.config import BUILTIN_SOURCES, Experiment
from workbench.core.events import BatchProgress, Callback, EpochMetrics, RunResult
from workbench.core.probe_types import ProbeSnapshot
from workbench.errors import UserError, first_line
from workbench.i18n import _
from workbench.runs.recorder import RunRecorder
from workbench.runs.session import RunOutcome, count_test_evaluations
from workbench.runs.store import RunStore

POLL_S = 0.05
# The remote stop token asks its queue at most this often: each question is a network call.
STOP_CHECK_S = 0.25
CONNECT_TIMEOUT_S = 5.0


class ClusterError(UserError):
    """The cluster cannot be used: `reason`, one line, about the cluster at `address`.

    Its text is the command line's (`--ray ADDRESS: reason`); the window says it its way.
    """

    def __init__(self, address: str, reason: str) -> None:
        super().__init__(f"--ray {address}: {reason}")
        self.address, self.reason = address, reason


class DataThereError(UserError):
    """The experiment cannot train on the cluster's own copy of its data; one line from there."""


@dataclass(frozen=True)
class RayCluster:
    """Where the window's runs train when not on this computer, and what each asks for."""

    address: str
    cpus: float = 1
    gpus: float = 0
    data_there: bool = False  # the data file's path exists on the cluster: read it there


# The address this process has joined (connect): a run for another one leaves it first.
_joined: str | None = None


def address_problem(address: str) -> str | None:
    """Why `address` is no cluster address (one line), or None when it has the right form."""
    if address in ("auto", "local"):
        return None
    if not address.strip():
        return _("give the cluster's address: HOST:PORT, ray://HOST:10001, auto or local")
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        port = parts.port
    except ValueError:
        return _("the port must be a number from 0 to 65535")
    if parts.scheme not in ("tcp", "ray") or not parts.hostname:
        return _("write HOST:PORT or ray://HOST:PORT")
    if port is None and parts.scheme == "tcp":
        return _("write the port after the host: HOST:PORT (a head listens on 6379)")
    return None


def connect(address: str) -> None:
    """Join the cluster at `address`; ClusterError, quickly, when it cannot be reached.

    `address`: `auto`, `HOST:PORT`, `ray://HOST:PORT`, or `local` to start one here. Joined
    already: nothing to do; joined to another address: that one is left first.
    """
    global _joined
    problem = address_problem(address)
    if problem is not None:
        raise ClusterError(address, problem)
    if address != "auto" and address != "local":
        _check_reachable(address)  # first: importing Ray alone takes seconds
    try:
        import ray
    except ImportError:
        raise ClusterError(
            address, _("Ray is not installed: pip install 'workbench[cluster]'")
        ) from None
    if ray.is_initialized():
        if _joined in (None, address):
            return
        ray.shutdown()
    try:
        # Ray's own INFO lines would mix with the run's progress lines.
        if address == "local":
            ray.init(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
        else:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
    except Exception as error:  # refused, wrong version, missing ray[client]...
        raise ClusterError(
            address, _("cannot join the cluster: {error}").format(error=first_line(error))
        ) from None
    _joined = address


def _check_reachable(address: str) -> None:
    # Ray itself waits for an absent head for a minute or more, and may then abort the
    # process; a plain connect says at once whether anything listens there.
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    host, port = parts.hostname, parts.port or (10001 if parts.scheme == "ray" else 6379)
    try:
        with socket.create_connection((host or "127.0.0.1", port), timeout=CONNECT_TIMEOUT_S):
            pass
    except OSError as error:
        raise ClusterError(
            address, _("cannot reach the cluster: {error}").format(error=error.strerror or error)
        ) from None


class QueueStop:
    """The run's stop token on the cluster: set once the local side has put "stop"."""

    def __init__(self, control: Any) -> None:
        self._control, self._set, self._asked = control, False, 0.0

    def is_set(self) -> bool:
        now = time.monotonic()
        if not self._set and now - self._asked >= STOP_CHECK_S:
            self._asked = now
            self._set = not self._control.empty()
        return self._set


def _train_remotely(
    experiment: Experiment,
    evaluate_test: bool,
    dataset: Any,
    events: Any,
    control: Any,
    threads: int,
    language: str,
    live_boundary: bool = False,
) -> Any:
    """The Ray task: train, sending each event back; returns the outcome's wire form."""
    import torch

    from workbench.core.boundary import BoundaryCallback
    from workbench.data.sources import provide
    from workbench.i18n import set_language
    from workbench.runs.process_child import SendEvents
    from workbench.runs.session import train_and_record
    from workbench.runs.training_process import BoundaryDrawn, Diagnosed
    from workbench.runs.wire import outcome_to_wire

    torch.set_num_threads(max(1, threads))
    set_language(language)
    if dataset is not None:
        provide(experiment.data, dataset)
    elif experiment.data.source not in BUILTIN_SOURCES:  # read here: checked here, first
        from workbench.config import ExperimentError
        from workbench.core.checks import check_runnable

        try:
            check_runnable(experiment)
        except ExperimentError as error:
            return DataThereError(first_line(error))  # returned, not raised: no traceback

    def send(value: Any) -> None:
        events.put(value)

    callbacks: list[Callback] = [SendEvents(send)]
    if live_boundary:  # the window's decision-boundary view, drawn from here
        callbacks.append(
            BoundaryCallback(
                lambda grid: send(BoundaryDrawn("grid", grid)),
                lambda points: send(BoundaryDrawn("points", points)),
            )
        )
    outcome = train_and_record(
        experiment,
        None,
        callbacks,
        QueueStop(control),
        evaluate_test=evaluate_test,
        on_snapshot=send,
        on_diagnoses=lambda items: send(Diagnosed(tuple(items))),
    )
    return outcome_to_wire(outcome)


class StreamedRecord:
    """Records a run trained elsewhere from its events, as `train_and_record` would here."""

    def __init__(self, store: RunStore | None, experiment: Experiment) -> None:
        self.store, self.experiment = store, experiment
        self._recorder: RunRecorder | None = None

    @property
    def recorder(self) -> RunRecorder | None:
        """The run's record, made as its first event or its end arrives.

        Not before the task has started: a run refused on the cluster leaves nothing behind.
        """
        if self._recorder is None and self.store is not None:
            self._recorder = RunRecorder(self.store, self.experiment)
        return self._recorder

    def on_event(self, event: Any) -> None:
        if self.recorder is None:
            return
        if isinstance(event, EpochMetrics):
            self.recorder.on_epoch_end(event)
        elif isinstance(event, ProbeSnapshot):
            self.recorder.add_probe(event)

    def finish(self, outcome: RunOutcome) -> RunOutcome:
        """Record the run's end (kept weights, evaluation file); the outcome with its id."""
        recorder, store, result = self.recorder, self.store, outcome.result
        if recorder is None or store is None:
            return outcome
        recorder.finish(result, outcome.boundary)
        count = count_test_evaluations(store, recorder.run_id, result)
        return replace(
            outcome, run_id=recorder.run_id, record_error=recorder.error, test_evaluations=count
        )


def train_on_ray(
    experiment: Experiment,
    store: RunStore | None,
    callbacks: Sequence[Callback] = (),
    stop_token: Any = None,
    *,
    evaluate_test: bool = True,
    cpus: float = 1,
    gpus: float = 0,
    on_event: Callable[[Any], None] | None = None,
    live_boundary: bool = False,
    data_there: bool = False,
) -> RunOutcome:
    """Train `experiment` as a task of the cluster joined by `connect`, recorded here.

    `callbacks` get the epoch and batch events here, as they arrive; `on_event` gets every
    event (also probe snapshots, diagnoses, and with `live_boundary` the decision boundary's
    grids), after it is recorded. KeyboardInterrupt cancels the task and is raised again.
    `data_there`: the data file's path exists on the cluster; the task reads it there, and
    DataThereError (nothing recorded) says why the experiment cannot train on it.
    """
    import ray
    from ray.util.queue import Empty, Queue

    from workbench.data.sources import load_source
    from workbench.i18n import language
    from workbench.runs.wire import outcome_from_wire

    dataset = None
    if experiment.data.source not in BUILTIN_SOURCES and not data_there:
        dataset = load_source(experiment.data)  # goes with the task: no shared disk needed
    events, control = Queue(), Queue()
    record = StreamedRecord(store, experiment)
    history: list[EpochMetrics] = []

    def deliver() -> None:
        while True:
            try:
                event = events.get_nowait()
            except Empty:
                return
            record.on_event(event)
            if isinstance(event, EpochMetrics):
                history.append(event)
                for callback in callbacks:
                    callback.on_epoch_end(event)
            elif isinstance(event, BatchProgress):
                for callback in callbacks:
                    callback.on_batch_end(event)
            if on_event is not None:
                on_event(event)

    task = ray.remote(num_cpus=cpus, num_gpus=gpus, max_retries=0)(_train_remotely)
    threads = max(1, int(cpus))
    ref = task.remote(
        experiment, evaluate_test, dataset, events, control, threads, language(), live_boundary
    )
    stop_sent = False
    try:
        while True:
            if stop_token is not None and stop_token.is_set() and not stop_sent:
                control.put("stop")
                stop_sent = True
            ready, _pending = ray.wait([ref], timeout=POLL_S)
            deliver()
            if ready:
                break
        try:
            wire = ray.get(ref)
            if isinstance(wire, DataThereError):
                raise wire
            outcome = outcome_from_wire(wire)
        except DataThereError:
            raise
        except Exception as error:  # the task's node or worker died, or the task raised
            deliver()
            message = _("the run on the cluster ended: {error}").format(error=first_line(error))
            failed = RunResult.failed(experiment.training.device, history, message)
            outcome = RunOutcome(failed, None, None, None)
        deliver()  # every put happened before the task returned
    except KeyboardInterrupt:
        ray.cancel(ref, force=True)
        raise
    finally:
        for queue in (events, control):
            queue.shutdown(force=True)
    return record.finish(outcome)
