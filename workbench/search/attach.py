"""Watching a shared study from any machine: its trials, their curves, how far it has come.

A search shared through a storage (`--storage`, several processes or machines) keeps all of
it in the study: each trial's values, status and best score (user attributes the workers
set) and its learning curve (the per-epoch score each worker reports as Optuna's
intermediate values). So a machine that trains none of it can show it whole:
`workbench search --attach` and the Search tab's "Attach to a shared study…" read it here,
every few seconds, without writing to it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from workbench.i18n import _
from workbench.search.results import TrialResult, results_from_study, sort_trials
from workbench.search.space import SearchError

if TYPE_CHECKING:
    import optuna

    from workbench.search.spec import SearchSpec

# How often a watcher reads the study: a trial of a shared search takes seconds at least.
POLL_S = 2.0


@dataclass(frozen=True)
class StudyState:
    """One reading of a shared study."""

    trials: list[TrialResult]  # best first, each with its learning curve
    done: int  # finished trials that count toward the total
    total: int  # the trials the search plans
    running: int  # trials being trained now, on any machine
    hosts: tuple[str, ...]  # the machines that trained or train its trials

    @property
    def finished(self) -> bool:
        return self.done >= self.total and self.running == 0


def open_shared(storage: str, study_name: str) -> tuple[optuna.Study, SearchSpec]:
    """The study `study_name` in `storage` and the search it holds; SearchError if neither."""
    import optuna

    from workbench.search.spec import spec_from_json
    from workbench.search.study import open_storage

    opened = open_storage(storage)
    try:
        study = optuna.load_study(study_name=study_name, storage=opened)
    except KeyError:
        names = sorted(s.study_name for s in optuna.get_all_study_summaries(opened))
        listed = ", ".join(names) if names else _("none")
        raise SearchError(
            f"--study {study_name}: "
            + _("no such study in {storage} (studies there: {names})").format(
                storage=storage, names=listed
            )
        ) from None
    data = study.user_attrs.get("workbench_spec")
    if not isinstance(data, dict):
        raise SearchError(
            f"--study {study_name}: " + _("not a workbench search (it holds no search file)")
        )
    return study, spec_from_json(data, f"study {study_name}")


def read_study(study: optuna.Study, spec: SearchSpec) -> StudyState:
    """The study now: its trials (with their per-epoch scores), done, running, machines."""
    from workbench.search.study import count_done

    metric = spec.search.metric
    curves = {trial.number: trial.intermediate_values for trial in study.get_trials(deepcopy=False)}
    trials = [
        replace(
            trial,
            history=tuple(
                {"epoch": float(epoch), metric: value}
                for epoch, value in sorted(curves.get(trial.number, {}).items())
            ),
        )
        for trial in results_from_study(study)
    ]
    return StudyState(
        trials=sort_trials(trials, metric),
        done=count_done(study),
        total=spec.planned_trials(),
        running=sum(trial.status == "running" for trial in trials),
        hosts=tuple(sorted({trial.host for trial in trials if trial.host})),
    )


def watch(
    study: optuna.Study,
    spec: SearchSpec,
    on_state: Callable[[StudyState], None],
    stop_token: Any,
    poll_s: float = POLL_S,
) -> StudyState:
    """Read the study every `poll_s` until it has finished or `stop_token` is set.

    `on_state` gets every reading (the first at once). Returns the last one.
    """
    while True:
        state = read_study(study, spec)
        on_state(state)
        if state.finished or stop_token.is_set():
            return state
        deadline = time.monotonic() + poll_s
        while time.monotonic() < deadline and not stop_token.is_set():
            time.sleep(min(0.1, poll_s))
