"""A search's workers as Ray tasks: `workbench search FILE --ray ADDRESS`.

Each worker is one Ray task asking for `cpus` CPUs and `gpus` GPUs; it runs the same loop as
a local worker process (`runner.trial_loop`): it opens the study in the search's storage, asks
it for trials and trains them, recording each in the run store of the node it runs on. So
the storage must be one the cluster reaches: a database URL, or a journal file on a disk
every node shares (the default journal in this machine's data folder works for a Ray
instance on this machine only). Finished trials come back through a Ray queue as they end;
Stop reaches the tasks through a second queue and ends their trials within a batch.

Unlike the processes of one machine, Ray workers share no lock between counting and asking:
like workers on separate machines, they may overshoot the total by a trial or two.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import Any

from workbench.errors import first_line

POLL_S = 0.05


def _ray_worker(job: Any, events: Any, control: Any, threads: int) -> None:
    """The Ray task: train trials until the study has its total, or until told to stop."""
    import torch

    from workbench.runs.ray_run import QueueStop
    from workbench.search.runner import trial_loop

    torch.set_num_threads(max(1, threads))
    try:
        trial_loop(
            job,
            QueueStop(control),
            contextlib.nullcontext(),
            lambda result: events.put(("trial", result)),
        )
    except Exception as error:  # the storage or the store failed: say so, then stop
        events.put(("error", f"Ray worker {os.getpid()}: {type(error).__name__}: "
                    f"{first_line(error)}"))  # fmt: skip


def run_on_ray(
    job: Any,
    workers: int,
    stop: Any,
    on_trial: Callable[[Any], None],
    *,
    cpus: float = 1,
    gpus: float = 0,
) -> str | None:
    """Train with `workers` Ray tasks until done or `stop` is set; returns an error, if any.

    KeyboardInterrupt cancels the tasks and is raised again.
    """
    import ray
    from ray.util.queue import Empty, Queue

    events, control = Queue(), Queue()
    task = ray.remote(num_cpus=cpus, num_gpus=gpus, max_retries=0)(_ray_worker)
    pending = [task.remote(job, events, control, int(cpus)) for _ in range(workers)]
    error: str | None = None
    stop_sent = False

    def deliver() -> None:
        nonlocal error
        while True:
            try:
                kind, payload = events.get_nowait()
            except Empty:
                return
            if kind == "trial":
                on_trial(payload)
            elif error is None:
                error = payload
                control.put("stop")  # the others would fail the same way

    try:
        while pending:
            if stop.is_set() and not stop_sent:
                control.put("stop")
                stop_sent = True
            ready, pending = ray.wait(pending, num_returns=1, timeout=POLL_S)
            deliver()
            for ref in ready:
                try:
                    ray.get(ref)
                except Exception as failure:  # the task's worker or node died
                    if error is None:
                        error = f"a Ray worker ended: {first_line(failure)}"
        deliver()
    except KeyboardInterrupt:
        for ref in pending:
            ray.cancel(ref, force=True)
        raise
    finally:
        for channel in (events, control):
            channel.shutdown(force=True)
    return error
