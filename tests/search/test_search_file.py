"""The search file: its two forms, and one clear line for each kind of bad input."""

import subprocess
import sys

import pytest

from workbench.search import SearchError, load_search
from workbench.search.cli import search_command

EXPERIMENT = """
name = "tiny"
[model]
layers = [{ type = "dense", units = 32 }]
[training]
epochs = 3
device = "cpu"
"""


def write(folder, text, name="search.toml"):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_search_file_names_its_base_experiment_relative_to_itself(tmp_path):
    (tmp_path / "experiments").mkdir()
    write(tmp_path / "experiments", EXPERIMENT, "tiny.toml")
    path = write(
        tmp_path,
        'base = "experiments/tiny.toml"\n[search]\ntrials = 5\nepochs = 2\ntrain_limit = 300\n'
        '[search.space]\n"optimizer.lr" = { log_uniform = [1e-6, 1e-2] }\n',
    )
    spec = load_search(path)
    assert spec.name == "search" and spec.base.name == "tiny"
    assert spec.search.trials == 5 and spec.search.strategy == "random"
    trial = spec.trial_experiment({"optimizer.lr": 1e-3}, 4)
    assert trial.training.epochs == 2 and trial.data.train_limit == 300
    assert trial.optimizer.lr == 1e-3 and trial.name == "search trial 4"


def test_a_search_file_can_hold_the_experiment_inline(tmp_path):
    path = write(
        tmp_path,
        EXPERIMENT + '[search]\ntrials = 3\n[search.space]\n"optimizer.name" = '
        '{ choice = ["sgd", "adam"] }\n',
    )
    spec = load_search(path)
    assert spec.base.name == "tiny" and spec.base.training.epochs == 3
    assert spec.search.space["optimizer.name"].values == ("sgd", "adam")


SPACE = '[search.space]\n"optimizer.lr" = { log_uniform = [1e-6, 1e-2] }\n'
BAD_FILES = {
    "low above high": (
        '[search]\n[search.space]\n"optimizer.lr" = { log_uniform = [1e-2, 1e-6] }\n',
        'search.toml: search.space."optimizer.lr": log_uniform needs 0 < low <= high',
    ),
    "uniform low above high": (
        '[search]\n[search.space]\n"model.layers.0.p" = { uniform = [0.5, 0.1] }\n',
        'search.space."model.layers.0.p": uniform needs low <= high',
    ),
    "log range touching 0": (
        '[search]\n[search.space]\n"optimizer.weight_decay" = { log_uniform = [0, 1e-4] }\n',
        'search.space."optimizer.weight_decay": log_uniform needs 0 < low <= high',
    ),
    "log range below 0": (
        '[search]\n[search.space]\n"optimizer.lr" = { log_uniform = [-1e-3, 1e-2] }\n',
        'search.space."optimizer.lr": log_uniform needs 0 < low <= high',
    ),
    "zero trials": ("[search]\ntrials = 0\n" + SPACE, "search.trials: needs at least 1 trial"),
    "unknown parameter": (
        '[search]\n[search.space]\n"optimizer.learning_rate" = { log_uniform = [1e-6, 1e-2] }\n',
        "search.space.\"optimizer.learning_rate\": not a setting: optimizer has no 'learning_rate'",
    ),
    "layer that is not there": (
        '[search]\n[search.space]\n"model.layers.4.units" = { int = [8, 64] }\n',
        'search.space."model.layers.4.units": not a setting: model.layers is a list of 2',
    ),
    "a value the experiment refuses": (
        '[search]\n[search.space]\n"optimizer.lr" = { uniform = [0.0, 0.1] }\n',
        'search.space."optimizer.lr": 0.0 is refused by the experiment: optimizer.lr: '
        "Input should be greater than 0",
    ),
    "a choice the experiment refuses": (
        '[search]\n[search.space]\n"optimizer.name" = { choice = ["sgd", "lion"] }\n',
        "search.space.\"optimizer.name\": 'lion' is refused by the experiment: optimizer.name:",
    ),
    "floats for an int setting": (
        '[search]\n[search.space]\n"model.layers.0.units" = { uniform = [8.0, 64.0] }\n',
        'search.space."model.layers.0.units": 8.0 is refused by the experiment: '
        "model layer 1 (dense): units: Input should be a valid integer",
    ),
    "text instead of numbers": (
        '[search]\n[search.space]\n"optimizer.lr" = { log_uniform = ["1e-6", "1e-2"] }\n',
        'search.space."optimizer.lr": log_uniform needs numbers [low, high]',
    ),
    "one number instead of a range": (
        '[search]\n[search.space]\n"optimizer.lr" = { uniform = 0.1 }\n',
        'search.space."optimizer.lr": uniform needs a list [low, high]',
    ),
    "unknown kind": (
        '[search]\n[search.space]\n"optimizer.lr" = { normal = [0.1, 0.2] }\n',
        'search.space."optimizer.lr": needs one of log_uniform, uniform, int, choice',
    ),
    "two kinds": (
        '[search]\n[search.space]\n"optimizer.lr" = { uniform = [0.1, 0.2], int = [1, 2] }\n',
        'search.space."optimizer.lr": give one of uniform, int, not several',
    ),
    "grid range without steps": (
        '[search]\nstrategy = "grid"\n' + SPACE,
        'search.space."optimizer.lr": grid search needs steps = N',
    ),
    "unknown strategy": (
        '[search]\nstrategy = "bayes"\n' + SPACE,
        "search.strategy: Input should be 'random' or 'grid'",
    ),
    "unknown metric": (
        '[search]\nmetric = "test_accuracy"\n' + SPACE,
        "search.metric: Input should be 'val_loss' or 'val_accuracy'",
    ),
    "misspelt search key": ("[search]\ntrails = 5\n" + SPACE, "search.trails: unknown key"),
    "empty space": ("[search]\n[search.space]\n", "search.space: needs at least one parameter"),
    "no search table": ('name = "x"\n', "search: needs a [search] table"),
    "base and tables": (
        'base = "tiny.toml"\n[optimizer]\nlr = 0.1\n[search]\n' + SPACE,
        'base: give either base = "FILE" or the experiment\'s tables, not both',
    ),
    "missing base file": (
        'base = "nowhere.toml"\n[search]\n' + SPACE,
        "search.toml: base: ",
    ),
    "bad experiment table": (
        "[optimizer]\nlr = -1.0\n[search]\n" + SPACE,
        "search.toml: optimizer.lr: Input should be greater than 0",
    ),
    "epochs below the warm-up": (
        "[schedule]\nwarmup_epochs = 3\n[search]\nepochs = 2\n" + SPACE,
        "search.toml: search.epochs: schedule.warmup_epochs: must be fewer than training.epochs",
    ),
    "not TOML": ("[search\n", "search.toml: not valid TOML"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_input_is_one_line_naming_the_file_and_key(tmp_path, case):
    text, expected = BAD_FILES[case]
    path = write(tmp_path, text)
    with pytest.raises(SearchError) as raised:
        load_search(path)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(str(path) + ": ")
    assert expected.removeprefix("search.toml: ") in message, message


@pytest.mark.parametrize("case", ["low above high", "zero trials", "unknown parameter"])
def test_the_cli_says_error_on_stderr_and_exits_2(tmp_path, capsys, case):
    path = write(tmp_path, BAD_FILES[case][0])
    code = search_command([str(path), "--data-dir", str(tmp_path / "data")])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1
    assert BAD_FILES[case][1].removeprefix("search.toml: ") in captured.err


def test_the_cli_exits_2_without_a_traceback_in_a_real_process(tmp_path):
    path = write(tmp_path, BAD_FILES["log range touching 0"][0])
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "search", str(path), "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f'error: {path}: search.space."optimizer.weight_decay": log_uniform needs 0 < low <= high'
    ]


def test_the_cli_refuses_a_missing_file_and_a_bad_workers_count(tmp_path, capsys):
    assert search_command([str(tmp_path / "none.toml")]) == 2
    assert "no such file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        search_command([str(tmp_path / "none.toml"), "--workers", "-1"])
    assert exited.value.code == 2
