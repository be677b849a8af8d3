"""The run store: round trip, crash recovery, schema versions, and the runs commands."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
import torch

from workbench.core import RunStatus, fit
from workbench.core.events import EPOCH_VALUES, EpochMetrics
from workbench.runs import RunRecorder, RunStore, StoreError
from workbench.runs.store import SCHEMA_VERSION


def test_a_run_round_trips_through_the_store(tmp_path, make_experiment):
    store = RunStore(tmp_path)
    experiment = make_experiment(training={"epochs": 4})
    recorder = RunRecorder(store, experiment)
    result = fit(experiment, [recorder])
    recorder.finish(result)
    assert recorder.error is None
    record = RunStore(tmp_path).get_run(recorder.run_id)  # a fresh store: read from disk
    assert record.status == "completed" and record.epochs_run == 4
    assert [h["val_loss"] for h in record.history] == [m.val_loss for m in result.history]
    assert record.config == experiment.to_dict()
    assert record.test["accuracy"] == result.test.accuracy
    assert record.best_epoch == result.best_epoch
    weights = store.load_best_weights(record.id)
    for key, value in result.weights.items():  # restore_best: the tested weights are the best
        assert torch.equal(weights[key], value)
    store.rename(record.id, "renamed")
    store.set_tags(record.id, ["baseline", "adam"])
    listed = store.list_runs()[0]
    assert (listed.name, listed.tags, listed.epochs_run) == ("renamed", ("baseline", "adam"), 4)
    store.delete(record.id)
    assert store.list_runs() == [] and not store.weights_path(record.id).exists()


def test_nan_metrics_are_stored_as_null(tmp_path):
    store = RunStore(tmp_path)
    run_id = store.create_run("nan", {}, {})
    store.add_epoch(run_id, EpochMetrics(1, 1, float("nan"), 0.1, float("inf"), 0.1, 0.1, 0.5))
    history = store.get_run(run_id).history
    assert history[0]["train_loss"] is None and history[0]["val_loss"] is None


def test_the_epochs_table_holds_every_value_an_epoch_measures(tmp_path):
    # The store reads and writes EpochMetrics' values by name; its schema SQL is frozen, so a
    # new field of EpochMetrics must come with a migration that adds its column.
    store = RunStore(tmp_path)
    store.create_run("columns", {}, {})
    with sqlite3.connect(store.path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(epochs)")]
    assert columns == ["run_id", "epoch", *EPOCH_VALUES]


def test_a_killed_run_is_recovered_as_interrupted_with_its_epochs_and_weights(tmp_path):
    experiment = tmp_path / "long.toml"
    experiment.write_text(
        'name = "long"\n[training]\nepochs = 100000\ndevice = "cpu"\n'
        "[early_stopping]\nenabled = false\n"
    )
    store_dir = tmp_path / "store"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workbench",
            "run",
            str(experiment),
            "--out",
            str(tmp_path),
            "--data-dir",
            str(store_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline, line = time.monotonic() + 90, ""
        while not line.startswith("epoch 6/") and time.monotonic() < deadline:
            line = process.stdout.readline()
        assert line.startswith("epoch 6/")
        os.kill(process.pid, signal.SIGKILL)  # no clean-up of any kind
        process.wait(30)
    finally:
        process.kill()
    store = RunStore(store_dir)  # opening recovers runs whose process is gone
    record = store.list_runs(with_history=True)[0]
    assert record.status == "interrupted"
    assert [h["epoch"] for h in record.history][:6] == [1, 2, 3, 4, 5, 6]
    assert record.best_epoch is not None and record.best_epoch <= record.epochs_run
    assert store.load_best_weights(record.id)  # the best so far, from safetensors


def test_a_newer_schema_and_a_corrupt_file_are_refused_in_one_line(tmp_path):
    newer = tmp_path / "newer"
    RunStore(newer)
    with sqlite3.connect(newer / "runs.sqlite3") as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="made by a newer workbench"):
        RunStore(newer)
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "runs.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError) as caught:
        RunStore(corrupt)
    assert "runs.sqlite3" in str(caught.value) and "\n" not in str(caught.value)


def test_a_failing_store_does_not_stop_training(tmp_path, make_experiment, monkeypatch):
    store = RunStore(tmp_path)

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(store, "add_epoch", disk_full)
    experiment = make_experiment()
    recorder = RunRecorder(store, experiment)
    result = fit(experiment, [recorder])
    assert result.status == RunStatus.COMPLETED and result.epochs_run == 3
    assert "No space left on device" in recorder.error


class _Completed:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def cli(capsys):
    """`workbench runs ...` in this process: the entry point itself is tested elsewhere."""
    from workbench.runs.cli import runs_command

    def run(*args, data_dir):
        code = runs_command(["--data-dir", str(data_dir), *args])
        captured = capsys.readouterr()
        return _Completed(code, captured.out, captured.err)

    return run


def test_runs_commands_list_show_and_export(tmp_path, make_experiment, cli):
    store = RunStore(tmp_path)
    experiment = make_experiment(name="listed")
    recorder = RunRecorder(store, experiment)
    recorder.finish(fit(experiment, [recorder]))
    listed = json.loads(cli("list", "--json", data_dir=tmp_path).stdout)
    assert listed[0]["id"] == recorder.run_id and listed[0]["name"] == "listed"
    assert {"status", "epochs_run", "best_val_accuracy", "test_accuracy"} <= set(listed[0])
    shown = json.loads(cli("show", str(recorder.run_id), "--json", data_dir=tmp_path).stdout)
    assert len(shown["history"]) == 3 and shown["config"]["name"] == "listed"
    for fmt, name in (("safetensors", "m.safetensors"), ("torchscript", "m.pt")):
        done = cli(
            "export",
            str(recorder.run_id),
            "--format",
            fmt,
            "--out",
            str(tmp_path / name),
            data_dir=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        assert (tmp_path / name).stat().st_size > 0 and (tmp_path / "m.toml").exists()
    scripted = torch.jit.load(str(tmp_path / "m.pt"))
    assert scripted(torch.zeros(2, 64)).shape == (2, 10)
    missing = cli("show", "999", data_dir=tmp_path)
    assert missing.returncode == 2 and "no run 999" in missing.stderr


def test_an_export_does_not_replace_a_persons_own_experiment_file(tmp_path, make_experiment, cli):
    """The model's .toml beside it once silently replaced a file of the same name."""
    store = RunStore(tmp_path / "store")
    experiment = make_experiment(name="exported")
    recorder = RunRecorder(store, experiment)
    recorder.finish(fit(experiment, [recorder]))
    mine = tmp_path / "mine.toml"
    mine.write_text('name = "my own"\n')
    out = str(tmp_path / "mine.pt")
    done = cli(
        "export",
        str(recorder.run_id),
        "--format",
        "torchscript",
        "--out",
        out,
        data_dir=store.folder,
    )
    assert done.returncode == 2 and done.stderr.startswith(f"error: {mine}: exists and holds")
    assert mine.read_text() == 'name = "my own"\n' and not (tmp_path / "mine.pt").exists()
    mine.unlink()
    for _ in range(2):  # its own experiment again is no conflict
        argv = ["export", str(recorder.run_id), "--format", "torchscript", "--out", out]
        again = cli(*argv, data_dir=store.folder)
        assert again.returncode == 0, again.stderr


def test_damaged_weights_are_named_when_exported(tmp_path, make_experiment, cli):
    store = RunStore(tmp_path / "store")
    experiment = make_experiment(name="damaged")
    recorder = RunRecorder(store, experiment)
    recorder.finish(fit(experiment, [recorder]))
    weights = store.weights_path(recorder.run_id)
    weights.write_bytes(b"junk")
    argv = ["export", str(recorder.run_id), "--format", "safetensors"]
    done = cli(*argv, "--out", str(tmp_path / "m.safetensors"), data_dir=store.folder)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {weights}: unreadable weights: "), done.stderr


def test_onnx_export_with_the_optional_extra(tmp_path, make_experiment, cli):
    pytest.importorskip("onnxscript", reason="the optional onnx extra is not installed")
    onnx = pytest.importorskip("onnx")
    store = RunStore(tmp_path)
    experiment = make_experiment()
    recorder = RunRecorder(store, experiment)
    recorder.finish(fit(experiment, [recorder]))
    out = tmp_path / "model.onnx"
    done = cli(
        "export", str(recorder.run_id), "--format", "onnx", "--out", str(out), data_dir=tmp_path
    )
    assert done.returncode == 0, done.stderr
    graph = onnx.load(str(out)).graph
    assert graph.input[0].name == "features"


def test_a_v1_database_migrates_to_v2_keeping_its_runs(tmp_path):
    from workbench.runs import store as store_module

    # A database exactly as schema 1 made it, with one finished run.
    with sqlite3.connect(tmp_path / "runs.sqlite3") as db:
        db.executescript(store_module._MIGRATIONS[1])
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO runs (name, created, status, config, environment) "
            "VALUES ('old run', 0, 'completed', '{}', '{}')"
        )
        db.execute("INSERT INTO epochs (run_id, epoch, val_accuracy) VALUES (1, 1, 0.5)")
    migrated = RunStore(tmp_path)
    with sqlite3.connect(migrated.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
        columns = [row[1] for row in db.execute("PRAGMA table_info(runs)")]
    assert "test_split" in columns
    record = migrated.get_run(1)
    assert (record.name, record.status, record.epochs_run) == ("old run", "completed", 1)
    assert migrated.test_evaluations("anything") == 0


def test_the_migration_mechanism_applies_a_future_schema(tmp_path, monkeypatch, make_experiment):
    from workbench.runs import store as store_module

    current = RunStore(tmp_path)
    experiment = make_experiment()
    recorder = RunRecorder(current, experiment)
    recorder.finish(fit(experiment, [recorder]))
    # A future schema that adds a column: the same mechanism a real migration uses.
    future = store_module.SCHEMA_VERSION + 1
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", future)
    monkeypatch.setitem(
        store_module._MIGRATIONS, future, "ALTER TABLE runs ADD COLUMN notes TEXT DEFAULT ''"
    )
    migrated = RunStore(tmp_path)
    with sqlite3.connect(migrated.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == future
        columns = [row[1] for row in db.execute("PRAGMA table_info(runs)")]
    assert "notes" in columns
    record = migrated.get_run(recorder.run_id)
    assert record.status == "completed" and record.epochs_run == 3


def test_a_diverged_run_keeps_why_in_the_store(tmp_path, make_experiment, cli):
    store = RunStore(tmp_path)
    experiment = make_experiment(optimizer={"name": "sgd", "lr": 10.0})
    recorder = RunRecorder(store, experiment)
    result = fit(experiment, [recorder])
    recorder.finish(result)
    record = RunStore(tmp_path).get_run(recorder.run_id)
    assert record.status == "diverged"
    assert record.divergence["epoch"] == 1 and record.divergence["lr"] == 10.0
    assert record.divergence["message"] == result.divergence.describe()
    shown = cli("show", str(recorder.run_id), data_dir=tmp_path).stdout
    assert result.divergence.describe() in shown
    shown = json.loads(cli("show", str(recorder.run_id), "--json", data_dir=tmp_path).stdout)
    assert shown["divergence"]["message"] == result.divergence.describe()
    # Other runs have none.
    healthy = RunRecorder(store, make_experiment())
    healthy.finish(fit(make_experiment(), [healthy]))
    assert store.get_run(healthy.run_id).divergence is None


def test_runs_list_names_its_accuracy_the_one_at_the_best_epoch(tmp_path, make_experiment, cli):
    store = RunStore(tmp_path)
    experiment = make_experiment(training={"epochs": 4})
    recorder = RunRecorder(store, experiment)
    result = fit(experiment, [recorder])
    recorder.finish(result)
    at_best = result.history[result.best_epoch - 1].val_accuracy
    record = store.get_run(recorder.run_id)
    assert record.best_val_accuracy == pytest.approx(at_best)
    lines = cli("list", data_dir=tmp_path).stdout.splitlines()
    assert lines[0].split()[-6:] == ["best", "epoch", "val", "acc@best", "test", "acc"]
    assert "val acc@best" in lines[0]
    row = lines[1].split()
    assert row[-3:-1] == [str(result.best_epoch), f"{at_best:.4f}"]
    assert lines[-1].startswith("val acc@best = validation accuracy at the best epoch")


def test_a_v3_database_migrates_to_the_current_schema_keeping_its_runs(tmp_path):
    from workbench.runs import store as store_module

    with sqlite3.connect(tmp_path / "runs.sqlite3") as db:
        for version in (1, 2, 3):
            db.executescript(store_module._MIGRATIONS[version])
        db.execute("PRAGMA user_version = 3")
        db.execute(
            "INSERT INTO runs (name, created, status, config, environment) "
            "VALUES ('old run', 0, 'diverged', '{}', '{}')"
        )
    migrated = RunStore(tmp_path)
    record = migrated.get_run(1)
    assert (record.name, record.status, record.divergence) == ("old run", "diverged", None)
    with sqlite3.connect(migrated.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION


def test_a_v4_database_dates_its_test_looks_to_the_end_of_their_runs(tmp_path):
    """Before version 5 runs were tested as they finished: the order of looks is kept."""
    from workbench.runs import store as store_module

    with sqlite3.connect(tmp_path / "runs.sqlite3") as db:
        for version in (1, 2, 3, 4):
            db.executescript(store_module._MIGRATIONS[version])
        db.execute("PRAGMA user_version = 4")
        for name, finished in (("second", 20.0), ("first", 10.0), ("untested", 30.0)):
            test = None if name == "untested" else '{"accuracy": 0.9}'
            db.execute(
                "INSERT INTO runs (name, created, finished, status, config, environment, test, "
                "test_split) VALUES (?, 0, ?, 'completed', '{}', '{}', ?, 'split-a')",
                (name, finished, test),
            )
    migrated = RunStore(tmp_path)
    assert migrated.test_evaluations("split-a") == 2
    assert migrated.test_evaluations("split-a", up_to_run=2) == 1  # "first", finished first
    assert migrated.test_evaluations("split-a", up_to_run=1) == 2


def _probe_snapshot(epoch: int):
    import numpy as np

    from workbench.core.probe_types import Histogram, LayerProbe, ProbeSnapshot

    counts = np.arange(10, dtype=np.int64) * (epoch + 1)
    layer = LayerProbe(
        name="1 dense (relu)",
        activation="relu",
        activations=Histogram(np.linspace(0, 5, 11), counts),
        mean=0.4,
        std=float("nan") if epoch == 2 else 0.3,  # a diverged look: stored as null
        dead_share=0.1,
        saturated_share=None,
        weights=Histogram(np.linspace(-1, 1, 5), np.array([1, 2, 3, 4])),
        grad_norm=None if epoch == 0 else 0.5 / epoch,
        update_ratio=None if epoch == 0 else 0.01,
        gradients=None,
    )
    return ProbeSnapshot(epoch=epoch, step=epoch * 7, layers=(layer,))


def test_a_runs_looks_inside_the_network_are_kept_and_read_back(tmp_path, make_experiment):
    import math

    import numpy as np

    store = RunStore(tmp_path)
    run_id = store.create_run("probed", make_experiment().to_dict(), {})
    for epoch in (0, 1, 2):
        store.add_probe(run_id, _probe_snapshot(epoch))
    store.add_probe(run_id, _probe_snapshot(1))  # the epoch's last look replaces the earlier
    again = RunStore(tmp_path).probes(run_id)
    assert [s.epoch for s in again] == [0, 1, 2]
    first, second, third = again
    np.testing.assert_array_equal(second.layers[0].activations.counts, np.arange(10) * 2)
    np.testing.assert_allclose(second.layers[0].activations.edges, np.linspace(0, 5, 11))
    assert first.layers[0].grad_norm is None and second.layers[0].grad_norm == 0.5
    assert math.isnan(third.layers[0].std)
    assert store.probes(run_id + 1) == []
    store.delete(run_id)
    assert store.probes(run_id) == []


def test_a_damaged_probe_row_is_left_out_not_fatal(tmp_path, make_experiment):
    store = RunStore(tmp_path)
    run_id = store.create_run("probed", make_experiment().to_dict(), {})
    store.add_probe(run_id, _probe_snapshot(0))
    with sqlite3.connect(store.path) as db:
        db.execute("INSERT INTO probes VALUES (?, 1, ?)", (run_id, b"not zlib"))
    assert [s.epoch for s in store.probes(run_id)] == [0]


def test_a_v6_database_migrates_to_v7_and_its_runs_have_no_probes(tmp_path):
    from workbench.runs import store as store_module

    with sqlite3.connect(tmp_path / "runs.sqlite3") as db:
        for version in range(1, 7):
            db.executescript(store_module._MIGRATIONS[version])
        db.execute("PRAGMA user_version = 6")
        db.execute(
            "INSERT INTO runs (name, created, status, config, environment) "
            "VALUES ('old run', 0, 'completed', '{}', '{}')"
        )
    migrated = RunStore(tmp_path)
    assert migrated.get_run(1).name == "old run"
    assert migrated.probes(1) == []
    migrated.add_probe(1, _probe_snapshot(0))
    assert len(migrated.probes(1)) == 1


def _boundary_section(epoch: int = 3, test: bool = False) -> dict:
    """A small `decision_boundary` section, as report/boundary.py writes one."""
    points = {"train": {"x": [0.1, -0.25], "y": [0.5, 1e-7], "class": [0, 1]}}
    if test:
        points["test"] = {"x": [0.3], "y": [-1.5], "class": [1]}
    return {
        "epoch": epoch,
        "x": [0.1, 0.2, 0.3],
        "y": [0.5, 1.5],
        "classes": ["011", "1-1"],
        "confidence": ["909", "550"],
        "points": points,
    }


def test_a_runs_decision_boundary_is_kept_with_its_ending_and_read_back(tmp_path, make_experiment):
    store = RunStore(tmp_path)
    experiment = make_experiment(training={"epochs": 1})
    result = fit(experiment)
    plane, other = (store.create_run(name, experiment.to_dict(), {}) for name in ("2-D", "not"))
    store.finish(plane, result, boundary=_boundary_section())
    store.finish(other, result)
    again = RunStore(tmp_path)  # read from disk
    assert again.boundary(plane) == _boundary_section()
    assert again.boundary(other) is None and again.boundary(other + 1) is None
    # A test evaluation made later replaces it with the section that draws the test points.
    store.record_test(plane, result, boundary=_boundary_section(test=True))
    assert store.boundary(plane) == _boundary_section(test=True)
    store.record_test(other, result)
    assert store.boundary(other) is None
    store.delete(plane)
    assert store.boundary(plane) is None
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT COUNT(*) FROM boundaries").fetchone()[0] == 0


def test_a_damaged_boundary_row_is_left_out_not_fatal(tmp_path, make_experiment):
    store = RunStore(tmp_path)
    run_id = store.create_run("2-D", make_experiment().to_dict(), {})
    with sqlite3.connect(store.path) as db:
        db.execute("INSERT INTO boundaries VALUES (?, ?)", (run_id, b"not zlib"))
    assert store.boundary(run_id) is None
    assert store.get_run(run_id).name == "2-D"


def _old_store(folder, version: int) -> None:
    """A store made by the workbench of schema `version`, holding one finished run."""
    from workbench.runs import store as store_module

    with sqlite3.connect(folder / "runs.sqlite3") as db:
        for step in range(1, version + 1):
            db.executescript(store_module._MIGRATIONS[step])
        db.execute(f"PRAGMA user_version = {version}")
        db.execute(
            "INSERT INTO runs (name, created, status, config, environment) "
            "VALUES ('old run', 0, 'completed', '{}', '{}')"
        )


def test_a_v7_database_migrates_to_v8_and_its_runs_have_no_boundary(tmp_path, make_experiment):
    _old_store(tmp_path, 7)
    migrated = RunStore(tmp_path)
    with sqlite3.connect(migrated.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 8
    assert migrated.get_run(1).name == "old run"
    assert migrated.boundary(1) is None
    migrated.record_test(1, fit(make_experiment(training={"epochs": 1})), boundary={"epoch": 1})
    assert migrated.boundary(1) == {"epoch": 1}


@pytest.mark.parametrize("version", [6, 7])
def test_a_read_only_older_store_shows_its_runs_without_the_newer_tables(tmp_path, version):
    """It cannot be migrated: what it lacks (probes before 7, boundaries before 8) is empty."""
    _old_store(tmp_path, version)
    store = RunStore(tmp_path, read_only=True)
    assert store.schema_version == version
    assert store.get_run(1).name == "old run"
    assert store.probes(1) == [] and store.boundary(1) is None
