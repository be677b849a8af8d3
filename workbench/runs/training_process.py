"""A second Python process that trains runs, its events sent back as they happen.

Why a process: beside the window, a run trained on a thread shares the interpreter lock with
the window's painting, and on a small model (the 8x8 digits) every second the window's
thread spends in Python is about a second more of training (issue 21's figures). A process
has an interpreter of its own. The thread stays the window's default; this is the option
behind the same controller, and the shape a run on another machine takes (the same events,
the same outcome).

`TrainingProcess` is the parent's handle: `start()` spawns the process (it imports torch
and the engine at once, so the first run does not wait for them), `train(...)` sends one run
and returns its `RunOutcome`, calling `on_event` with each engine event on the way, and
`close()` ends it. Runs are trained one at a time, recorded by the child into the same run
store folder the parent reads. Weights travel as safetensors bytes (`workbench.runs.wire`).
A child that dies mid-run (killed, out of memory) ends `train` with `TrainingProcessDied`.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.config import Experiment
from workbench.i18n import _

# How often the parent looks at its stop token and the child's health while waiting.
POLL_S = 0.05


class TrainingProcessDied(RuntimeError):
    """The training process ended while a run was in it."""


@dataclass(frozen=True)
class RunRequest:
    """One run for the child: what to train, where to record it, with how many threads."""

    experiment: Experiment
    store_folder: Path | None
    evaluate_test: bool
    threads: int
    live_boundary: bool  # send the decision boundary's grids as the run goes (2-D data)
    # The engine's language (workbench.i18n) in the parent: the run doctor's findings and the
    # run's messages come back in it.
    language: str = "en"


@dataclass(frozen=True)
class Diagnosed:
    """The run doctor's list after an epoch, as one event."""

    items: tuple[Any, ...]


@dataclass(frozen=True)
class BoundaryDrawn:
    """A decision-boundary grid, or the points drawn under it, as one event."""

    what: str  # "grid" or "points"
    value: Any


class TrainingProcess:
    """The parent's handle on one training process.

    Spawned, never forked: the window runs Qt threads, and a fork copies none of them but
    all of their locks.
    """

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._requests: Any = context.Queue()
        self._events: Any = context.Queue()
        self._stop: Any = context.Event()
        from workbench.runs.process_child import serve_then_exit

        self._process = context.Process(
            target=serve_then_exit,
            args=(self._requests, self._events, self._stop),
            name="workbench-training",
            daemon=True,  # never outlives the window, whatever ends it
        )
        self._ready = False  # the child said its imports are done

    def start(self) -> None:
        if self._process.pid is None:
            self._process.start()

    def is_alive(self) -> bool:
        return self._process.is_alive()

    def wait_ready(self, timeout_s: float = 60.0) -> bool:
        """Wait (idle only) until the process has imported torch and the engine."""
        self.start()
        deadline = time.monotonic() + timeout_s
        while not self._ready and time.monotonic() < deadline and self._process.is_alive():
            try:
                kind, _payload = self._events.get(timeout=POLL_S)
            except queue.Empty:
                continue
            self._ready = self._ready or kind == "ready"
        return self._ready

    def train(
        self,
        request: RunRequest,
        on_event: Callable[[Any], None],
        stop_token: Any,
    ) -> Any:
        """Train `request` in the process and return its `RunOutcome`.

        `on_event` gets each event (EpochMetrics, BatchProgress, ProbeSnapshot, Diagnosed,
        BoundaryDrawn) in this thread. Setting `stop_token` stops the run before its next
        batch, as in a thread. Raises TrainingProcessDied, or RuntimeError with the child's
        one-line message when the run could not be trained at all.
        """
        from workbench.runs.wire import outcome_from_wire

        self.start()
        self._stop.clear()
        self._requests.put(request)
        while True:
            if stop_token.is_set():
                self._stop.set()
            try:
                kind, payload = self._events.get(timeout=POLL_S)
            except queue.Empty:
                if not self._process.is_alive():
                    raise TrainingProcessDied(
                        _("the training process ended (exit code {code}) during the run").format(
                            code=self._process.exitcode
                        )
                    ) from None
                continue
            if kind == "ready":
                self._ready = True
            elif kind == "event":
                on_event(payload)
            elif kind == "outcome":
                return outcome_from_wire(payload)
            else:  # "error"
                raise RuntimeError(payload)

    def close(self, timeout_s: float = 5.0) -> None:
        """Ask the process to end after its run, and make sure it has."""
        if self._process.pid is None:
            return
        self._stop.set()
        self._requests.put(None)
        self._process.join(timeout_s)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout_s)
        # Queues have feeder threads of their own: they must not hold the parent at exit.
        for channel in (self._requests, self._events):
            channel.close()
            channel.cancel_join_thread()
