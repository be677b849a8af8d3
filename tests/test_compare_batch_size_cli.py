"""`workbench compare FILE --by batch_size --values ...`: the table, and bad values (exit 2)."""

import os
import subprocess
import sys

import pytest

from workbench.__main__ import main

SMALL = """
name = "sizes"
[model]
layers = [{ type = "dense", units = 16, activation = "relu", init = "he" }]
[optimizer]
lr = 0.01
[training]
epochs = 2
device = "cpu"
[early_stopping]
enabled = false
"""


def write(tmp_path, text=SMALL):
    path = tmp_path / "sizes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_compare_by_batch_size_prints_a_row_per_size(tmp_path):
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbench",
            "compare",
            str(write(tmp_path)),
            "--by",
            "batch_size",
            "--values",
            "64,full",
            "--data-dir",
            str(tmp_path / "store"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        # One torch thread: batches this small only wait on each other on a busy machine.
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert completed.returncode == 0, completed.stderr
    out = completed.stdout.splitlines()
    assert "== variant 1/2: sizes [batch 64]" in out
    assert "== variant 2/2: sizes [full batch 1077]" in out
    header = next(i for i, line in enumerate(out) if line.lstrip().startswith("mini-batch"))
    assert out[header].split() == (
        "mini-batch steps/epoch s/epoch samples/s peak memory loss std std/mean val acc".split()
    )
    by_size, full = out[header + 1].split(), out[header + 2].split()
    assert by_size[:2] == ["64", "17"]  # 1077 samples: 16 batches of 64 and one of 53
    assert full[:3] == ["1077", "(full)", "1"]
    assert full[-3:-1] == ["–", "–"]  # one batch an epoch: no spread to measure
    assert float(by_size[-2].rstrip("%")) > 0
    assert out[header + 3].startswith("(s/epoch: mean time of an epoch")
    assert "peak resident memory (RSS)" in out[header + 3] or "not measured" in out[header + 3]
    assert "the test set was not used" in completed.stdout
    from workbench.runs import RunStore

    runs = RunStore(tmp_path / "store").list_runs()
    assert sorted(run.config["training"]["batch_size"] for run in runs) == [64, 1077]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--by", "batch_size", "--values", "32,0"],
            "error: --values: '0' is not a mini-batch size; give whole numbers of at least 1, "
            "or 'full' for the whole training part",
        ),
        (["--by", "batch_size", "--values", "32,32"], "error: --values: 32 is listed twice"),
        (
            ["--by", "optimizer", "--values", "8,256"],
            "error: --values: --by optimizer compares fixed variants and takes no values; these "
            "do: batch_size, lr, activation, weight_decay, l1, dropout, schedule, epochs, "
            "train_limit, weight_scale",
        ),
        (
            ["--values", "8"],  # --by defaults to optimizer
            "error: --values: --by optimizer compares fixed variants and takes no values; these "
            "do: batch_size, lr, activation, weight_decay, l1, dropout, schedule, epochs, "
            "train_limit, weight_scale",
        ),
        (
            ["--by", "batch_size", "--lr", "sgd=0.1"],
            "error: --lr: only an optimizer race (--by optimizer) takes rates",
        ),
    ],
)
def test_bad_values_exit_2_with_one_line(tmp_path, capsys, args, message):
    assert main(["compare", str(write(tmp_path)), *args]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == message
    assert captured.out == ""


def test_a_size_the_model_cannot_take_exits_2(tmp_path, capsys):
    batch_norm = SMALL.replace('init = "he" }]', 'init = "he" }, { type = "batchnorm" }]')
    path = write(tmp_path, batch_norm)
    assert main(["compare", str(path), "--by", "batch_size", "--values", "1,full"]) == 2
    assert capsys.readouterr().err.strip() == (
        "error: --values: 1 cannot be used: training.batch_size: batch normalisation needs "
        "at least 2 samples per batch"
    )
