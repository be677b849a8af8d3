"""The run store and its commands under faults: read-only stores, a full disk, orphan temporary
files, run ids SQLite cannot hold, exports that cannot be written.

Root ignores file permissions: where the tests run as root, a read-only store is simulated
the way a read-only mount shows (os.access says so, SQLite refuses to write), and SQLite's
read-only URIs do the refusing. For any other user the permissions are real.
"""

import errno
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from workbench import atomic
from workbench.core import RunStatus, fit
from workbench.runs import RunRecorder, RunStore, StoreError
from workbench.runs import store as store_module
from workbench.runs.cli import runs_command
from workbench.runs.store_files import remove_stale_parts


def _runs(capsys, data_dir, *args):
    code = runs_command(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _one_line_error(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    return lines[0]


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _crashed_run(folder: Path, make_experiment) -> int:
    """A store holding one finished run and one left `running` by a process that is gone."""
    store = RunStore(folder)
    experiment = make_experiment(name="finished")
    recorder = RunRecorder(store, experiment)
    recorder.finish(fit(experiment, [recorder]))
    crashed = store.create_run("crashed", experiment.to_dict(), {})
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE runs SET pid = ? WHERE id = ?", (_dead_pid(), crashed))
    db.close()
    return crashed


class _Failing:
    """A connection whose statements `fails(sql, parameters)` picks raise `error`."""

    def __init__(self, connection, fails, error):
        self._connection, self._fails, self._error = connection, fails, error

    def execute(self, sql, parameters=()):
        if self._fails(sql, parameters):
            raise sqlite3.OperationalError(self._error)
        return self._connection.execute(sql, parameters)

    def executemany(self, sql, rows):
        if self._fails(sql, None):
            raise sqlite3.OperationalError(self._error)
        return self._connection.executemany(sql, rows)

    def __getattr__(self, name):
        return getattr(self._connection, name)

    def __enter__(self):
        self._connection.__enter__()
        return self

    def __exit__(self, *exc):
        return self._connection.__exit__(*exc)


def _failing_connections(monkeypatch, fails, error, *, uri_too=True):
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        connection = real_connect(*args, **kwargs)
        if not uri_too and kwargs.get("uri"):
            return connection
        return _Failing(connection, fails, error)

    monkeypatch.setattr(store_module.sqlite3, "connect", connect)


def _is_write(sql, parameters):
    return sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER"))


def _make_read_only(folder: Path, monkeypatch) -> None:
    """Make the store's folder and files read-only, for real where permissions apply.

    Root writes whatever the permissions say, so for root the store is told so the way a
    read-only mount tells it (os.access), and SQLite's read-only URIs do the refusing. The
    -shm file SQLite would need to read through `mode=ro` is then made impossible to create
    (a folder in its place), as a read-only folder makes it for other users.
    """
    for path in folder.rglob("*"):
        path.chmod(0o555 if path.is_dir() else 0o444)
    folder.chmod(0o555)
    if os.geteuid() != 0:
        return
    (folder / "runs.sqlite3-shm").mkdir()
    real_access = os.access

    def access(path, mode, *args, **kwargs):
        inside = Path(path) == folder or folder in Path(path).parents
        return False if inside and mode & os.W_OK else real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


@pytest.fixture
def writable_again(tmp_path):
    """Give tmp_path its permissions back, so pytest can remove it."""
    yield
    for path in [tmp_path, *tmp_path.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)


def _read_and_refuse(folder: Path, crashed: int, capsys) -> RunStore:
    code, out, err = _runs(capsys, folder, "list", "--json")
    assert code == 0 and err == "", err
    # Shown as interrupted (its process is gone) without writing it so.
    assert {run["name"]: run["status"] for run in json.loads(out)} == {
        "finished": "completed",
        "crashed": "interrupted",
    }
    code, out, err = _runs(capsys, folder, "show", str(crashed))
    assert code == 0 and "crashed" in out, err
    store = RunStore(folder)
    assert store.read_only
    with pytest.raises(StoreError) as caught:
        store.create_run("new", {}, {})
    message = str(caught.value)
    assert str(store.path) in message and "read-only" in message and "\n" not in message
    recorder = RunRecorder(store, _experiment())
    assert recorder.run_id is None and "read-only" in recorder.error
    return store


def _experiment():
    from tests.conftest import small_experiment

    return small_experiment()


def _status_on_disk(store: RunStore, run_id: int) -> str:
    uri = store.path.resolve().as_uri() + "?immutable=1"
    db = sqlite3.connect(uri, uri=True)
    try:
        return db.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
    finally:
        db.close()


def test_a_read_only_store_holding_a_crashed_run_is_listed_and_refuses_writes(
    tmp_path, make_experiment, monkeypatch, capsys, writable_again
):
    crashed = _crashed_run(tmp_path, make_experiment)
    assert not (tmp_path / "runs.sqlite3-wal").exists()  # closed cleanly: no journal files
    _make_read_only(tmp_path, monkeypatch)
    store = _read_and_refuse(tmp_path, crashed, capsys)
    assert _status_on_disk(store, crashed) == "running"  # recovery skipped: nothing written


def test_a_read_only_store_is_read_and_never_written_in_process(tmp_path, make_experiment):
    """The read-only mode itself (SQLite's mode=ro URI), the same for root and for users."""
    crashed = _crashed_run(tmp_path, make_experiment)
    before = (tmp_path / "runs.sqlite3").read_bytes()
    store = RunStore(tmp_path, read_only=True)
    assert {run.name: run.status for run in store.list_runs()} == {
        "finished": "completed",
        "crashed": "interrupted",
    }
    assert store.get_run(crashed).name == "crashed"
    for write in (
        lambda: store.create_run("new", {}, {}),
        lambda: store.rename(crashed, "renamed"),
        lambda: store.delete(crashed),
    ):
        with pytest.raises(StoreError, match="read-only") as caught:
            write()
        assert str(store.path) in str(caught.value) and "\n" not in str(caught.value)
    assert (tmp_path / "runs.sqlite3").read_bytes() == before


def test_a_store_on_a_read_only_mount_that_looks_writable_opens_read_only(
    tmp_path, make_experiment, monkeypatch, capsys, writable_again
):
    """os.access cannot see every read-only store: the failed recovery write tells instead."""
    crashed = _crashed_run(tmp_path, make_experiment)
    for path in [*tmp_path.rglob("*"), tmp_path]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    monkeypatch.setattr(store_module.store_files, "looks_read_only", lambda *_: False)
    if os.geteuid() == 0:  # root writes anyway: SQLite refuses as on a read-only mount
        _failing_connections(
            monkeypatch, _is_write, "attempt to write a readonly database", uri_too=False
        )
    store = _read_and_refuse(tmp_path, crashed, capsys)
    assert _status_on_disk(store, crashed) == "running"


def test_a_store_that_fills_up_mid_run_records_the_run_as_incomplete(
    tmp_path, make_experiment, monkeypatch, capsys
):
    store = RunStore(tmp_path)
    _failing_connections(
        monkeypatch,
        lambda sql, parameters: "INTO epochs" in sql and parameters[1] >= 3,
        "database or disk is full",
    )
    experiment = make_experiment(training={"epochs": 8})
    recorder = RunRecorder(store, experiment)
    result = fit(experiment, [recorder])
    recorder.finish(result)
    monkeypatch.undo()
    assert result.status == RunStatus.COMPLETED and result.epochs_run == 8  # training went on
    warning = recorder.error
    assert "\n" not in warning and f"run {recorder.run_id}" in warning
    assert "incomplete" in warning and "epoch 3" in warning
    assert "database or disk is full" in warning and str(store.path) in warning
    record = RunStore(tmp_path).get_run(recorder.run_id)  # a fresh store: recovery ran
    assert record.status == "incomplete" and record.epochs_run == 2
    assert "database or disk is full" in record.record_error
    assert record.test is not None  # how the run ended is recorded all the same
    code, out, _ = _runs(capsys, tmp_path, "list")
    assert code == 0 and "incomplete" in out and "interrupted" not in out
    code, out, _ = _runs(capsys, tmp_path, "show", str(recorder.run_id))
    assert code == 0 and "incomplete" in out and "database or disk is full" in out
    shown = json.loads(_runs(capsys, tmp_path, "show", str(recorder.run_id), "--json")[1])
    assert shown["status"] == "incomplete" and shown["record_error"] == record.record_error


def _full_disk_writes(monkeypatch):
    """Every atomic write fails half-way with ENOSPC, as on a full disk."""

    def full_open(path, mode="r", *args, **kwargs):
        stream = open(path, mode, *args, **kwargs)  # noqa: SIM115
        if "w" not in mode:
            return stream
        real_write = stream.write

        def write(data):
            real_write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        stream.write = write
        return stream

    monkeypatch.setattr(atomic, "open", full_open, raising=False)


def test_weights_that_cannot_be_written_leave_an_incomplete_run_and_no_partial_file(
    tmp_path, make_experiment, monkeypatch
):
    store = RunStore(tmp_path)
    _full_disk_writes(monkeypatch)
    experiment = make_experiment(training={"epochs": 4})
    recorder = RunRecorder(store, experiment)
    result = fit(experiment, [recorder])
    recorder.finish(result)
    monkeypatch.undo()
    assert result.status == RunStatus.COMPLETED and result.epochs_run == 4
    assert "No space left on device" in recorder.error and "incomplete" in recorder.error
    record = store.get_run(recorder.run_id)
    assert record.status == "incomplete" and record.finished is not None
    assert not store.weights_path(recorder.run_id).exists()
    left = [p.name for p in (tmp_path / "weights").iterdir()]
    assert not [name for name in left if name.endswith((".part", ".partial"))], left


def test_orphan_temporary_files_are_removed_when_old_and_kept_when_young(tmp_path):
    RunStore(tmp_path)
    weights = tmp_path / "weights"
    old = [
        tmp_path / ".report.json.k2j3h4.part",
        weights / ".3.safetensors.abc123.part",
        weights / "3.evaluation.safetensors.partial",
    ]
    young = [tmp_path / ".report.json.fresh.part", weights / ".4.safetensors.now.part"]
    kept = [weights / "3.safetensors", tmp_path / "notes.part"]  # not temporary files
    two_hours_ago = time.time() - 7200
    for path in old + young + kept:
        path.write_bytes(b"x")
    for path in old + kept:
        os.utime(path, (two_hours_ago, two_hours_ago))
    RunStore(tmp_path)
    assert [path.exists() for path in old] == [False] * len(old)
    assert all(path.exists() for path in young + kept)
    assert remove_stale_parts([tmp_path, weights], older_than_s=0) == len(young)


@pytest.mark.parametrize("command", ["show", "test", "export"])
@pytest.mark.parametrize(
    "run_id", ["99999999999999999999999", "9223372036854775808", "²", "١", "1_0", " 7", "-1", ""]
)
def test_run_ids_are_parsed_strictly_in_one_line(tmp_path, capsys, command, run_id):
    RunStore(tmp_path)
    extra = ["--format", "safetensors", "--out", str(tmp_path / "m.st")] * (command == "export")
    code, _, err = _runs(capsys, tmp_path, command, run_id, *extra)
    line = _one_line_error(err)
    assert code == 2 and "not a run id" in line


def test_the_store_names_no_run_for_an_id_sqlite_cannot_hold(tmp_path):
    with pytest.raises(StoreError, match="no run"):
        RunStore(tmp_path).get_run(10**30)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """A store with one small finished run to export."""
    from tests.conftest import small_experiment

    folder = tmp_path_factory.mktemp("recorded")
    store = RunStore(folder)
    experiment = small_experiment(training={"epochs": 2})
    recorder = RunRecorder(store, experiment)
    recorder.finish(fit(experiment, [recorder]))
    return folder, recorder.run_id


@pytest.mark.parametrize("fmt", ["safetensors", "torchscript"])
def test_an_export_to_a_full_disk_is_one_line_and_leaves_the_old_file(
    recorded, tmp_path, capsys, monkeypatch, fmt
):
    folder, run_id = recorded
    out = tmp_path / "model.bin"
    out.write_bytes(b"the previous export")
    _full_disk_writes(monkeypatch)
    code, _, err = _runs(capsys, folder, "export", str(run_id), "--format", fmt, "--out", str(out))
    line = _one_line_error(err)
    assert code == 2 and str(out) in line and "No space left on device" in line
    assert out.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.bin"]  # no partial file


@pytest.mark.parametrize("fmt", ["safetensors", "torchscript"])
def test_an_export_onto_a_folder_or_under_a_file_is_one_line(recorded, tmp_path, capsys, fmt):
    folder, run_id = recorded
    target = tmp_path / "a-folder"
    target.mkdir()
    code, _, err = _runs(
        capsys, folder, "export", str(run_id), "--format", fmt, "--out", str(target)
    )
    assert code == 2 and "is a folder" in _one_line_error(err)
    assert list(target.iterdir()) == []
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    code, _, err = _runs(
        capsys, folder, "export", str(run_id), "--format", fmt, "--out", str(a_file / "m.pt")
    )
    assert code == 2 and str(a_file / "m.pt") in _one_line_error(err)


def test_an_export_still_writes_a_loadable_model(recorded, tmp_path, capsys):
    folder, run_id = recorded
    out = tmp_path / "m.pt"
    code, _, err = _runs(
        capsys, folder, "export", str(run_id), "--format", "torchscript", "--out", str(out)
    )
    assert code == 0, err
    assert torch.jit.load(str(out))(torch.zeros(1, 64)).shape == (1, 10)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.pt", "m.toml"]
