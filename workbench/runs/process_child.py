"""The training process's side of `workbench.runs.training_process`: serve runs until told.

Runs in the spawned child only. Each request is trained and recorded with
`train_and_record`, exactly as in the window's thread; every engine event goes back to the
parent as `("event", value)`, then the run's outcome as `("outcome", wire form)`, or
`("error", one line)` when the run could not be trained at all. `("ready", None)` comes
first, once the imports are done.
"""

from __future__ import annotations

import os
from typing import Any

from workbench.core.events import BatchProgress, Callback, EpochMetrics


class SendEvents(Callback):
    """Puts the engine's epoch and batch events on the parent's queue."""

    def __init__(self, send: Any) -> None:
        self._send = send

    def on_epoch_end(self, metrics: EpochMetrics) -> None:
        self._send(metrics)

    def on_batch_end(self, progress: BatchProgress) -> None:
        self._send(progress)


def serve_then_exit(requests: Any, events: Any, stop: Any) -> None:
    """The process's target: `serve`, then exit at once once every event has gone out.

    Python's own teardown with torch loaded takes 0.7 - 2 s, and the window that closes waits
    for this process; everything of a run is written before its outcome is sent.
    """
    serve(requests, events, stop)
    events.close()
    events.join_thread()  # the feeder thread has written every event to the pipe
    os._exit(0)


def serve(requests: Any, events: Any, stop: Any) -> None:
    """Train the requests on `requests` one by one until it yields None."""
    # Imported now, before the first request: a run sent later does not wait for torch.
    import torch

    from workbench.core.boundary import BoundaryCallback
    from workbench.errors import first_line
    from workbench.i18n import set_language
    from workbench.runs.session import train_and_record
    from workbench.runs.store import RunStore
    from workbench.runs.training_process import BoundaryDrawn, Diagnosed, RunRequest
    from workbench.runs.wire import outcome_to_wire

    def send(value: Any) -> None:
        events.put(("event", value))

    events.put(("ready", None))

    stores: dict[Any, RunStore] = {}
    while True:
        request: RunRequest | None = requests.get()
        if request is None:
            return
        try:
            torch.set_num_threads(request.threads)
            set_language(request.language)
            store = None
            if request.store_folder is not None:
                if request.store_folder not in stores:
                    stores[request.store_folder] = RunStore(request.store_folder)
                store = stores[request.store_folder]
            callbacks: list[Callback] = [SendEvents(send)]
            if request.live_boundary:
                callbacks.append(
                    BoundaryCallback(
                        lambda grid: send(BoundaryDrawn("grid", grid)),
                        lambda points: send(BoundaryDrawn("points", points)),
                    )
                )
            outcome = train_and_record(
                request.experiment,
                store,
                callbacks,
                stop,
                evaluate_test=request.evaluate_test,
                on_snapshot=send,
                on_diagnoses=lambda items: send(Diagnosed(tuple(items))),
            )
        except Exception as error:  # noqa: BLE001 - the parent shows it; the process serves on
            events.put(("error", first_line(error)))
            continue
        events.put(("outcome", outcome_to_wire(outcome)))
