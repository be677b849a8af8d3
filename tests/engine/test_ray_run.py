"""A run trained on a Ray cluster (`workbench run FILE --ray`, workbench.runs.ray_run), on a
local Ray instance started by the tests (a few seconds, once for the module): the same run as
here, its events in order, recorded here; Stop; a worker killed mid-run; an address where
nothing listens. Skipped where Ray is not installed (the `cluster` extra)."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import torch

from tests.conftest import small_experiment
from workbench.core import RunStatus
from workbench.core.events import Callback
from workbench.runs import RunStore
from workbench.runs.session import train_and_record

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[cluster]')")

pytestmark = pytest.mark.ray


@pytest.fixture
def cluster(ray_cluster):
    return ray_cluster


class Collect(Callback):
    def __init__(self, on_epoch=None):
        self.epochs, self.batches, self.on_epoch = [], 0, on_epoch

    def on_epoch_end(self, metrics):
        self.epochs.append(metrics)
        if self.on_epoch is not None:
            self.on_epoch(metrics)

    def on_batch_end(self, progress):
        self.batches += 1


def test_a_run_on_the_cluster_equals_the_run_here_and_is_recorded_here(cluster, tmp_path):
    from workbench.runs.ray_run import train_on_ray

    experiment = small_experiment(training={"epochs": 3})
    store = RunStore(tmp_path)
    seen = Collect()
    there = train_on_ray(experiment, store, [seen], threading.Event(), evaluate_test=True)
    before = torch.get_num_threads()
    torch.set_num_threads(1)  # as the task trains (one CPU asked)
    try:
        here = train_and_record(experiment, None, evaluate_test=True)
    finally:
        torch.set_num_threads(before)

    assert there.result.status is RunStatus.COMPLETED
    assert [m.epoch for m in seen.epochs] == [1, 2, 3] and seen.batches >= 3
    for remote, local in zip(there.result.history, here.result.history, strict=True):
        assert remote.val_loss == pytest.approx(local.val_loss, rel=1e-5)
    assert there.result.test.accuracy == pytest.approx(here.result.test.accuracy, abs=1e-9)
    for name, tensor in here.result.weights.items():
        assert torch.allclose(there.result.weights[name], tensor, atol=1e-6)
    # Recorded in this machine's store: epochs, the end, the kept weights, the test.
    record = store.get_run(there.run_id)
    assert record.status == "completed" and len(record.history) == 3
    assert record.test is not None and record.test["accuracy"] == there.result.test.accuracy
    assert store.weights_path(there.run_id).is_file()
    assert there.test_evaluations == 1 and there.record_error is None
    # Its score in the run list (`workbench runs list`), as a run trained here has one.
    (listed,) = [run for run in store.list_runs() if run.id == there.run_id]
    best = there.result.best_epoch
    assert listed.best_epoch == best and best is not None
    assert listed.best_val_accuracy == there.result.history[best - 1].val_accuracy


def test_stop_here_stops_the_run_there(cluster, tmp_path):
    from workbench.runs.ray_run import train_on_ray

    stop = threading.Event()
    experiment = small_experiment(training={"epochs": 300, "batch_size": 16})
    outcome = train_on_ray(
        experiment, RunStore(tmp_path), [Collect(lambda m: stop.set())], stop, evaluate_test=False
    )
    assert outcome.result.status is RunStatus.STOPPED
    assert 1 <= outcome.result.epochs_run < 300
    assert RunStore(tmp_path).get_run(outcome.run_id).status == "stopped"


def _kill_the_task_worker(metrics):
    # Ray names the process running a task after its function ("ray::_train_remotely").
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"ray::_train_remotely" in command:
            os.kill(int(entry.name), signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the worker through /proc")
def test_a_worker_killed_mid_run_ends_it_failed_with_its_epochs_kept(cluster, tmp_path):
    from workbench.runs.ray_run import train_on_ray

    store = RunStore(tmp_path)
    experiment = small_experiment(training={"epochs": 300, "batch_size": 16})
    seen = Collect(_kill_the_task_worker)
    outcome = train_on_ray(experiment, store, [seen], threading.Event(), evaluate_test=False)
    assert outcome.result.status is RunStatus.FAILED
    assert outcome.result.error.startswith("the run on the cluster ended: ")
    kept = [m.epoch for m in outcome.result.history]
    assert kept and kept == [m.epoch for m in seen.epochs]
    record = store.get_run(outcome.run_id)
    assert record.status == "failed" and [h["epoch"] for h in record.history] == kept


def test_an_address_where_nothing_listens_is_one_line_and_records_nothing(tmp_path):
    path = tmp_path / "e.toml"
    path.write_text('name = "far"\n[training]\nepochs = 1\ndevice = "cpu"\n', encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "workbench", "run", str(path), "--ray", "127.0.0.1:9"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "WORKBENCH_DATA_DIR": str(tmp_path / "store")},
        cwd=tmp_path,
    )
    assert completed.returncode == 2
    assert completed.stderr.startswith("error: --ray 127.0.0.1:9: cannot reach the cluster")
    assert len(completed.stderr.strip().splitlines()) == 1
    assert (
        not (tmp_path / "store" / "runs.sqlite3").exists()
        or not RunStore(tmp_path / "store").list_runs()
    )
    assert not (tmp_path / "runs").exists()


def _wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()


def test_ctrl_c_twice_cancels_the_task_on_the_cluster(cluster, tmp_path):
    # The command joins this module's Ray instance as a second driver, as a machine would.
    address = ray.get_runtime_context().gcs_address
    cpus = ray.cluster_resources()["CPU"]
    path = tmp_path / "e.toml"
    path.write_text(
        'name = "long"\n[training]\nepochs = 100000\nbatch_size = 16\ndevice = "cpu"\n',
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench", "run", str(path), "--ray", address],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "WORKBENCH_DATA_DIR": str(tmp_path / "store")},
        cwd=tmp_path,
    )
    try:
        deadline, line = time.monotonic() + 90, ""
        while not line.startswith("epoch 2/") and time.monotonic() < deadline:
            line = process.stdout.readline()
        assert line.startswith("epoch 2/"), process.stderr.read()
        process.send_signal(signal.SIGINT)
        # The first Ctrl+C has been handled once it says so; the second comes before the
        # task has seen the stop (it looks every 0.25 s).
        said = process.stderr.readline()
        assert said.startswith("stopping after this batch"), said
        process.send_signal(signal.SIGINT)
        _stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and stderr.strip().startswith("aborted"), stderr
    (record,) = RunStore(tmp_path / "store").list_runs()
    assert record.status == "interrupted" and record.epochs_run >= 2
    # Nothing goes on training there (the command's exit alone would also end its task:
    # the test below sees the cancel itself, with its driver still connected).
    assert _wait_for(lambda: ray.available_resources().get("CPU", 0) == cpus, 15)


def test_an_interrupt_here_cancels_the_task_there_at_once(cluster, tmp_path):
    from workbench.runs.ray_run import train_on_ray

    cpus = ray.cluster_resources()["CPU"]
    busy = []

    def interrupt(metrics):  # Ctrl+C reaches the main thread while an epoch is delivered
        # Ray's view of its resources lags a little: wait until it shows the task's CPU.
        busy.append(_wait_for(lambda: ray.available_resources().get("CPU", 0) <= cpus - 1, 10))
        raise KeyboardInterrupt

    experiment = small_experiment(training={"epochs": 100_000, "batch_size": 16})
    with pytest.raises(KeyboardInterrupt):
        train_on_ray(experiment, RunStore(tmp_path), [Collect(interrupt)], threading.Event())
    assert busy == [True]  # the task held a CPU when the interrupt came
    # This process is still the task's driver: the task ended because it was cancelled (its
    # queues closed too), not because its driver left.
    assert _wait_for(lambda: ray.available_resources().get("CPU", 0) == cpus, 15)


def _csv(path, rows=90):
    lines = ["a,b,label"] + [
        f"{i % 7 / 7:.3f},{i % 5 / 5:.3f},{'yes' if (i % 7) > 3 else 'no'}" for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_data_read_there_is_not_sent_and_trains_as_the_sent_copy(cluster, tmp_path, monkeypatch):
    from workbench.data import sources
    from workbench.runs.ray_run import train_on_ray

    data = {"source": "csv", "path": str(_csv(tmp_path / "table.csv"))}
    experiment = small_experiment(data=data, training={"epochs": 2, "batch_size": 16})
    sent = train_on_ray(experiment, None, [], threading.Event(), evaluate_test=False)

    def not_here(config):
        raise AssertionError("read here, and sent")

    monkeypatch.setattr(sources, "load_source", not_here)
    store = RunStore(tmp_path / "store")
    there = train_on_ray(
        experiment, store, [], threading.Event(), evaluate_test=False, data_there=True
    )
    assert there.result.status is RunStatus.COMPLETED
    assert [m.train_loss for m in there.result.history] == pytest.approx(
        [m.train_loss for m in sent.result.history], rel=1e-5
    )
    assert store.get_run(there.run_id).status == "completed"


def test_a_path_the_cluster_lacks_is_one_line_and_records_nothing(cluster, tmp_path):
    address = ray.get_runtime_context().gcs_address
    path = tmp_path / "e.toml"
    gone = tmp_path / "not-on-the-cluster.csv"
    path.write_text(
        f'name = "far"\n[data]\nsource = "csv"\npath = "{gone}"\n[training]\nepochs = 1\n'
        'device = "cpu"\n',
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "workbench", "run", str(path), "--ray", address]
    env = {**os.environ, "WORKBENCH_DATA_DIR": str(tmp_path / "store")}
    completed = subprocess.run(
        [*command, "--ray-data-there"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert completed.returncode == 2, completed.stderr
    (line,) = completed.stderr.strip().splitlines()
    assert line.startswith(f"error: {path}: on the cluster: ") and gone.name in line
    store = tmp_path / "store"
    assert not (store / "runs.sqlite3").exists() or not RunStore(store).list_runs()

    alone = subprocess.run(
        [sys.executable, "-m", "workbench", "run", str(path), "--ray-data-there"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert alone.returncode == 2 and "--ray-data-there needs --ray ADDRESS" in alone.stderr
