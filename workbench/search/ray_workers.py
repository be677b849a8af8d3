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

A task whose worker or node dies leaves its trial `running` in the study, and no later search
could tell it from a trial still training on a machine far away. So each task marks its
trials with its own tag, and when Ray reports the task dead this process fails them and
queues their values again; the other tasks go on and train them.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable
from typing import Any

from workbench.errors import described, first_line
from workbench.i18n import _

POLL_S = 0.05


TAG_ATTR = "ray_task"  # the user attribute naming the task that trains a trial


def _ray_worker(job: Any, events: Any, control: Any, threads: int, tag: str) -> None:
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
            marks={TAG_ATTR: tag},
        )
    except Exception as error:  # the storage or the store failed: say so, then stop
        events.put(("error", f"Ray worker {os.getpid()}: {described(error)}"))


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
    run_tag = uuid.uuid4().hex[:8]
    tags = {}
    for index in range(workers):
        tag = f"{run_tag}-{index}"
        tags[task.remote(job, events, control, int(cpus), tag)] = tag
    pending = list(tags)
    lost: list[str] = []  # why each task that died ended
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
                    lost.append(first_line(failure))
                    for result in fail_trials_of(job, tags[ref], lost[-1]):
                        on_trial(result)
        deliver()
        if lost and len(lost) == workers and error is None:
            error = _("every Ray worker ended: {reason}").format(reason=lost[0])
    except KeyboardInterrupt:
        for ref in pending:
            ray.cancel(ref, force=True)
        raise
    finally:
        for channel in (events, control):
            channel.shutdown(force=True)
    return error


def fail_trials_of(job: Any, tag: str, reason: str) -> list[Any]:
    """Fail the trials a dead task left running, queue their values again, and return them."""
    from optuna.trial import TrialState

    from workbench.search.results import results_from_study
    from workbench.search.study import fail_and_queue_again, open_storage, open_study

    storage = open_storage(job.storage)
    study = open_study(job.spec, storage, job.study)
    study_id = storage.get_study_id_from_name(job.study)
    orphans = [
        trial
        for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))
        if trial.user_attrs.get(TAG_ATTR) == tag
    ]
    for trial in orphans:
        # The storage's own call: the trial object that could set it died with the task.
        trial_id = storage.get_trial_id_from_study_id_trial_number(study_id, trial.number)
        # English, as the study's other records are: every machine reads them.
        storage.set_trial_user_attr(trial_id, "error", f"its Ray worker ended: {reason}")
        fail_and_queue_again(study, trial)
    numbers = {trial.number for trial in orphans}
    return [result for result in results_from_study(study) if result.number in numbers]
