"""One background job for the window: a function run on its own QThread, heard of by signals.

Training, the search, reading a dataset, predicting, the test-set evaluation and the
start-up imports all run this way. The pattern is superqt's `WorkerBase` (napari's
`thread_worker`), written small: a parentless worker QObject moved to a QThread,
`started -> run`, and Python references kept to both. The function gets a `JobState`, plain
Python, through which it reports progress and notices a cancel (a `threading.Event`, never a
queued slot: the worker's event loop is busy inside the function).

Signals, all received on the window's thread, in this order:

- `progress(object)`: whatever the function passed to `state.report` (any number of times);
- then exactly one of `succeeded(object)` (the return value), `errored(str)` (one line) or
  `aborted()` (the function gave up on a cancel by raising `JobCancelled`);
- then `finished()`. The thread has been joined before any of the last three is emitted:
  "finished" means nothing is left running.

`stop_all_jobs()` is the one place that stops and joins every running job (the window
closing): a QThread destroyed while running aborts the process.

Qt objects must die on the window's thread (see `workbench.ui.gc_policy`): the function and
its results are released on the window's thread once the job's thread has been joined, and
the worker touches no Qt object but its own signals.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from workbench.errors import UserError, described, first_line

logger = logging.getLogger(__name__)

# Jobs started and not yet finished, strongly held: a running job is never collected.
_RUNNING: set[Job] = set()


class JobCancelled(Exception):  # noqa: N818 - named like the event, as asyncio's CancelledError
    """Raised in a job's function to give up after a cancel (see `JobState`)."""


class JobState:
    """What a job's function sees of its job: report progress, notice a cancel.

    Plain Python (no Qt): engine code may be handed `state.report` or `state.stop_token`.
    """

    def __init__(self, emit: Callable[[Any], None]) -> None:
        self._emit = emit
        self.stop_token = threading.Event()  # set by `Job.cancel`; `fit` takes it as is
        self._last_percent: int | None = None
        self._last_time = 0.0

    @property
    def cancelled(self) -> bool:
        return self.stop_token.is_set()

    def raise_if_cancelled(self) -> None:
        """Give up (raise `JobCancelled`) if the job was cancelled."""
        if self.stop_token.is_set():
            raise JobCancelled

    def report(self, value: Any) -> None:
        """Send `value` to the window as `progress(value)`, unthrottled (engine events)."""
        self._emit(value)

    def report_fraction(self, fraction: float) -> None:
        """Report a fraction done (0 to 1), throttled like Orange's progress.

        Sent only when the whole percent changes, and at most ~20 times a second: an importer
        may call this for every image of a folder. Gives up if the job was cancelled.
        """
        self.raise_if_cancelled()
        percent = max(0, min(100, int(fraction * 100)))
        now = time.monotonic()
        if percent == self._last_percent or (percent < 100 and now - self._last_time < 0.05):
            return
        self._last_percent, self._last_time = percent, now
        self._emit(percent / 100)


class _Worker(QObject):
    """Runs the function in the job's thread; everything it says goes through `done`."""

    progress = Signal(object)
    done = Signal(str, object)  # ("succeeded" | "errored" | "aborted", the result or message)

    def __init__(
        self,
        function: Callable[[JobState], Any],
        expected: tuple[type[BaseException], ...],
        setup: Callable[[], None] | None,
    ) -> None:
        super().__init__()
        self.function: Callable[[JobState], Any] | None = function
        self.state = JobState(self.progress.emit)
        self._expected = expected
        self._setup = setup

    @Slot()
    def run(self) -> None:
        assert self.function is not None
        try:
            if self._setup is not None:
                self._setup()
            kind, payload = "succeeded", self.function(self.state)
        except JobCancelled:
            kind, payload = "aborted", None
        except (UserError, *self._expected) as error:  # bad input: the message is the user's
            kind, payload = "errored", first_line(error)
        except Exception as error:  # a bug: say what, keep the window alive
            logger.exception("background job failed")
            kind, payload = "errored", described(error)
        # Nothing else of Qt is touched here: a Qt object (even a Python wrapper of one) made
        # or let go in this thread could take a Qt lock while the window's thread waits for
        # the GIL holding it (see `workbench.ui.gc_policy`).
        self.done.emit(kind, payload)


class Job(QObject):
    """`function(state)` on its own QThread; see the module's docstring for the signals.

    Args:
        function: Takes the job's `JobState`; its return value is `succeeded`'s payload.
        expected: Exceptions whose message is meant for the user, sent as it is; any other
            is logged with its traceback and sent as "TypeName: first line".
        name: The thread's name (seen in debuggers and thread listings).
        setup: Called first in the job's thread (per-thread settings such as torch's
            thread count); what it raises is reported like the function's errors.
        shutdown_wait_ms: How long `stop_all_jobs` waits for this job to end.
        parent: The QObject that owns the job.
    """

    progress = Signal(object)
    succeeded = Signal(object)
    errored = Signal(str)
    aborted = Signal()
    finished = Signal()

    def __init__(
        self,
        function: Callable[[JobState], Any],
        *,
        expected: tuple[type[BaseException], ...] = (),
        name: str = "backgroundJob",
        setup: Callable[[], None] | None = None,
        shutdown_wait_ms: int = 30_000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.shutdown_wait_ms = shutdown_wait_ms
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._worker = _Worker(function, expected, setup)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        self._worker.done.connect(self._on_done)
        self._done = False

    @classmethod
    def calling(cls, function: Callable[[], Any], **options: Any) -> Job:
        """A job for a function that neither reports progress nor can be cancelled."""
        return cls(_Call(function), **options)

    @property
    def thread(self) -> QThread:
        return self._thread

    @property
    def stop_token(self) -> threading.Event:
        """Set by `cancel`: hand it to code that checks it (the engine, the search)."""
        return self._worker.state.stop_token

    def start(self) -> None:
        _RUNNING.add(self)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the function to give up; it does at its next `state.report` or check."""
        self._worker.state.stop_token.set()

    @property
    def cancelled(self) -> bool:
        return self._worker.state.cancelled

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def is_done(self) -> bool:
        """Whether the job has ended and said how (its last signals have been emitted)."""
        return self._done

    def wait(self, timeout_ms: int | None = None) -> bool:
        """Join the thread (window closing); False if it is still running after the wait."""
        self._thread.quit()
        return self._thread.wait(self.shutdown_wait_ms if timeout_ms is None else timeout_ms)

    @Slot(str, object)
    def _on_done(self, kind: str, payload: Any) -> None:
        # Join the thread before telling anyone, so "finished" means nothing is left running.
        self._thread.quit()
        self._thread.wait()
        _RUNNING.discard(self)
        self._done = True
        # Released here, on the window's thread: whatever the function holds dies here.
        self._worker.function = None
        if kind == "succeeded":
            self.succeeded.emit(payload)
        elif kind == "errored":
            self.errored.emit(payload)
        else:
            self.aborted.emit()
        self.finished.emit()


class _Call:
    """`function()` as a job's function: the state is not needed."""

    def __init__(self, function: Callable[[], Any]) -> None:
        self._function = function

    def __call__(self, state: JobState) -> Any:
        return self._function()


def running_jobs() -> list[Job]:
    """The jobs started and not yet finished."""
    return list(_RUNNING)


def stop_all_jobs() -> bool:
    """Cancel every running job and join its thread (the window closing).

    Every job is asked first, so they wind down together; then each is waited for, up to
    its `shutdown_wait_ms`. False if one was still running after its wait.
    """
    jobs = running_jobs()
    for job in jobs:
        job.cancel()
    joined = True
    for job in jobs:
        try:
            joined = job.wait() and joined
        except RuntimeError:  # its owner deleted it, and its thread with it: nothing runs
            _RUNNING.discard(job)
    return joined
