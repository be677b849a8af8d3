"""Watching a shared study (`workbench search --attach`, workbench.search.attach): every
trial with its learning curve from the study alone, and one-line errors for a wrong study."""

import re
import subprocess
import sys
import threading

import optuna

from tests.search.conftest import LR_SPACE, make_spec
from workbench.search import run_search
from workbench.search.attach import open_shared, watch
from workbench.search.study import open_storage


def attach(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "workbench", "search", "--attach", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def test_a_finished_study_is_read_whole_with_its_curves(store, tmp_path):
    storage = f"sqlite:///{tmp_path}/shared.db"
    spec = make_spec(LR_SPACE, trials=3, epochs=2)
    outcome = run_search(spec, store, storage=storage, study="watched")
    study, watched_spec = open_shared(storage, "watched")
    assert watched_spec.signature() == spec.signature()
    readings = []
    state = watch(study, watched_spec, readings.append, threading.Event(), poll_s=0.01)
    assert state.finished and len(readings) == 1  # done already: one reading, no waiting
    assert state.done == 3 and state.total == 3 and state.running == 0
    by_number = {t.number: t for t in outcome.trials}
    for trial in state.trials:
        recorded = by_number[trial.number]
        assert trial.values == recorded.values and trial.best_value == recorded.best_value
        # The curve comes from the study (what the workers reported), equal to the store's.
        run = store.get_run(recorded.run_id)
        assert [h["epoch"] for h in trial.history] == [1.0, 2.0]
        assert [h["val_accuracy"] for h in trial.history] == [
            h["val_accuracy"] for h in run.history
        ]


def test_a_study_that_is_not_a_search_and_a_missing_one_are_named(tmp_path):
    storage = f"sqlite:///{tmp_path}/other.db"
    optuna.create_study(study_name="plain", storage=open_storage(storage))
    missing = attach("--storage", storage, "--study", "nope")
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        f"error: --study nope: no such study in {storage} (studies there: plain)"
    )
    plain = attach("--storage", storage, "--study", "plain")
    assert plain.returncode == 2 and "not a workbench search" in plain.stderr
    assert len(plain.stderr.strip().splitlines()) == 1
    alone = attach("--storage", storage)
    assert alone.returncode == 2 and alone.stderr.strip() == "error: --attach needs --study"


def test_attach_prints_each_trial_and_writes_the_results(store, tmp_path):
    storage = f"sqlite:///{tmp_path}/shared.db"
    run_search(make_spec(LR_SPACE, trials=3, epochs=2), store, storage=storage, study="s")
    completed = attach("--storage", storage, "--study", "s", "--out", str(tmp_path / "o"))
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    trial_lines = [line for line in lines if re.search(r"  #\d+ ", line)]
    assert [re.search(r"  #(\d+) ", line).group(1) for line in trial_lines] == ["0", "1", "2"]
    assert "trial 1/3" in trial_lines[0] and "trial 3/3" in trial_lines[2]
    assert "3/3 trials done, 0 running" in completed.stdout
    assert (tmp_path / "o" / "trials.csv").read_text().count("\n") == 4  # header + 3
