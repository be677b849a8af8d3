"""The training loop on real (small) data: accuracy, stopping, divergence, determinism."""

import math
import threading

import pytest
import torch

from tests.conftest import script_validation
from workbench.config import experiment_from_dict
from workbench.core import Callback, RunStatus, fit


class Recorder(Callback):
    def __init__(self):
        self.epochs = []
        self.batches = []

    def on_epoch_end(self, metrics):
        self.epochs.append(metrics)

    def on_batch_end(self, progress):
        self.batches.append(progress)


def test_spiral_reaches_high_validation_accuracy():
    experiment = experiment_from_dict(
        {
            "data": {"source": "spiral"},
            "model": {
                "layers": [
                    {"type": "dense", "units": 64, "activation": "relu", "init": "he"},
                    {"type": "dense", "units": 64, "activation": "relu", "init": "he"},
                ]
            },
            "optimizer": {"name": "adam", "lr": 0.01},
            "training": {"epochs": 60, "batch_size": 32, "device": "cpu"},
            "early_stopping": {"enabled": False},
        }
    )
    result = fit(experiment)
    assert result.status == RunStatus.COMPLETED
    assert result.epochs_run == 60
    assert max(m.val_accuracy for m in result.history) >= 0.95
    assert result.test is not None and result.test.accuracy >= 0.9
    # A linear model cannot separate a spiral: the first epoch must be far from this.
    assert result.history[0].val_accuracy < 0.9


def test_history_records_every_epoch_with_its_numbers(make_experiment):
    recorder = Recorder()
    result = fit(make_experiment(training={"epochs": 4}), [recorder])
    assert [m.epoch for m in result.history] == [1, 2, 3, 4]
    assert recorder.epochs == list(result.history)
    for metrics in result.history:
        assert metrics.epochs == 4
        assert 0.0 <= metrics.train_accuracy <= 1.0 and 0.0 <= metrics.val_accuracy <= 1.0
        assert metrics.seconds > 0 and metrics.lr == pytest.approx(0.01)
    assert result.history[-1].train_loss < result.history[0].train_loss


@pytest.mark.parametrize(
    ("val_losses", "patience", "min_delta", "epochs_run", "best_epoch"),
    [
        ([1.0, 0.9, 0.95, 0.96, 0.97, 0.5], 3, 0.0, 5, 2),
        ([1.0, 0.9, 0.8, 0.7, 0.6, 0.5], 2, 0.0, 6, 6),  # never stalls: runs to the end
        ([1.0, 1.0, 1.0, 0.2, 0.1, 0.1], 2, 0.0, 3, 1),  # equal is not better
        ([1.0, 0.95, 0.9, 0.85, 0.8, 0.1], 2, 0.1, 3, 1),  # small gains below min_delta
        ([1.0, 2.0, 0.5, 3.0, 3.0, 3.0], 1, 0.0, 2, 1),
    ],
)
def test_early_stopping_follows_the_validation_losses(
    monkeypatch, make_experiment, val_losses, patience, min_delta, epochs_run, best_epoch
):
    script_validation(monkeypatch, [(loss, 0.5) for loss in val_losses])
    experiment = make_experiment(
        training={"epochs": len(val_losses)},
        early_stopping={"enabled": True, "patience": patience, "min_delta": min_delta},
    )
    result = fit(experiment)
    expected = RunStatus.EARLY_STOPPED if epochs_run < len(val_losses) else RunStatus.COMPLETED
    assert result.status == expected
    assert result.epochs_run == epochs_run
    assert result.best_epoch == best_epoch
    assert [m.val_loss for m in result.history] == val_losses[:epochs_run]


def test_early_stopping_on_a_real_run_ends_patience_epochs_after_the_best(make_experiment):
    experiment = make_experiment(
        training={"epochs": 300}, early_stopping={"enabled": True, "patience": 2}
    )
    result = fit(experiment)
    assert result.status == RunStatus.EARLY_STOPPED
    assert result.epochs_run == result.best_epoch + 2
    losses = [m.val_loss for m in result.history]
    assert min(losses) == losses[result.best_epoch - 1]


def test_stop_token_ends_the_run_within_one_batch(make_experiment):
    token = threading.Event()

    class StopAtThirdBatch(Recorder):
        def on_batch_end(self, progress):
            super().on_batch_end(progress)
            if len(self.batches) == 3:
                token.set()

    recorder = StopAtThirdBatch()
    experiment = make_experiment(training={"epochs": 50, "batch_size": 16})
    result = fit(experiment, [recorder], token, progress_interval_s=0.0)
    assert result.status == RunStatus.STOPPED
    assert len(recorder.batches) == 3  # no batch ran after the token was set
    assert result.epochs_run == 0  # the partial epoch is not recorded as an epoch
    assert result.test is not None  # the test set is still evaluated once


def test_stop_token_set_from_another_thread(make_experiment):
    token = threading.Event()
    first_epoch = threading.Event()

    class Signal(Callback):
        def on_epoch_end(self, metrics):
            first_epoch.set()

    results = []
    experiment = make_experiment(training={"epochs": 100_000})
    worker = threading.Thread(target=lambda: results.append(fit(experiment, [Signal()], token)))
    worker.start()
    assert first_epoch.wait(30)
    token.set()
    worker.join(10)
    assert not worker.is_alive()
    assert results[0].status == RunStatus.STOPPED
    assert 1 <= results[0].epochs_run < 100_000


def test_a_huge_learning_rate_diverges_cleanly(make_experiment):
    experiment = make_experiment(optimizer={"name": "sgd", "lr": 100.0})
    result = fit(experiment)
    assert result.status == RunStatus.DIVERGED
    last = result.history[-1]
    assert not (math.isfinite(last.train_loss) and math.isfinite(last.val_loss))
    assert result.test is None  # no finite weights were ever recorded to test
    assert result.error is None


def test_same_seed_same_history_other_seed_other_history(make_experiment):
    def losses(seed):
        result = fit(make_experiment(seed=seed))
        return [(m.train_loss, m.val_loss, m.val_accuracy) for m in result.history]

    assert losses(3) == losses(3)
    assert losses(3) != losses(4)


def test_an_exception_inside_training_ends_the_run_as_failed_keeping_history(make_experiment):
    class Explode(Callback):
        def on_epoch_end(self, metrics):
            if metrics.epoch == 2:
                raise RuntimeError("disk full\nsecond line")

    result = fit(make_experiment(training={"epochs": 5}), [Explode()])
    assert result.status == RunStatus.FAILED
    assert result.error == "RuntimeError: disk full"
    assert result.epochs_run == 2
    assert result.test is None


@pytest.mark.parametrize("ending", ["completed", "early_stopped", "stopped"])
def test_restore_best_tests_the_best_epoch_however_the_run_ends(
    monkeypatch, make_experiment, ending
):
    # Validation losses scripted so epoch 1 is best; the tested weights must be epoch 1's.
    seen_states = []
    script_validation(monkeypatch, [(v, 0.5) for v in [0.1, 0.5, 0.6, 0.7, 0.8]], seen_states)
    token = threading.Event()

    class StopAfterThird(Callback):
        def on_epoch_end(self, metrics):
            if ending == "stopped" and metrics.epoch == 3:
                token.set()

    experiment = make_experiment(
        training={"epochs": 3 if ending == "completed" else 5},
        early_stopping={"enabled": ending == "early_stopped", "patience": 2},
    )
    result = fit(experiment, [StopAfterThird()], token)
    assert str(result.status) == ending
    assert result.epochs_run == 3 and result.best_epoch == 1
    tested, after_epoch_1, after_epoch_3 = seen_states[3], seen_states[0], seen_states[2]
    for key in tested:
        assert torch.equal(tested[key], after_epoch_1[key])
        assert torch.equal(result.weights[key], after_epoch_1[key])
    assert any(not torch.equal(tested[k], after_epoch_3[k]) for k in tested)


def test_without_restore_best_the_last_weights_are_tested(monkeypatch, make_experiment):
    seen_states = []
    script_validation(monkeypatch, [(0.1, 0.5), (0.5, 0.5), (0.6, 0.5)], seen_states)
    fit(make_experiment(early_stopping={"restore_best": False}))
    for key in seen_states[3]:
        assert torch.equal(seen_states[3][key], seen_states[2][key])


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device on this machine")
def test_cuda_run_matches_the_cpu_run_closely(make_experiment):
    cpu = fit(make_experiment())
    cuda = fit(make_experiment(training={"device": "cuda"}))
    assert cuda.status == RunStatus.COMPLETED and cuda.device.startswith("cuda")
    assert cuda.history[-1].val_loss == pytest.approx(cpu.history[-1].val_loss, rel=1e-2)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_asking_for_cuda_without_it_fails_with_a_clear_message(make_experiment):
    result = fit(make_experiment(training={"device": "cuda"}))
    assert result.status == RunStatus.FAILED
    assert "training.device" in result.error and "no CUDA device" in result.error


def test_throttled_progress_still_delivers_every_batch_loss(make_experiment):
    recorder = Recorder()
    experiment = make_experiment(training={"epochs": 3, "batch_size": 16})
    fit(experiment, [recorder], progress_interval_s=0.02)
    batches_per_epoch = recorder.batches[-1].batches
    delivered = [loss for event in recorder.batches for loss in event.losses]
    assert len(delivered) == 3 * batches_per_epoch
    assert len(recorder.batches) < len(delivered)  # throttled: several losses per event
    assert [e.step for e in recorder.batches] == sorted({e.step for e in recorder.batches})
    assert recorder.batches[-1].step == 3 * batches_per_epoch
    assert all(math.isfinite(loss) and loss > 0 for loss in delivered)


def test_an_exploding_loss_is_divergence_in_the_epoch_it_explodes(make_experiment):
    # SGD at lr 10 reaches a training loss near 1e21 in epoch 1, still finite: before the
    # growth rule the run went on to a NaN in epoch 2 (or early-stopped, with patience).
    experiment = make_experiment(
        optimizer={"name": "sgd", "lr": 10.0}, early_stopping={"enabled": True, "patience": 1}
    )
    result = fit(experiment)
    assert result.status == RunStatus.DIVERGED
    assert result.epochs_run == 1  # the remaining epochs are not wasted
    found = result.divergence
    assert found is not None and found.epoch == 1 and found.which == "training"
    assert math.isfinite(found.loss) and found.loss > 1e4 * found.initial_loss
    assert 2.0 < found.initial_loss < 3.0  # the untrained model's loss, about ln(10)
    assert found.lr == 10.0
    assert found.describe() == (
        f"The loss diverged (grew from {found.initial_loss:.3g} to "
        f"{found.loss:.3g} in epoch 1): the learning rate (10) is probably too high; "
        "try 10x smaller."
    ).replace("e+", "e")
    assert result.test is None  # no healthy epoch's weights to test
    assert result.best_epoch is None  # the exploded epoch never counts as the best


def test_a_finite_loss_growing_epoch_after_epoch_is_divergence_and_the_best_is_tested(
    make_experiment,
):
    # Momentum at lr 1: the loss grows about tenfold per epoch and stays finite; its early
    # epochs were healthy, so "restore best" still has weights worth testing.
    experiment = make_experiment(optimizer={"name": "momentum", "lr": 1.0}, training={"epochs": 10})
    result = fit(experiment)
    assert result.status == RunStatus.DIVERGED
    assert result.divergence is not None and result.divergence.epoch == result.epochs_run < 10
    assert result.best_epoch is not None and result.best_epoch < result.divergence.epoch
    assert result.weights_kept == "best" and result.test is not None


@pytest.mark.parametrize(
    ("optimizer", "seed"),
    [
        # Noisy but healthy: RMSprop at lr 1 reaches 1,170 times its first loss in epoch 1 with
        # seed 1, then recovers to about 94% validation accuracy; Adam at lr 1 stays noisy.
        ({"name": "rmsprop", "lr": 1.0}, 1),
        ({"name": "adam", "lr": 1.0}, 0),
        ({"name": "adam", "lr": 0.01}, 0),
    ],
)
def test_noisy_but_healthy_runs_are_not_called_diverged(make_experiment, optimizer, seed):
    result = fit(make_experiment(optimizer=optimizer, seed=seed, training={"epochs": 6}))
    assert result.status == RunStatus.COMPLETED and result.divergence is None
    assert result.history[-1].val_accuracy > 0.8


@pytest.mark.parametrize("name", ["digits-adam", "mlp-5-layer", "mlp-7-layer", "small-cnn"])
def test_the_example_experiments_do_not_diverge(name):
    from pathlib import Path

    from workbench.config import load_experiment

    path = Path(__file__).resolve().parents[2] / "resources" / "examples" / f"{name}.toml"
    experiment = load_experiment(path)
    training = experiment.training.model_copy(update={"device": "cpu"})
    result = fit(experiment.model_copy(update={"training": training}))
    assert result.status in (RunStatus.COMPLETED, RunStatus.EARLY_STOPPED)
    assert result.divergence is None
