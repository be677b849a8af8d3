"""`workbench lr-find`: the suggestion printed, the plot written, bad input in one line."""

import json
import subprocess
import sys

import pytest

from workbench.__main__ import main

SMALL = """
name = "lr-small"
[model]
layers = [{ type = "dense", units = 32, activation = "relu", init = "he" }]
[optimizer]
name = "adam"
[training]
batch_size = 64
device = "cpu"
"""


@pytest.fixture
def experiment(tmp_path):
    path = tmp_path / "exp.toml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_prints_the_suggestion_and_how_it_was_chosen_and_draws_the_plot(
    experiment, tmp_path, capsys
):
    out = tmp_path / "plots" / "sweep.png"
    code = main(["lr-find", str(experiment), "--steps", "60", "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    lines = printed.out.splitlines()
    assert lines[0].startswith("swept ") and " of 60 steps on cpu" in lines[0]
    suggested = next(line for line in lines if line.startswith("suggested learning rate: "))
    rate = float(suggested.split()[3])
    assert 1e-5 < rate < 1.0
    assert "(minimum/10: a tenth of the rate at which the smoothed loss is lowest)" in suggested
    assert any(line.startswith("fastai's other rules: valley ") for line in lines)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000
    assert lines[-1] == f"plot: {out}"


def test_a_range_that_does_not_explode_says_so(experiment, capsys):
    code = main(["lr-find", str(experiment), "--steps", "20", "--start", "1e-6", "--end", "1e-5"])
    out = capsys.readouterr().out
    assert code == 0
    assert "the last rate was reached" in out and "had not exploded" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--steps", "3"], "error: --steps: 3 is not between 10 and 10000"),
        (["--start", "0"], "error: --start: 0 must be a rate greater than 0"),
        (["--start", "1", "--end", "0.1"], "error: --end: 0.1 must be greater than start (1)"),
        (["--out", "plot.txt"], "the plot's name must end in .png, .svg or .pdf"),
        (["--device", "cuda:7"], "training.device: 'cuda:7'"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(experiment, args, message, capsys):
    if "cuda:7" in args:
        import torch

        if torch.cuda.device_count() > 7:
            pytest.skip("this machine has a cuda:7")
    code = main(["lr-find", str(experiment), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and message in err
    assert "Traceback" not in err


def test_a_bad_file_is_named(tmp_path, capsys):
    assert main(["lr-find", str(tmp_path / "missing.toml")]) == 2
    assert "missing.toml" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text("[optimizer]\nlr = -1\n", encoding="utf-8")
    assert main(["lr-find", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "optimizer.lr" in err and len(err.splitlines()) == 1


def test_help_answers_before_the_heavy_imports_and_the_command_is_listed():
    script = """
import json, sys
from workbench.__main__ import main
try:
    main(["lr-find", "--help"])
except SystemExit as exited:
    code = exited.code
print(json.dumps([code, [m for m in ("torch", "matplotlib", "sklearn") if m in sys.modules]]))
"""
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    code, heavy = json.loads(completed.stdout.strip().splitlines()[-1])
    assert code == 0 and heavy == []
    assert "--steps" in completed.stdout and "--out" in completed.stdout
    from workbench.__main__ import COMMANDS

    assert "lr-find EXPERIMENT.toml" in [usage for usage, _ in COMMANDS]


def test_the_defaults_shown_by_help_are_the_engines():
    from workbench.playground import lr_find, lr_find_cli

    assert (lr_find_cli.DEFAULT_START, lr_find_cli.DEFAULT_END, lr_find_cli.DEFAULT_STEPS) == (
        lr_find.DEFAULT_START,
        lr_find.DEFAULT_END,
        lr_find.DEFAULT_STEPS,
    )
