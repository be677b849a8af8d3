"""Search workers sharing one study on a real PostgreSQL server (issue 22).

The server is started by the test (tests/search/postgres_server.py: initdb into a temporary
folder, loopback only) and stopped after it; the test is skipped, saying why, where the
server binaries or psycopg are absent. Three `workbench search` processes, standing in for
three machines, each with its own run store, share the study; one worker killed mid-trial
leaves its trial to be failed and queued again by the next worker, and the search ends whole.
"""

import os
import re
import signal
import subprocess
import sys
import time

import optuna
import pytest
from optuna.trial import TrialState

from tests.search.postgres_server import postgres_server, skip_reason
from tests.search.test_runner import SEARCH_FILE
from workbench.runs.store import RunStore
from workbench.search.study import open_storage

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


@pytest.fixture(scope="module")
def database():
    with postgres_server() as url:
        yield url


def worker(tmp_path, search, url, study, name):
    command = [sys.executable, "-m", "workbench", "search", str(search), "--storage", url]
    command += ["--study", study, "--data-dir", str(tmp_path / name)]
    command += ["--out", str(tmp_path / f"out-{name}")]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill_mid_trial(tmp_path, search, url, storage, study_name):
    """Start a worker, kill it (SIGKILL) once it trains a trial; that trial, as it was."""
    doomed = worker(tmp_path, search, url, study_name, "doomed")
    deadline = time.monotonic() + 120
    running = []
    while not running and time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            study = optuna.load_study(study_name=study_name, storage=storage)
        except KeyError:  # not created yet
            continue
        # Training, not just asked for: a worker names itself (pid, host) right after asking.
        running = [
            t for t in study.get_trials(states=(TrialState.RUNNING,)) if "host" in t.user_attrs
        ]
    assert running, "the worker never started a trial"
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.communicate(timeout=30)
    return running[0]


def search_file(tmp_path, trials, epochs):
    path = tmp_path / "search.toml"
    # The shared-storage search of test_runner, with its trials and epochs set here.
    text = SEARCH_FILE.replace("trials = 8", f"trials = {trials}")
    text = text.replace("epochs = 3", f"epochs = {epochs}")
    assert f"trials = {trials}" in text and f"epochs = {epochs}" in text
    path.write_text(text, encoding="utf-8")
    return path


def test_three_workers_share_one_study_on_postgresql(tmp_path, database):
    search = search_file(tmp_path, trials=6, epochs=2)
    workers = [worker(tmp_path, search, database, "three", f"machine{n}") for n in (1, 2, 3)]
    # A fourth machine only watches: attached once the study exists, it follows it to the end.
    storage = open_storage(database)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if "three" in [s.study_name for s in optuna.get_all_study_summaries(storage)]:
            break
        time.sleep(0.2)
    command = [sys.executable, "-m", "workbench", "search", "--attach", "--storage", database]
    watcher = subprocess.Popen(
        command + ["--study", "three"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    outputs = [process.communicate(timeout=300) for process in workers]
    for process, (_, err) in zip(workers, outputs, strict=True):
        assert process.returncode == 0, err
    watched, err = watcher.communicate(timeout=60)
    assert watcher.returncode == 0, err
    study = optuna.load_study(study_name="three", storage=open_storage(database))
    complete = [t for t in study.get_trials() if t.state == TrialState.COMPLETE]
    # Six in all (workers on other machines may overshoot by one each), no number twice, no
    # values twice, and every worker trained some.
    assert 6 <= len(complete) <= 8
    assert len({t.number for t in complete}) == len(complete)
    assert len({t.params["optimizer.lr"] for t in complete}) == len(complete)
    assert len({t.user_attrs["pid"] for t in complete}) == 3
    # Each trial's learning curve is in the study (per-epoch intermediate values): any
    # machine can draw any trial's curve.
    assert all(sorted(t.intermediate_values) == [1, 2] for t in complete)
    # The watcher printed every trial once, as it finished, and saw the end.
    numbers = [int(n) for n in re.findall(r"  #(\d+) ", watched)]
    assert sorted(numbers) == sorted(t.number for t in complete)
    summary = re.search(r"(\d+)/6 trials done, 0 running", watched)
    assert summary and int(summary.group(1)) == len(complete)
    counts = [len(RunStore(tmp_path / f"machine{n}").list_runs()) for n in (1, 2, 3)]
    assert sum(counts) == len(complete) and min(counts) >= 1


def test_a_killed_workers_trial_is_failed_and_queued_again(tmp_path, database):
    search = search_file(tmp_path, trials=2, epochs=100)
    storage = open_storage(database)
    lost = kill_mid_trial(tmp_path, search, database, storage, "killed")

    # The next worker (on the same machine: it can tell the process is gone) takes over.
    # Fewer epochs would be another search: the study refuses a different file, so this one
    # trains the same long trials; two of 100 epochs on 300 samples take seconds.
    survivor = worker(tmp_path, search, database, "killed", "survivor")
    _, err = survivor.communicate(timeout=300)
    assert survivor.returncode == 0, err
    trials = optuna.load_study(study_name="killed", storage=storage).get_trials()
    by_number = {t.number: t for t in trials}
    assert by_number[lost.number].state == TrialState.FAIL
    again = [t for t in trials if t.user_attrs.get("retry_of") == lost.number]
    assert len(again) == 1 and again[0].state == TrialState.COMPLETE
    assert again[0].params == lost.params
    assert sum(t.state == TrialState.COMPLETE for t in trials) == 2


def test_a_trial_of_a_machine_gone_for_good_is_failed_when_it_stops_reporting(
    tmp_path, database, monkeypatch
):
    """No process here can tell another machine's worker is dead; its silence can. A worker
    says every few seconds that its trial trains (a heartbeat in the database); a running
    trial not heard of for `STALE_AFTER_S` is failed by the next worker and queued again."""
    from workbench.search import study as study_module
    from workbench.search.runner import run_search
    from workbench.search.spec import load_search

    search = search_file(tmp_path, trials=2, epochs=100)
    storage = open_storage(database)
    lost = kill_mid_trial(tmp_path, search, database, storage, "gone")
    # As if it had trained on a machine that never comes back: its process cannot be looked
    # for from here.
    storage.set_trial_user_attr(lost._trial_id, "host", "a-machine-gone-for-good")

    spec = load_search(search)
    # Not silent for long enough yet: the trial may still be training over there.
    early = run_search(spec, RunStore(tmp_path / "early"), storage=database, study="gone",
                       workers=1, stop_token=_stopped())  # fmt: skip
    assert early.running_elsewhere == 1
    monkeypatch.setattr(study_module, "STALE_AFTER_S", 1)
    time.sleep(2.5)
    outcome = run_search(spec, RunStore(tmp_path / "later"), storage=database, study="gone",
                         workers=1)  # fmt: skip
    assert outcome.error is None and outcome.finished and outcome.running_elsewhere == 0
    trials = optuna.load_study(study_name="gone", storage=storage).get_trials()
    assert {t.number: t for t in trials}[lost.number].state == TrialState.FAIL
    again = [t for t in trials if t.user_attrs.get("retry_of") == lost.number]
    assert len(again) == 1 and again[0].state == TrialState.COMPLETE
    assert again[0].params == lost.params


def _stopped():
    import threading

    stop = threading.Event()
    stop.set()  # opens the study, recovers what it can, trains nothing
    return stop
