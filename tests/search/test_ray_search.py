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
