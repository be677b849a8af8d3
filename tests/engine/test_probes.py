"""Probes: each hidden layer's activations, weights and gradients, tested on the numbers.

The weight-initialisation experiment of the book (five hidden layers of 100 units) must show
its shapes in the probe's histograms and statistics, and the live probe must record epoch 0
and every epoch in plain NumPy, with fixed bins, without changing the run it looks at.
"""

import dataclasses
import itertools
import math

import numpy as np
import pytest
import torch

from workbench.config import ACTIVATIONS, experiment_from_dict
from workbench.core import Callback, RunContext, fit
from workbench.core.engine import load_and_split
from workbench.core.probe_types import Histogram, LayerProbe, ProbeSnapshot
from workbench.core.probes import (
    ACTIVATION_RANGES,
    ModelProbe,
    ProbeCallback,
    _histogram,
    hidden_layers,
    probe_at_initialisation,
)
from workbench.models import build_model


def stack(activation, init, std=0.01, depth=5, units=100, epochs=1, extra=()):
    """The book's network on the 8x8 digits: `depth` hidden layers of `units` units."""
    layer = {
        "type": "dense",
        "units": units,
        "activation": activation,
        "init": init,
        "init_std": std,
    }
    return experiment_from_dict(
        {
            "name": "probe",
            "seed": 0,
            "data": {"source": "digits"},
            "model": {"layers": [layer] * depth + list(extra)},
            "optimizer": {"name": "adam", "lr": 0.01},
            "training": {"epochs": epochs, "batch_size": 64, "device": "cpu"},
            "early_stopping": {"enabled": False, "restore_best": False},
        }
    )


def share_within(histogram: Histogram, low: float, high: float) -> float:
    """The share of the counts in bins lying wholly inside [low, high]."""
    edges, counts = histogram.edges, histogram.counts
    inside = (edges[:-1] >= low - 1e-9) & (edges[1:] <= high + 1e-9)
    return float(counts[inside].sum()) / histogram.total


def near_bounds(histogram: Histogram, margin: float) -> float:
    return share_within(histogram, 0.0, margin) + share_within(histogram, 1.0 - margin, 1.0)


@pytest.fixture(scope="module")
def validation_size():
    return len(load_and_split(stack("relu", "he"))[1].val_rows)


# --- Look before training: the book's initialisation experiment -------------------------------


def test_sigmoid_with_std_1_piles_the_outputs_at_0_and_1():
    snapshot = probe_at_initialisation(stack("sigmoid", "normal", std=1.0))
    assert [layer.name for layer in snapshot.layers] == [
        f"{n} dense (sigmoid)" for n in range(1, 6)
    ]
    assert snapshot.epoch == 0 and snapshot.step == 0 and snapshot.final
    for layer in snapshot.layers[3:]:  # the last layers
        assert near_bounds(layer.activations, 0.05) > 0.55  # measured 0.62 and 0.69
        assert share_within(layer.activations, 0.48, 0.52) < 0.05
        assert layer.saturated_share is not None and layer.saturated_share > 0.4
        assert layer.std > 0.4  # two piles far apart
        assert layer.dead_share is None


def test_sigmoid_with_std_0_01_piles_the_outputs_at_one_half():
    snapshot = probe_at_initialisation(stack("sigmoid", "normal", std=0.01))
    for layer in snapshot.layers[1:]:
        assert share_within(layer.activations, 0.48, 0.52) > 0.8  # measured 0.87 to 0.88
        assert near_bounds(layer.activations, 0.05) == 0.0
        assert layer.saturated_share == 0.0
        assert abs(layer.mean - 0.5) < 0.01 and layer.std < 0.02


def test_sigmoid_with_xavier_spreads_the_outputs():
    snapshot = probe_at_initialisation(stack("sigmoid", "xavier"))
    for layer in snapshot.layers:
        assert near_bounds(layer.activations, 0.05) < 0.05  # not piled at 0 and 1
        assert share_within(layer.activations, 0.48, 0.52) < 0.3  # nor at 0.5 (0.08 to 0.15)
        assert layer.std > 0.1
        # Neither pile, and spread over much of the range: at least 20 of the 50 bins in use.
        assert np.count_nonzero(layer.activations.counts) >= 20


def test_relu_with_std_0_01_collapses_towards_0_with_depth():
    snapshot = probe_at_initialisation(stack("relu", "normal", std=0.01))
    stds = [layer.std for layer in snapshot.layers]
    # Each layer multiplies the spread by about 0.01 * sqrt(100 / 2) = 0.07.
    for before, after in zip(stds, stds[1:], strict=False):
        assert after < before / 5
    assert stds[-1] < 1e-4
    for layer in snapshot.layers[2:]:
        first_bin = layer.activations.counts[0] / layer.activations.total
        assert first_bin == 1.0  # every output below 0.1: one bar at 0


def test_relu_with_he_keeps_the_spread_in_every_layer():
    snapshot = probe_at_initialisation(stack("relu", "he"))
    first = snapshot.layers[0].std
    for layer in snapshot.layers:
        assert 0.8 * first < layer.std < 1.5 * first  # measured 1.32 to 1.64
        assert layer.mean > 0.3
        # About half the outputs are 0 (the first bin); the rest spread over the axis.
        assert 0.4 < layer.activations.counts[0] / layer.activations.total < 0.7
        assert np.count_nonzero(layer.activations.counts) >= 25


def test_relu_with_xavier_shrinks_layer_by_layer_where_he_keeps_the_spread():
    # The book's figure: with Xavier's initial values (std 1/sqrt(n)) ReLU halves the signal's
    # power in every layer, so the spread falls with depth; He's sqrt(2/n) makes up for it.
    xavier = probe_at_initialisation(stack("relu", "xavier"))
    he = probe_at_initialisation(stack("relu", "he"))
    stds = [layer.std for layer in xavier.layers]
    for before, after in zip(stds, stds[1:], strict=False):
        assert after < 0.85 * before  # about 1/sqrt(2) per layer
    assert stds[-1] < 0.4 * stds[0]
    assert he.layers[-1].std > 0.8 * he.layers[0].std


def test_probe_at_initialisation_leaves_the_callers_random_state_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    probe_at_initialisation(stack("relu", "he", depth=1, units=8))
    assert torch.equal(torch.rand(3), expected)


def test_convolution_layers_are_probed_per_channel(validation_size):
    config = experiment_from_dict(
        {
            "seed": 0,
            "data": {"source": "digits"},
            "model": {
                "layers": [
                    {"type": "conv2d", "channels": 4, "kernel": 3, "activation": "relu"},
                    {"type": "maxpool2d"},
                    {"type": "flatten"},
                    {"type": "dense", "units": 10, "activation": "tanh"},
                ]
            },
            "training": {"device": "cpu"},
        }
    )
    snapshot = probe_at_initialisation(config)
    conv, dense = snapshot.layers
    assert (conv.name, dense.name) == ("1 conv2d (relu)", "4 dense (tanh)")
    assert conv.activations.total == validation_size * 4 * 6 * 6
    assert conv.weights is not None and conv.weights.total == 4 * 1 * 3 * 3
    assert conv.dead_share is not None and conv.dead_share in (0.0, 0.25, 0.5, 0.75, 1.0)
    assert dense.activations.total == validation_size * 10
    assert dense.saturated_share is not None and dense.dead_share is None


# --- The live probe --------------------------------------------------------------------------


def tensors_in(value, path="snapshot"):
    """Where anything in a snapshot is a tensor, or a number is not a plain float or int."""
    found = []
    if isinstance(value, torch.Tensor):
        found.append(path)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            found += tensors_in(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            found += tensors_in(item, f"{path}[{index}]")
    elif isinstance(value, np.ndarray):
        if value.dtype == object:
            found.append(path)
    elif value is not None and type(value) not in (float, int, bool, str):
        found.append(f"{path}: {type(value).__name__}")
    return found


def test_the_live_probe_records_epoch_0_and_every_epoch(validation_size):
    config = stack("sigmoid", "xavier", depth=2, units=20, epochs=3)
    heard: list[ProbeSnapshot] = []
    # No looks within an epoch; every epoch's, however short (it would be thinned otherwise).
    probe = ProbeCallback(heard.append, interval_s=1e9, max_cost_share=1.0)
    result = fit(config, [probe])
    assert result.status == "completed"
    snapshots = probe.snapshots
    assert [s.epoch for s in snapshots] == [0, 1, 2, 3]
    assert all(s.final for s in snapshots)
    batches = 17  # 1,078 training samples in batches of 64
    assert [s.step for s in snapshots] == [0, batches, 2 * batches, 3 * batches]
    assert len(heard) == len(snapshots)
    assert all(mine is theirs for mine, theirs in zip(heard, snapshots, strict=True))
    assert tensors_in(snapshots) == []

    expected_edges = np.linspace(0.0, 1.0, 51)
    for snapshot in snapshots:
        for number, layer in enumerate(snapshot.layers):
            assert isinstance(layer, LayerProbe)
            np.testing.assert_array_equal(layer.activations.edges, expected_edges)
            assert layer.activations.counts.dtype == np.int64
            assert layer.activations.total == validation_size * 20
            assert layer.weights is not None
            assert layer.weights.total == (64 if number == 0 else 20) * 20
            # Fixed bins: the same edges in every epoch, so histograms compare.
            first = snapshots[0].layers[number]
            assert first.weights is not None
            np.testing.assert_array_equal(layer.weights.edges, first.weights.edges)

    for layer in snapshots[0].layers:  # nothing trained yet
        assert layer.grad_norm is None and layer.update_ratio is None and layer.gradients is None
    for snapshot in snapshots[1:]:
        for number, layer in enumerate(snapshot.layers):
            assert layer.grad_norm is not None and layer.grad_norm > 0
            assert layer.update_ratio is not None and 0 < layer.update_ratio < 1
            assert layer.gradients is not None
            assert layer.gradients.total == (64 if number == 0 else 20) * 20


def test_short_epochs_are_looked_at_within_the_share_but_first_and_last_always():
    # A clock that ticks once per reading: each look costs 1 tick, and an epoch of 17 batches
    # about 18 (one reading a batch). A look after every epoch would take 1/18 of the run,
    # more than the 2.5 % allowed, so the looks thin out; the first epoch and the last planned
    # one are looked at whatever they cost.
    config = stack("relu", "he", depth=2, units=20, epochs=12)
    ticks = itertools.count()
    probe = ProbeCallback(interval_s=1e9, clock=ticks.__next__)
    fit(config, [probe])
    epochs = [s.epoch for s in probe.snapshots]
    assert epochs[:2] == [0, 1] and epochs[-1] == 12
    assert len(epochs) < 13 - 3, epochs  # several epochs went without a look
    assert epochs == sorted(set(epochs))
    # Every epoch is looked at when the share allows it.
    ticks = itertools.count()
    everyone = ProbeCallback(interval_s=1e9, max_cost_share=1.0, clock=ticks.__next__)
    fit(config, [everyone])
    assert [s.epoch for s in everyone.snapshots] == list(range(13))


def test_the_run_trains_the_same_with_and_without_the_probe():
    # Dropout would draw differently (and the curves differ) if a look left the model in
    # eval mode or used the run's random numbers; looks after every batch test that hard.
    config = stack("relu", "he", depth=2, units=20, epochs=2, extra=[{"type": "dropout"}])
    plain = fit(config, [Callback()], progress_interval_s=0.0)
    heard: list[ProbeSnapshot] = []
    # A clock that ticks once per reading: a look costs 1 and waits 1, so every batch looks.
    ticks = itertools.count()
    probe = ProbeCallback(heard.append, interval_s=0.0, max_cost_share=1.0, clock=ticks.__next__)
    looked = fit(config, [probe], progress_interval_s=0.0)
    assert len(probe.snapshots) == 3 and len(heard) == 3 + 2 * 16  # a look after every batch

    def curves(result):  # every number of the history but the epoch's seconds
        return [dataclasses.replace(m, seconds=0.0) for m in result.history]

    assert curves(looked) == curves(plain)
    assert plain.weights is not None and looked.weights is not None
    for name, value in plain.weights.items():
        assert torch.equal(looked.weights[name], value), name


def test_the_live_epoch_0_is_the_look_before_training():
    config = stack("tanh", "normal", std=0.5, depth=3, units=30)
    probe = ProbeCallback()
    fit(config, [probe])
    live, before = probe.snapshots[0], probe_at_initialisation(config)
    for mine, theirs in zip(live.layers, before.layers, strict=True):
        np.testing.assert_array_equal(mine.activations.counts, theirs.activations.counts)
        assert mine.weights is not None and theirs.weights is not None
        np.testing.assert_array_equal(mine.weights.counts, theirs.weights.counts)
        assert mine.mean == pytest.approx(theirs.mean, abs=1e-9)
        assert mine.std == pytest.approx(theirs.std, abs=1e-9)


class KillLayer(Callback):
    """Gives one hidden dense layer a bias so negative that its ReLU never fires."""

    def __init__(self, position):
        self.position = position

    def on_train_begin(self, model, run):
        with torch.no_grad():
            model[self.position].bias.fill_(-1000.0)


def test_a_dead_layer_is_all_dead_and_gets_no_gradient():
    config = stack("relu", "he", depth=3, units=20, epochs=2)
    probe = ProbeCallback(interval_s=1e9)
    fit(config, [KillLayer(position=2), probe])  # modules: Linear, ReLU, Linear (layer 2)...
    for snapshot in probe.snapshots:
        first, dead, after = snapshot.layers
        assert dead.dead_share == 1.0
        assert dead.mean == 0.0 and dead.std == 0.0
        assert dead.activations.counts[0] == dead.activations.total
        assert first.dead_share is not None and first.dead_share < 0.5
    for snapshot in probe.snapshots[1:]:
        first, dead, _ = snapshot.layers
        # Nothing flows back through a layer that never fires: no gradient, no update.
        assert dead.grad_norm == 0.0 and first.grad_norm == 0.0
        assert dead.update_ratio == 0.0 and first.update_ratio == 0.0


class Ticker(Callback):
    """A fake clock: every batch takes 0.125 s (an exact binary fraction)."""

    def __init__(self):
        self.now = 0.0

    def on_batch_end(self, progress):
        self.now += 0.125


def test_looks_within_an_epoch_come_at_most_every_interval():
    config = stack("relu", "he", depth=2, units=20, epochs=3)
    ticker = Ticker()
    heard: list[ProbeSnapshot] = []
    probe = ProbeCallback(heard.append, interval_s=0.5, clock=lambda: ticker.now)
    fit(config, [ticker, probe], progress_interval_s=0.0)
    within = [s for s in heard if not s.final]
    assert within and all(s.epoch in (1, 2, 3) for s in within)
    # 0.5 s is 4 batches of 0.125 s: a look every 4th batch after the previous look, and
    # none at an epoch's last batch (its own look follows).
    for before, after in zip(heard, heard[1:], strict=False):
        if not after.final:
            assert after.step - before.step >= 4
    assert [s.step for s in within if s.epoch == 1] == [4, 8, 12, 16]
    assert all(s.step % 17 for s in within)
    kept = [s for s in heard if s.final]  # the callback keeps the epochs' looks only
    assert len(probe.snapshots) == len(kept)
    assert all(mine is theirs for mine, theirs in zip(probe.snapshots, kept, strict=True))
    assert [s.epoch for s in probe.snapshots] == [0, 1, 2, 3]


def test_a_slow_look_waits_for_its_cost(monkeypatch):
    config = stack("relu", "he", depth=2, units=20, epochs=2)
    ticker = Ticker()
    real_snapshot = ModelProbe.snapshot

    def slow_snapshot(self, epoch, step, final=True):
        # A look of 50 ms: within 2.5 % of the run's time, a third look needs 6 s of run.
        ticker.now += 0.05
        return real_snapshot(self, epoch, step, final)

    monkeypatch.setattr(ModelProbe, "snapshot", slow_snapshot)
    heard: list[ProbeSnapshot] = []
    # Every batch reaches the callbacks (no real-time throttle), so the fake clock is exact.
    fit(
        config,
        [ticker, ProbeCallback(heard.append, clock=lambda: ticker.now)],
        progress_interval_s=0.0,
    )
    assert [s.final for s in heard] == [True] * 3  # 17 batches are 2.1 s: no look within
    heard.clear()
    fit(
        config,
        [ticker, ProbeCallback(heard.append, max_cost_share=1.0, clock=lambda: ticker.now)],
        progress_interval_s=0.0,
    )
    # Waiting only the 0.5 s interval after each 0.05 s look: a look every 4th batch.
    assert [s.step for s in heard if not s.final and s.epoch == 1] == [4, 8, 12, 16]


def test_a_look_restores_the_mode_and_survives_non_finite_weights():
    config = stack("sigmoid", "xavier", depth=2, units=8)
    dataset, split = load_and_split(config)
    model = build_model(config.model, dataset.n_features, dataset.n_classes)
    inputs = torch.from_numpy(split.x_val[:50])
    probe = ModelProbe(model, config.model.layers, inputs)
    model.train()
    probe.snapshot(0, 0)
    assert model.training
    model.eval()
    probe.snapshot(0, 0)
    assert not model.training

    with torch.no_grad():
        model[0].weight.fill_(math.nan)
    snapshot = probe.snapshot(1, 1)
    broken = snapshot.layers[0]
    assert broken.activations.total == 0  # NaN is counted in no bin
    assert math.isnan(broken.mean)
    assert broken.update_ratio is not None and math.isnan(broken.update_ratio)
    # Measured from a NaN reference, the update is unknown, never "did not move".
    after = probe.snapshot(2, 2).layers[0]
    assert after.update_ratio is not None and math.isnan(after.update_ratio)


def test_histograms_count_like_numpy_and_clip_to_the_end_bins():
    rng = np.random.default_rng(0)
    edges = np.linspace(-1.0, 5.0, 61)
    values = rng.uniform(-3.0, 8.0, 10_000).astype(np.float32)
    values[:3] = (np.nan, np.inf, -np.inf)
    counts = _histogram(values, edges).counts
    expected, _ = np.histogram(np.clip(values[3:], -1.0, 4.9999), bins=edges)
    np.testing.assert_array_equal(counts[1:-1], expected[1:-1])
    assert counts[0] == expected[0] + 1 and counts[-1] == expected[-1] + 1  # -inf, +inf
    assert counts.sum() == 9_999  # NaN counted nowhere

    grads = (rng.standard_normal(10_000) * 10.0 ** rng.uniform(-9, 1, 10_000)).astype(np.float32)
    grads[0] = 0.0  # log10 |0| = -inf: the lowest bin
    log_edges = np.linspace(-12.0, 2.0, 57)
    counts = _histogram(grads, log_edges, log_magnitude=True).counts
    expected, _ = np.histogram(np.log10(np.abs(grads[1:].astype(np.float64))), bins=log_edges)
    # float32 rounding may move a value that lies on an edge into the next bin.
    assert np.abs(counts - expected).sum() <= 1 + 2  # the zero, and at most 2 on an edge
    assert counts.sum() == 10_000


def test_every_activation_has_fixed_bins():
    assert set(ACTIVATION_RANGES) == set(ACTIVATIONS)
    for low, high, bins in ACTIVATION_RANGES.values():
        assert low < high and bins >= 20


def test_hidden_layers_name_the_builders_layers():
    config = stack("relu", "he", depth=2, units=8, extra=[{"type": "dropout"}])
    dataset, _ = load_and_split(config)
    model = build_model(config.model, dataset.n_features, dataset.n_classes)
    found = hidden_layers(model, config.model.layers)
    assert [layer.name for layer in found] == ["1 dense (relu)", "2 dense (relu)"]
    assert found[1].weighted is model[2] and found[1].output is model[3]
    with pytest.raises(ValueError, match="does not match"):
        hidden_layers(model, config.model.layers[:1])


def test_the_run_context_offers_a_fixed_normalised_validation_sample():
    config = stack("relu", "he", depth=1, units=8, epochs=1)

    class Sampler(Callback):
        def on_train_begin(self, model, run):
            self.all = run.validation_sample(10**9, 0)
            self.some = run.validation_sample(5, 7)
            self.again = run.validation_sample(5, 7)
            self.other = run.validation_sample(5, 8)

    sampler = Sampler()
    fit(config, [sampler])
    _, split = load_and_split(config)
    # Every row, in the part's order, normalised as the validation pass sees it.
    np.testing.assert_allclose(sampler.all.numpy(), split.x_val, rtol=1e-6, atol=1e-6)
    assert sampler.some.shape == (5, 64)
    assert torch.equal(sampler.some, sampler.again)
    assert not torch.equal(sampler.some, sampler.other)

    bare = RunContext(config, "cpu", 1, 1, (), _on_stop_request=lambda reason: None)
    with pytest.raises(RuntimeError, match="no validation data"):
        bare.validation_sample(5, 0)
