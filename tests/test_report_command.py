"""`workbench report RUN --format html|pdf|json|csv --out PATH`, from the store or a folder."""

import csv
import json
import re

import pytest

from workbench.__main__ import main
from workbench.config import save_experiment


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """One digits run, recorded in a store and written to a folder by `workbench run`."""
    from tests.conftest import small_experiment

    root = tmp_path_factory.mktemp("report-command")
    experiment = root / "exp.toml"
    save_experiment(small_experiment(name="<b>bold</b> run"), experiment)
    store, folder = root / "store", root / "out"
    assert main(["run", str(experiment), "--out", str(folder), "--data-dir", str(store)]) == 0
    return store, folder


@pytest.mark.parametrize("fmt", ["html", "json", "csv", "pdf"])
def test_every_format_from_a_run_id(recorded, tmp_path, fmt, capsys):
    store, _ = recorded
    out = tmp_path / f"report.{fmt}"
    assert main(["report", "1", "--format", fmt, "--out", str(out), "--data-dir", str(store)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    data = out.read_bytes()
    if fmt == "html":
        text = data.decode()
        assert "&lt;b&gt;bold&lt;/b&gt; run" in text and "<b>bold</b>" not in text
        assert not re.search(r"https?://", text)
    elif fmt == "json":
        report = json.loads(data)
        assert report["run_id"] == 1 and report["test"]["accuracy"] > 0.5
    elif fmt == "csv":
        rows = list(csv.DictReader(out.open()))
        assert [int(r["epoch"]) for r in rows] == [1, 2, 3]
        assert (tmp_path / "report_per_class.csv").exists()
    else:
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def test_the_format_follows_the_outs_suffix_and_may_not_contradict_it(recorded, tmp_path, capsys):
    """`--out r.pdf` once wrote an HTML page named r.pdf."""
    store, _ = recorded
    out = tmp_path / "r.json"
    assert main(["report", "1", "--out", str(out), "--data-dir", str(store)]) == 0
    assert json.loads(out.read_text())["run_id"] == 1
    wrong = tmp_path / "r.html"
    argv = ["report", "1", "--format", "json", "--out", str(wrong), "--data-dir", str(store)]
    capsys.readouterr()
    assert main(argv) == 2 and not wrong.exists()
    assert capsys.readouterr().err == (
        f"error: --out {wrong}: a html name for a json report; name it .json\n"
    )


def test_the_folder_and_the_store_give_the_same_json(recorded, tmp_path):
    store, folder = recorded
    by_id, by_folder = tmp_path / "id.json", tmp_path / "folder.json"
    argv = ["report", "1", "--format", "json", "--out", str(by_id), "--data-dir", str(store)]
    assert main(argv) == 0
    assert main(["report", str(folder), "--format", "json", "--out", str(by_folder)]) == 0
    from_store, from_folder = json.loads(by_id.read_text()), json.loads(by_folder.read_text())
    for report in (from_store, from_folder):
        for epoch in report["history"]:
            epoch.pop("seconds")
    # The store keeps what the folder's report.json holds, key for key.
    assert from_store == from_folder


def test_several_runs_make_a_comparison(recorded, tmp_path):
    store, folder = recorded
    out = tmp_path / "compare.html"
    argv = ["report", "1", str(folder), "--format", "html", "--out", str(out)]
    assert main([*argv, "--data-dir", str(store)]) == 0
    assert out.read_text().count("&lt;b&gt;bold&lt;/b&gt; run") >= 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "42", "--out", "x.html"], "no run 42"),
        (["report", "not-a-run", "--out", "x.html"], "neither a run id nor a folder"),
        (["report", "1", "1", "--format", "csv", "--out", "x.csv"], "html or pdf"),
    ],
)
def test_bad_runs_exit_2_with_one_line(recorded, tmp_path, capsys, argv, message):
    store, _ = recorded
    assert main([*argv, "--data-dir", str(store)]) == 2
    error = capsys.readouterr().err.strip()
    assert message in error and "\n" not in error


@pytest.fixture(scope="module")
def recorded_plane(tmp_path_factory):
    """A short spiral run (2-D data), recorded in a store and written to a folder."""
    from tests.conftest import small_experiment

    root = tmp_path_factory.mktemp("report-command-2d")
    experiment = root / "spiral.toml"
    spiral = small_experiment(
        name="spiral",
        data={"source": "spiral", "samples": 300, "noise": 0.1},
        training={"epochs": 4, "batch_size": 50},
    )
    save_experiment(spiral, experiment)
    store, folder = root / "store", root / "out"
    assert main(["run", str(experiment), "--out", str(folder), "--data-dir", str(store)]) == 0
    return store, folder


def test_a_2d_runs_report_from_the_store_has_the_runs_decision_boundary(
    recorded_plane, tmp_path, capsys
):
    store, folder = recorded_plane
    by_id, by_folder = tmp_path / "id.json", tmp_path / "folder.json"
    argv = ["report", "1", "--format", "json", "--out", str(by_id), "--data-dir", str(store)]
    assert main(argv) == 0
    assert main(["report", str(folder), "--format", "json", "--out", str(by_folder)]) == 0
    from_store, from_folder = json.loads(by_id.read_text()), json.loads(by_folder.read_text())
    entry = from_folder["decision_boundary"]
    # A tested run: its grid, its training, validation and test points.
    assert len(entry["classes"]) == 100 and set(entry["points"]) == {"train", "validation", "test"}
    for report in (from_store, from_folder):
        for epoch in report["history"]:
            epoch.pop("seconds")
    assert from_store == from_folder
    # The HTML page from the store draws the figure.
    page = tmp_path / "report.html"
    argv = ["report", "1", "--format", "html", "--out", str(page), "--data-dir", str(store)]
    assert main(argv) == 0
    assert 'id="decision-boundary"' in page.read_text()
    # `runs show --json` prints it beside the run's other looks (probes, diagnoses).
    capsys.readouterr()
    assert main(["runs", "--data-dir", str(store), "show", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["decision_boundary"] == entry


def test_a_runs_show_json_has_no_boundary_for_other_data(recorded, capsys):
    store, _ = recorded
    assert main(["runs", "--data-dir", str(store), "show", "1", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert "decision_boundary" in shown and shown["decision_boundary"] is None
