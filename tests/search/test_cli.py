"""`workbench search FILE`: progress lines, result files, the best trial, and Ctrl+C."""

import csv
import json
import os
import signal
import subprocess
import sys

import optuna
import pytest

from workbench.config import load_experiment
from workbench.search.cli import search_command
from workbench.search.study import open_storage

SEARCH = """
name = "cli"
[model]
layers = [{{ type = "dense", units = 32, activation = "relu", init = "he" }}]
[training]
batch_size = 64
device = "cpu"
[early_stopping]
enabled = false
[search]
trials = {trials}
epochs = {epochs}
workers = {workers}
train_limit = 200
[search.space]
"optimizer.lr" = {{ log_uniform = [1e-4, 1e-1] }}
"optimizer.name" = {{ choice = ["sgd", "adam"] }}
"""


def search_file(folder, trials=3, epochs=2, workers=1):
    path = folder / "lr.toml"
    path.write_text(SEARCH.format(trials=trials, epochs=epochs, workers=workers), "utf-8")
    return path


def test_the_cli_runs_a_search_and_writes_the_table_and_the_winner(tmp_path, capsys):
    path, out = search_file(tmp_path), tmp_path / "out"
    code = search_command([str(path), "--data-dir", str(tmp_path / "data"), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    lines = printed.splitlines()
    assert lines[0].startswith("search lr: random, 3 trials of 2 epochs")
    progress = [line for line in lines if line.startswith("[")]
    assert [line.split()[2] for line in progress] == ["1/3", "2/3", "3/3"]
    # The bar fills as trials finish: 7, 13 and 20 of its 20 places.
    assert [line.split()[0].count("#") for line in progress] == [7, 13, 20]
    assert all("best so far" in line for line in progress)

    summary = json.loads((out / "search.json").read_text())
    assert summary["trials_done"] == 3 and summary["metric"] == "val_accuracy"
    assert len(summary["trials"]) == 3
    best = summary["best"]
    assert best == summary["trials"][0]  # sorted best first
    assert f"best: trial #{best['number']}" in printed
    with open(out / "trials.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(row["trial"]) for row in rows] == [t["number"] for t in summary["trials"]]
    assert float(rows[0]["best_val_accuracy"]) == best["best_value"]
    assert {"optimizer.lr", "optimizer.name", "best_epoch", "status"} <= set(rows[0])
    # The winner as an experiment file, for the final evaluation on the test set.
    winner = load_experiment(out / "best.toml")
    assert winner.optimizer.lr == best["values"]["optimizer.lr"]
    assert winner.optimizer.name == best["values"]["optimizer.name"]


def test_ctrl_c_stops_the_workers_and_keeps_the_finished_trials(tmp_path):
    path = search_file(tmp_path, trials=40, epochs=40, workers=2)
    out, storage = tmp_path / "out", tmp_path / "journal.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench", "search", str(path), "--data-dir", str(tmp_path)]
        + ["--out", str(out), "--storage", str(storage), "--study", "s"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    for line in process.stdout:
        if line.startswith("["):  # a finished trial's progress line
            break
    os.killpg(process.pid, signal.SIGINT)  # Ctrl+C reaches the parent and its workers
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "stopping" in err
    summary = json.loads((out / "search.json").read_text())
    assert 1 <= summary["trials_done"] < 40
    study = optuna.load_study(study_name="s", storage=open_storage(str(storage)))
    assert all(t.state != optuna.trial.TrialState.RUNNING for t in study.get_trials())
    started = [t for t in study.get_trials() if t.state != optuna.trial.TrialState.WAITING]
    # The stopped trials' values wait in the queue for the search to resume.
    assert len(started) > summary["trials_done"]
    for pid in {t.user_attrs["pid"] for t in started}:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        raise AssertionError(f"worker {pid} is still alive")


def test_best_toml_is_the_base_with_the_winners_values_not_the_trial_settings(tmp_path, capsys):
    """As the window's Apply best: the whole training part, the base's epochs, its name."""
    from workbench.search.space import apply_values
    from workbench.search.spec import load_search

    path, out = search_file(tmp_path, trials=1, epochs=1), tmp_path / "out"
    code = search_command([str(path), "--data-dir", str(tmp_path / "data"), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    spec = load_search(path)
    values = json.loads((out / "search.json").read_text())["best"]["values"]
    winner = load_experiment(out / "best.toml")
    assert winner.data.train_limit == spec.base.data.train_limit == 0  # the trials had 200
    assert winner.training.epochs == spec.base.training.epochs != 1  # the trials had 1
    assert winner.name == spec.base.name == "cli"
    assert winner == apply_values(spec.base, values)
    assert f"on the whole training part for {winner.training.epochs} epochs" in printed


def test_the_example_search_file_loads_and_a_short_run_of_it_works(tmp_path, capsys):
    from pathlib import Path

    from workbench.search.spec import load_search

    example = Path(__file__).resolve().parents[2] / "resources/examples/digits-adam-search.toml"
    spec = load_search(example)
    assert spec.base == load_experiment(example.parent / "digits-adam.toml")
    assert len(spec.paths) >= 2 and spec.search.epochs < spec.base.training.epochs
    out = tmp_path / "out"
    argv = [str(example), "--trials", "2", "--workers", "1", "--out", str(out)]
    assert search_command([*argv, "--data-dir", str(tmp_path / "data")]) == 0
    assert "2/2 trials done" in capsys.readouterr().out
    winner = load_experiment(out / "best.toml")
    assert winner.training.epochs == 20 and winner.data.train_limit == 0


def test_a_storage_that_is_not_a_journal_is_named_in_one_line(tmp_path):
    """A folder or a CSV given as --storage surfaced as a bare IsADirectoryError or JSON error."""
    from workbench.search.space import SearchError

    folder, table = tmp_path / "folder", tmp_path / "table.csv"
    folder.mkdir()
    table.write_text("a,b\n1,2\n")
    with pytest.raises(SearchError, match=f"--storage {folder}: not a file"):
        open_storage(str(folder))
    with pytest.raises(SearchError, match="not a search journal"):
        open_storage(str(table))
    assert table.read_text() == "a,b\n1,2\n"  # looked at, not written to
