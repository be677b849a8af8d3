"""A search whose trials are Ray tasks (`workbench search FILE --ray`), on a local
Ray instance: the 4 trials are trained by 2 tasks, each recorded, none twice."""

import threading
import time

import optuna
import pytest
from optuna.trial import TrialState

from tests.search.conftest import LR_SPACE, make_spec
from workbench.search import run_search
from workbench.search.study import open_storage

pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[cluster]')")
pytestmark = pytest.mark.ray


def test_a_four_trial_search_runs_as_ray_tasks(ray_cluster, store, tmp_path):
    storage = str(tmp_path / "shared.journal")
    spec = make_spec(LR_SPACE, trials=4, epochs=2)
    seen = []
    outcome = run_search(
        spec,
        store,
        storage=storage,
        study="on-ray",
        workers=2,
        on_trial=lambda progress: seen.append(progress.trial.number),
        ray=(1, 0),
        stop_token=threading.Event(),
    )
    assert outcome.error is None and not outcome.stopped
    complete = [
        t
        for t in optuna.load_study(study_name="on-ray", storage=open_storage(storage)).get_trials()
        if t.state == TrialState.COMPLETE
    ]
    # Ray tasks share no lock between counting and asking: like machines, they may overshoot.
    assert 4 <= len(complete) <= 5 and len({t.number for t in complete}) == len(complete)
    assert sorted(seen) == sorted(t.number for t in complete)
    assert len({t.user_attrs["pid"] for t in complete}) == 2  # two tasks trained
    runs = store.search_runs(outcome.search_id)
    assert len(runs) == len(complete) and {r.status for r in runs} == {"completed"}


def test_an_interrupt_cancels_the_search_tasks_on_the_cluster(ray_cluster, store, tmp_path):
    import ray

    cpus = ray.cluster_resources()["CPU"]

    def interrupt(progress):  # Ctrl+C reaches the main thread as a trial is shown
        raise KeyboardInterrupt

    spec = make_spec(LR_SPACE, trials=40, epochs=30)
    with pytest.raises(KeyboardInterrupt):
        run_search(
            spec,
            store,
            storage=str(tmp_path / "shared.journal"),
            study="interrupted",
            workers=2,
            on_trial=interrupt,
            ray=(1, 0),
            stop_token=threading.Event(),
        )
    # This process is still the driver: the tasks ended because they were cancelled (their
    # queues closed too), not because their driver left.
    deadline = time.monotonic() + 15
    while ray.available_resources().get("CPU", 0) < cpus and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ray.available_resources().get("CPU", 0) == cpus


def test_a_task_dying_under_a_search_fails_its_trial_and_the_other_task_trains_it_again(
    ray_cluster, store, tmp_path
):
    """A Ray worker killed mid-trial (as when its node dies): its trial is failed and its
    values queued again at once, not left `running`; the other task finishes the search."""
    import os
    import signal

    storage = str(tmp_path / "shared.journal")
    killed: list[int] = []

    def kill_the_first_running_trial():
        study = None
        deadline = time.monotonic() + 60
        while not killed and time.monotonic() < deadline:
            time.sleep(0.05)
            try:
                study = study or optuna.load_study(
                    study_name="dying", storage=open_storage(storage)
                )
                running = study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))
            except Exception:  # the study is not created yet
                continue
            for trial in running:
                if "pid" in trial.user_attrs and trial.number == 0:  # set after the tag
                    os.kill(trial.user_attrs["pid"], signal.SIGKILL)
                    killed.append(trial.number)
                    return

    killer = threading.Thread(target=kill_the_first_running_trial, daemon=True)
    killer.start()
    seen = []
    spec = make_spec(LR_SPACE, trials=4, epochs=6)
    outcome = run_search(
        spec,
        store,
        storage=storage,
        study="dying",
        workers=2,
        on_trial=lambda progress: seen.append(progress.trial),
        ray=(1, 0),
        stop_token=threading.Event(),
    )
    killer.join(timeout=5)
    assert killed == [0]
    assert outcome.error is None and outcome.finished

    trials = optuna.load_study(study_name="dying", storage=open_storage(storage)).get_trials()
    dead = trials[0]
    assert dead.state == TrialState.FAIL
    assert dead.user_attrs["error"].startswith("its Ray worker ended: ")
    again = [t for t in trials if t.user_attrs.get("retry_of") == 0]
    assert len(again) == 1 and again[0].state == TrialState.COMPLETE
    assert again[0].params == dead.params
    assert not [t for t in trials if t.state == TrialState.RUNNING]
    assert 4 <= sum(t.state == TrialState.COMPLETE for t in trials) <= 5
    shown = {trial.number: trial for trial in seen}
    assert shown[0].status == "interrupted" and shown[0].error == dead.user_attrs["error"]
