"""A run trained in a second process (workbench.runs.training_process): the same run, its
events in order, recorded where the parent looks, stopped by the parent's token, and a dead
process reported instead of waited for."""

import os
import signal
import threading

import pytest
import torch

from tests.conftest import small_experiment
from workbench.core import BatchProgress, EpochMetrics, RunStatus
from workbench.core.probe_types import ProbeSnapshot
from workbench.runs import RunStore
from workbench.runs.session import train_and_record
from workbench.runs.training_process import (
    Diagnosed,
    RunRequest,
    TrainingProcess,
    TrainingProcessDied,
)


@pytest.fixture(scope="module")
def process():
    # One spawned process for the module: each costs seconds of imports on 2 cores.
    process = TrainingProcess()
    process.start()
    yield process
    process.close()


@pytest.fixture
def one_thread():
    """Torch on one thread here, as in the process; the test session's count after."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def request(experiment, folder, threads=1):
    return RunRequest(experiment, folder, False, threads, live_boundary=True)


def test_a_run_in_the_process_equals_the_same_run_here_and_is_recorded(
    process, tmp_path, one_thread
):
    experiment = small_experiment(training={"epochs": 3})
    events = []
    outcome = process.train(request(experiment, tmp_path), events.append, threading.Event())
    here = train_and_record(experiment, None, evaluate_test=False)

    assert outcome.result.status is RunStatus.COMPLETED
    # Same seed, same data, one thread each: the same history, epoch by epoch.
    for there, local in zip(outcome.result.history, here.result.history, strict=True):
        assert there.train_loss == pytest.approx(local.train_loss, rel=1e-5)
        assert there.val_accuracy == pytest.approx(local.val_accuracy, abs=1e-9)
    # Weights come back as tensors (they crossed as safetensors bytes), equal to these.
    for name, tensor in here.result.weights.items():
        assert torch.allclose(outcome.result.weights[name], tensor, atol=1e-6)
    # Epoch events arrive in order, batch progress between them, looks and the doctor too.
    epochs = [e.epoch for e in events if isinstance(e, EpochMetrics)]
    assert epochs == [1, 2, 3]
    assert any(isinstance(e, BatchProgress) for e in events)
    looks = [e for e in events if isinstance(e, ProbeSnapshot)]
    assert looks and [look.epoch for look in looks] == [s.epoch for s in outcome.snapshots]
    assert sum(isinstance(e, Diagnosed) for e in events) == 3
    # The child recorded the run in the folder the parent reads.
    record = RunStore(tmp_path).get_run(outcome.run_id)
    assert record.status == "completed" and len(record.history) == 3


def test_the_parents_stop_token_stops_the_run_in_the_process(process, tmp_path):
    experiment = small_experiment(training={"epochs": 50, "batch_size": 16})
    stop = threading.Event()

    def stop_after_first_epoch(event):
        if isinstance(event, EpochMetrics):
            stop.set()

    outcome = process.train(request(experiment, tmp_path), stop_after_first_epoch, stop)
    assert outcome.result.status is RunStatus.STOPPED
    assert 1 <= len(outcome.result.history) < 50
    # The process serves the next run as usual.
    again = process.train(request(small_experiment(), None), lambda e: None, threading.Event())
    assert again.result.status is RunStatus.COMPLETED


def test_a_run_that_cannot_start_fails_with_its_reason_and_the_process_serves_on(process):
    broken = small_experiment(data={"source": "csv", "path": "/nonexistent/data.csv"})
    outcome = process.train(request(broken, None), lambda e: None, threading.Event())
    assert outcome.result.status is RunStatus.FAILED
    assert "data.csv" in outcome.result.error
    assert process.is_alive()


def test_a_process_killed_mid_run_ends_the_run_with_an_error_not_a_hang(tmp_path):
    doomed = TrainingProcess()
    doomed.start()

    def kill_at_first_epoch(event):
        if isinstance(event, EpochMetrics):
            os.kill(doomed._process.pid, signal.SIGKILL)

    experiment = small_experiment(training={"epochs": 200, "batch_size": 16})
    try:
        with pytest.raises(TrainingProcessDied, match="exit code -9"):
            doomed.train(request(experiment, tmp_path), kill_at_first_epoch, threading.Event())
    finally:
        doomed.close()


def test_the_process_speaks_the_parents_language(process):
    from workbench import i18n
    from workbench.core import fit

    broken = small_experiment(data={"source": "csv", "path": "/nonexistent/data.csv"})
    there = process.train(
        RunRequest(broken, None, False, 1, live_boundary=False, language="ja"),
        lambda e: None,
        threading.Event(),
    )
    i18n.set_language("ja")
    here = fit(broken)
    assert there.result.error == here.error
    i18n.set_language("en")
    assert there.result.error != fit(broken).error  # the message is translated at all
