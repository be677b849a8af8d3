"""Running searches: recording trials, failures, pruning, stopping, resuming, sharing a study."""

import itertools
import json
import multiprocessing
import subprocess
import sys
import threading

import optuna
import pytest
from optuna.distributions import FloatDistribution
from optuna.trial import TrialState

from tests.conftest import script_validation, small_experiment
from tests.search.conftest import LR_SPACE, make_spec
from workbench.core import engine as engine_module
from workbench.runs.store import RunStore
from workbench.search import narrow, results_from_store, run_search
from workbench.search import runner as runner_module
from workbench.search.study import HOST, open_storage


def study_trials(outcome):
    storage = open_storage(outcome.storage)
    return optuna.load_study(study_name=outcome.study, storage=storage).get_trials()


def test_trials_are_runs_of_the_search_in_the_store(store):
    spec = make_spec(LR_SPACE, trials=3)
    seen = []
    outcome = run_search(spec, store, on_trial=seen.append)
    assert outcome.error is None and outcome.finished and not outcome.stopped
    assert (outcome.done, outcome.total) == (3, 3)
    assert [p.done for p in seen] == [1, 2, 3] and {p.total for p in seen} == {3}
    runs = store.search_runs(outcome.search_id)
    assert [run.trial for run in runs] == [0, 1, 2]
    assert all(run.status == "completed" and run.epochs_run == 2 for run in runs)
    assert all(run.config["data"]["train_limit"] == 200 for run in runs)
    # Each run's config holds its trial's values, and its history gives the best value.
    by_number = {t.number: t for t in outcome.trials}
    for run in runs:
        trial = by_number[run.trial]
        assert run.config["optimizer"]["lr"] == trial.values["optimizer.lr"]
        assert trial.run_id == run.id
        assert trial.best_value == max(epoch["val_accuracy"] for epoch in run.history)
    # The best trial is the best of the finished ones, and the table is sorted best first.
    values = [t.best_value for t in outcome.trials]
    assert values == sorted(values, reverse=True)
    assert outcome.best == outcome.trials[0]
    search = store.get_search(outcome.search_id)
    assert search.status == "finished" and search.trials_recorded == 3
    assert search.study == outcome.study and search.spec["search"]["trials"] == 3
    # Trials are listed with the other runs unless left out.
    assert len(store.list_runs()) == 3 and store.list_runs(include_trials=False) == []


def test_the_store_gives_the_same_table_as_the_study(store):
    spec = make_spec(LR_SPACE, trials=3, metric="val_loss")
    outcome = run_search(spec, store)
    from_store = {t.number: t for t in results_from_store(store, outcome.search_id, spec)}
    for trial in outcome.trials:
        stored = from_store[trial.number]
        assert stored.values == trial.values and stored.status == trial.status
        assert stored.best_value == pytest.approx(trial.best_value)
        assert stored.best_epoch == trial.best_epoch
        assert len(stored.history) == 2  # the learning curve, for the best-N plot
    # val_loss: lower is better.
    assert [t.best_value for t in outcome.trials] == sorted(t.best_value for t in outcome.trials)


def test_a_diverging_trial_is_recorded_and_the_search_goes_on(store):
    # Plain SGD at a learning rate of 100 overflows to NaN in epoch 3. A grid tries each once.
    sgd = small_experiment(optimizer={"name": "sgd"}, data={"train_limit": 200})
    space = {"optimizer.lr": {"choice": [100.0, 0.01]}}
    spec = make_spec(space, strategy="grid", epochs=3, experiment=sgd)
    outcome = run_search(spec, store)
    assert outcome.error is None and outcome.done == 2
    status = {t.values["optimizer.lr"]: t.status for t in outcome.trials}
    assert status == {100.0: "diverged", 0.01: "completed"}
    states = {t.params["optimizer.lr"]: t.state for t in study_trials(outcome)}
    assert states == {100.0: TrialState.FAIL, 0.01: TrialState.COMPLETE}
    assert outcome.best.values == {"optimizer.lr": 0.01}  # a diverged trial never wins
    assert sorted(run.status for run in store.search_runs(outcome.search_id)) == [
        "completed",
        "diverged",
    ]


def test_a_failing_trial_is_recorded_with_its_error_and_the_search_goes_on(store, monkeypatch):
    real_build = engine_module.build_model

    def build(config, *args, **kwargs):
        if config.layers[0].units == 16:
            raise RuntimeError("out of memory (simulated)")
        return real_build(config, *args, **kwargs)

    monkeypatch.setattr(engine_module, "build_model", build)
    spec = make_spec({"model.layers.0.units": {"choice": [16, 32]}}, strategy="grid")
    outcome = run_search(spec, store)
    assert outcome.error is None and outcome.done == 2
    failed = [t for t in outcome.trials if t.status == "failed"]
    assert len(failed) == 1 and failed[0].values == {"model.layers.0.units": 16}
    assert failed[0].error == "RuntimeError: out of memory (simulated)"
    run = store.get_run(failed[0].run_id)
    assert run.status == "failed" and "simulated" in run.error
    assert outcome.best.values == {"model.layers.0.units": 32}


def test_values_the_experiment_refuses_together_fail_that_trial_only(store):
    # Each value is fine alone; nesterov with momentum 0 is refused when they meet.
    space = {
        "optimizer.name": {"choice": ["nesterov", "adam"]},
        "optimizer.momentum": {"choice": [0.0, 0.5]},
    }
    outcome = run_search(make_spec(space, strategy="grid"), store)
    assert outcome.done == 4 and outcome.error is None
    refused = [t for t in outcome.trials if t.status == "failed"]
    assert [t.values for t in refused] == [
        {"optimizer.name": "nesterov", "optimizer.momentum": 0.0}
    ]
    assert "nesterov needs a momentum above 0" in refused[0].error
    assert refused[0].run_id is None  # never trained, so never a run
    assert len(store.search_runs(outcome.search_id)) == 3


def test_pruned_trials_are_recorded_as_pruned(store, monkeypatch):
    # Five good trials (accuracy 0.9 every epoch), then bad ones (0.1): the median rule
    # stops the bad ones at epoch 2 of 3.
    good, bad = (0.3, 0.9), (2.0, 0.1)
    script_validation(monkeypatch, itertools.chain([good] * 15, itertools.repeat(bad)))
    spec = make_spec(LR_SPACE, trials=8, epochs=3, pruning="median")
    outcome = run_search(spec, store)
    assert outcome.done == 8 and outcome.error is None
    by_number = {t.number: t for t in outcome.trials}
    assert [by_number[n].status for n in range(8)] == ["completed"] * 5 + ["pruned"] * 3
    assert all(by_number[n].epochs_run == 2 for n in (5, 6, 7))
    states = [t.state for t in sorted(study_trials(outcome), key=lambda t: t.number)]
    assert states == [TrialState.COMPLETE] * 5 + [TrialState.PRUNED] * 3
    runs = {run.trial: run for run in store.search_runs(outcome.search_id)}
    assert runs[6].status == "pruned" and runs[6].epochs_run == 2
    assert outcome.best.status == "completed"


def test_successive_halving_prunes_the_trials_behind_at_its_rungs(store, monkeypatch):
    # Each trial's accuracy is its own: the first is the best, later ones fall behind.
    accuracy = iter([0.9] * 3 + [0.8] * 3 + [0.1] * 30)
    script_validation(monkeypatch, ((1.0, a) for a in accuracy))
    spec = make_spec(LR_SPACE, trials=5, epochs=3, pruning="halving")
    outcome = run_search(spec, store)
    assert outcome.done == 5 and outcome.error is None
    statuses = {t.number: t.status for t in outcome.trials}
    assert statuses[0] == "completed" and "pruned" in statuses.values()


def test_a_search_resumes_after_a_restart_without_repeating_trials(store):
    first = run_search(make_spec(LR_SPACE, trials=3), store)
    # "Restart": a new store object on the same folder, the same search with a larger total.
    again = RunStore(store.folder)
    second = run_search(make_spec(LR_SPACE, trials=5), again)
    assert (second.study, second.storage) == (first.study, first.storage)
    assert second.search_id == first.search_id
    assert second.done == 5 and sorted(t.number for t in second.trials) == [0, 1, 2, 3, 4]
    old = {t.number: t.values for t in first.trials}
    new = {t.number: t.values for t in second.trials}
    assert {n: new[n] for n in old} == old  # the finished trials were kept, not rerun
    assert len({v["optimizer.lr"] for v in new.values()}) == 5  # no values repeated
    assert len(again.search_runs(second.search_id)) == 5
    # A finished search run again does nothing and says so.
    third = run_search(make_spec(LR_SPACE, trials=5), again)
    assert third.done == 5 and len(again.search_runs(second.search_id)) == 5


def test_a_stopped_trial_is_run_again_when_the_search_resumes(store, monkeypatch):
    stop = threading.Event()
    real = runner_module._Pruning.on_epoch_end

    def on_epoch_end(self, metrics):
        real(self, metrics)
        if self.trial.number == 1 and metrics.epoch == 1:
            stop.set()  # the Stop button, pressed during trial 1

    monkeypatch.setattr(runner_module._Pruning, "on_epoch_end", on_epoch_end)
    spec = make_spec(LR_SPACE, trials=3)
    outcome = run_search(spec, store, stop_token=stop)
    assert outcome.stopped and not outcome.finished and outcome.done == 1
    stopped = {t.number: t for t in outcome.trials}[1]
    assert stopped.status == "stopped" and stopped.epochs_run == 1
    assert store.get_search(outcome.search_id).status == "stopped"

    resumed = run_search(spec, store)
    assert resumed.finished and resumed.done == 3
    trials = {t.number: t for t in resumed.trials}
    # Trial 1's values ran again as the next trial; trial 1 itself does not count.
    assert trials[2].values == stopped.values and trials[2].status == "completed"
    assert sorted(n for n, t in trials.items() if t.status == "completed") == [0, 2, 3]
    assert store.get_search(resumed.search_id).status == "finished"


def test_a_trial_whose_process_died_is_run_again(store, tmp_path):
    spec = make_spec(LR_SPACE, trials=2)
    outcome = run_search(make_spec(LR_SPACE, trials=1), store)
    # A trial left running by a process that was killed.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    study = optuna.load_study(study_name=outcome.study, storage=open_storage(outcome.storage))
    orphan = study.ask({"optimizer.lr": FloatDistribution(1e-4, 0.1, log=True)})
    orphan.set_user_attr("host", HOST)
    orphan.set_user_attr("pid", dead.pid)
    resumed = run_search(spec, store)
    trials = {t.number: t for t in resumed.trials}
    assert resumed.done == 2 and trials[1].status == "interrupted"
    assert trials[2].values == {"optimizer.lr": orphan.params["optimizer.lr"]}
    assert trials[2].status == "completed"


def test_a_trial_just_asked_for_is_not_taken_for_a_dead_one(store):
    """Its worker names its host a moment after asking; another worker starting then must not
    fail it for want of a pid (three workers on PostgreSQL did: UpdateFinishedTrialError)."""
    outcome = run_search(make_spec(LR_SPACE, trials=1), store)
    study = optuna.load_study(study_name=outcome.study, storage=open_storage(outcome.storage))
    beginning = study.ask({"optimizer.lr": FloatDistribution(1e-4, 0.1, log=True)})
    beginning.set_user_attr("host", HOST)  # as an older worker did: the host before the pid
    resumed = run_search(make_spec(LR_SPACE, trials=2), store, stop_token=_set_event())
    assert {t.number: t for t in resumed.trials}[beginning.number].status == "running"
    beginning.set_user_attr("pid", 1)  # still settable: nobody failed it
    assert study.trials[beginning.number].state == TrialState.RUNNING


def _set_event():
    event = threading.Event()
    event.set()
    return event


def test_narrow_from_the_store_while_or_after_it_runs(store):
    spec = make_spec(LR_SPACE, trials=4)
    outcome = run_search(spec, store)
    narrowed = narrow(spec, results_from_store(store, outcome.search_id, spec), top_fraction=0.5)
    lr = narrowed.search.space["optimizer.lr"]
    top = sorted(outcome.trials, key=lambda t: -t.best_value)[:2]
    assert lr.low <= min(t.values["optimizer.lr"] for t in top)
    assert lr.high >= max(t.values["optimizer.lr"] for t in top)
    assert (lr.low, lr.high) != (1e-4, 1e-1)


SEARCH_FILE = """
name = "shared"
[model]
layers = [{ type = "dense", units = 32, activation = "relu", init = "he" }]
[optimizer]
lr = 0.01
[training]
batch_size = 32
device = "cpu"
[early_stopping]
enabled = false
[search]
trials = 8
epochs = 3
workers = 1
train_limit = 300
[search.space]
"optimizer.lr" = { log_uniform = [1e-4, 1e-1] }
"""


@pytest.mark.parametrize("kind", ["journal", "sqlite"])
def test_two_processes_join_one_study_through_a_shared_storage(tmp_path, kind):
    path = tmp_path / "search.toml"
    path.write_text(SEARCH_FILE, encoding="utf-8")
    storage = (
        str(tmp_path / "shared.journal") if kind == "journal" else f"sqlite:///{tmp_path}/s.db"
    )
    command = [sys.executable, "-m", "workbench", "search", str(path), "--storage", storage]
    command += ["--study", "together"]
    processes = [
        subprocess.Popen(
            command
            + ["--data-dir", str(tmp_path / f"machine{n}"), "--out", str(tmp_path / f"o{n}")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    outputs = [process.communicate(timeout=240) for process in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    study = optuna.load_study(study_name="together", storage=open_storage(storage))
    complete = [t for t in study.get_trials() if t.state == TrialState.COMPLETE]
    # Eight in total (two machines may overshoot by one between them), each number once, and
    # both processes trained some.
    assert 8 <= len(complete) <= 9
    assert len({t.number for t in complete}) == len(complete)
    assert len({t.params["optimizer.lr"] for t in complete}) == len(complete)
    pids = {t.user_attrs["pid"] for t in complete}
    assert len(pids) == 2
    # Each machine's run store holds its own trials; the study holds them all.
    counts = [len(RunStore(tmp_path / f"machine{n}").list_runs()) for n in (1, 2)]
    assert sum(counts) == len(complete) and min(counts) >= 1
    # The process that ended last saw every trial done.
    summaries = [json.loads((tmp_path / f"o{n}" / "search.json").read_text()) for n in (1, 2)]
    assert max(summary["trials_done"] for summary in summaries) >= 8
    assert {summary["study"] for summary in summaries} == {"together"}


def test_worker_processes_run_the_trials_and_stop_cleanly(store):
    spec = make_spec(LR_SPACE, trials=40, epochs=30)
    stop = threading.Event()
    seen = []

    def on_trial(progress):
        seen.append(progress)
        if len(seen) == 2:
            stop.set()

    outcome = run_search(spec, store, workers=2, stop_token=stop, on_trial=on_trial)
    assert outcome.error is None and outcome.stopped
    assert multiprocessing.active_children() == []  # every worker exited and was reaped
    assert 2 <= outcome.done < 40
    trials = outcome.trials
    # Trials in progress when Stop came were recorded as stopped, none left "running".
    assert {t.status for t in trials} <= {"completed", "stopped"}
    assert 1 <= [t.status for t in trials].count("stopped") <= 2
    # Two processes trained, each with its own pid, and recorded into the same store.
    assert len({t.host for t in trials}) == 1
    runs = store.search_runs(outcome.search_id)
    assert len(runs) == len(trials) and {r.status for r in runs} <= {"completed", "stopped"}
    assert store.get_search(outcome.search_id).status == "stopped"
