"""`workbench paths`: the figure, the CSV, one line per optimizer, and one-line refusals."""

from __future__ import annotations

import csv
import subprocess
import sys

import numpy as np
import pytest

from workbench.__main__ import main
from workbench.config import OPTIMIZERS, SCHEDULES
from workbench.playground import paths_cli
from workbench.playground.paths import optimizer_paths
from workbench.playground.surfaces import FUNCTIONS


def test_it_writes_the_png_and_the_csv_and_prints_one_line_per_optimizer(tmp_path, capsys):
    png, table = tmp_path / "paths.png", tmp_path / "out" / "paths.csv"
    code = main(
        ["paths", "--function", "book", "--optimizers", "sgd,momentum,adagrad,adam"]
        + ["--steps", "30", "--out", str(png), "--csv", str(table)]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = out.splitlines()
    assert lines[0].startswith("f(x, y) = x²/20 + y² from (-7, 2)")
    expected = optimizer_paths("book", ["sgd", "momentum", "adagrad", "adam"], steps=30)
    for line, path in zip(lines[1:5], expected.paths, strict=True):
        x, y = path.points[-1]
        assert line.split()[0].lower() == path.name
        assert f"ends at ({x:.4f}, {y:.4f})" in line
        assert f"distance {path.distances[-1]:.4g}" in line
    assert lines[-1] == f"wrote {png}, {table}"
    with table.open(newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 4 * 31
    sgd = [row for row in rows if row["optimizer"] == "sgd"]
    points = np.array([[float(row["x"]), float(row["y"])] for row in sgd])
    np.testing.assert_array_equal(points, expected.path("sgd").points)  # exact: repr'd floats
    assert sgd[0]["lr"] == "" and sgd[1]["lr"] == "0.95"


def test_svg_rates_start_noise_and_schedule(tmp_path, capsys):
    svg = tmp_path / "paths.svg"
    code = main(
        ["paths", "--function", "himmelblau", "--optimizers", "adam,sgd", "--lr", "adam=0.05"]
        + ["--start", "-1,-1", "--steps", "40", "--noise", "0.5", "--seed", "7"]
        + ["--schedule", "cosine", "--layout", "overlay", "--out", str(svg)]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert b"<svg" in svg.read_bytes()[:2000]
    assert "from (-1, -1)" in out and "gradient noise 0.5 (seed 7)" in out
    assert "Adam (lr 0.05)" in out and "SGD (lr 0.01)" in out  # Himmelblau's own SGD rate


def test_a_diverging_path_is_reported_not_a_crash(capsys):
    assert main(["paths", "--optimizers", "sgd", "--lr", "sgd=5", "--steps", "50"]) == 0
    out = capsys.readouterr().out
    assert "stopped at step" in out and "diverged" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--function", "sphere"], "--function: unknown 'sphere'"),
        (["--optimizers", "sgd,lbfgs"], "--optimizers: unknown 'lbfgs'"),
        (["--optimizers", "sgd,sgd"], "--optimizers: each optimizer at most once"),
        (["--optimizers", ","], "--optimizers: name at least one"),
        (["--steps", "0"], "--steps: must be from 1 to 10000, got 0"),
        (["--steps", "many"], "--steps: 'many' is not a whole number"),
        (["--start", "1"], "--start: '1' is not X,Y"),
        (["--start", "nan,1"], "--start: must be a finite number"),
        (["--optimizers", "sgd", "--lr", "adam=0.1"], "--lr: adam is not among --optimizers"),
        (["--lr", "sgd"], "--lr: 'sgd' is not NAME=RATE"),
        (["--lr", "sgd=-1"], "--lr sgd: Input should be greater than 0"),
        (["--lr", "sgd=1e9"], "--lr sgd: Input should be less than or equal to 100"),
        (["--noise", "-1"], "--noise: must be from 0 to 1000"),
        (["--schedule", "warm"], "--schedule: unknown 'warm'"),
        (["--out", "paths.jpg"], "--out paths.jpg: must end in .png or .svg"),
        (["--csv", "paths.txt"], "--csv paths.txt: must end in .csv"),
    ],
)
def test_bad_input_is_one_line_naming_the_option_and_exit_2(argv, message, tmp_path, capsys):
    assert main(["paths", *argv]) == 2
    out, err = capsys.readouterr()
    assert err.splitlines() == [err.strip()] and err.startswith(f"error: {message}"), err
    assert "Traceback" not in err and not list(tmp_path.iterdir())


def test_an_unwritable_output_fails_with_one_line(tmp_path, capsys):
    folder = tmp_path / "taken.png"
    folder.mkdir()
    assert main(["paths", "--out", str(folder)]) == 2
    assert capsys.readouterr().err.startswith(f"error: --out {folder}: is a folder")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["paths", "--csv", str(blocker / "paths.csv")]) == 2  # as a bad --out
    err = capsys.readouterr().err
    assert err.startswith(f"error: --csv {blocker / 'paths.csv'}: cannot write") and "\n" == err[-1]


def test_the_help_tables_match_the_engine():
    # The command parses before importing torch; its lists must stay the engine's.
    assert paths_cli.FUNCTION_KEYS == tuple(FUNCTIONS)
    assert paths_cli.OPTIMIZER_KEYS == OPTIMIZERS
    assert paths_cli.SCHEDULE_KEYS == SCHEDULES


def test_help_answers_without_importing_torch():
    code = (
        "import sys\n"
        "from workbench.__main__ import main\n"
        "try:\n    main(['paths', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('torch' in sys.modules, 'matplotlib' in sys.modules)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert completed.stdout.splitlines()[-1] == "False False"
    assert "--function NAME" in completed.stdout and "figure 6-8" in completed.stdout
