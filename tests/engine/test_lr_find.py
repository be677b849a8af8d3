"""The learning-rate range test: a sweep on a copy that leaves the experiment alone."""

import math
import threading

import numpy as np
import pytest
import torch

from tests.conftest import EXAMPLE, small_experiment
from workbench.config import ExperimentError, experiment_with, load_experiment
from workbench.core import fit
from workbench.core.engine import load_and_split
from workbench.core.optim import build_optimizer
from workbench.core.rows import NormalisedRows
from workbench.models import build_model
from workbench.playground import lr_find
from workbench.playground.lr_find import (
    LrFindProgress,
    check_sweep,
    find_learning_rate,
    smoothing,
    valley,
)
from workbench.report.ranking import accuracy_at_best_epoch


def _model_and_optimizer(experiment):
    """The model and optimizer a run of `experiment` starts from, built the engine's way."""
    torch.manual_seed(experiment.seed)
    dataset, _ = load_and_split(experiment)
    model = build_model(experiment.model, dataset.n_features, dataset.n_classes)
    return model, build_optimizer(experiment.optimizer, model.parameters())


def _snapshot(model, optimizer):
    weights = {k: v.detach().clone() for k, v in model.state_dict().items()}
    state = optimizer.state_dict()
    moments = {
        (index, key): value.clone()
        for index, entry in state["state"].items()
        for key, value in entry.items()
        if torch.is_tensor(value)
    }
    return weights, moments, [dict(group) for group in state["param_groups"]]


def test_a_model_and_optimizer_handed_in_are_unchanged_afterwards():
    experiment = small_experiment(optimizer={"name": "adam", "lr": 0.01, "weight_decay": 1e-4})
    model, optimizer = _model_and_optimizer(experiment)
    # A step first, so Adam has moments the sweep could overwrite in place.
    x = torch.randn(16, 64)
    torch.nn.functional.cross_entropy(model(x), torch.randint(0, 10, (16,))).backward()
    optimizer.step()
    before = _snapshot(model, optimizer)

    result = find_learning_rate(experiment, steps=30, model=model, optimizer=optimizer)

    assert len(result.rates) > 10  # it did train (a copy)
    weights, moments, groups = _snapshot(model, optimizer)
    assert weights.keys() == before[0].keys()
    assert all(torch.equal(weights[key], before[0][key]) for key in weights)
    assert moments.keys() == before[1].keys() and len(moments) > 0
    assert all(torch.equal(moments[key], before[1][key]) for key in moments)
    assert groups == before[2]  # the rate too: the sweep set its own copy's
    assert optimizer.param_groups[0]["lr"] == 0.01


def test_a_fresh_sweep_starts_from_the_runs_model_and_leaves_the_random_state_alone():
    experiment = small_experiment()
    torch.manual_seed(1234)
    state = torch.random.get_rng_state()
    fresh = find_learning_rate(experiment, steps=20)
    assert torch.equal(torch.random.get_rng_state(), state)

    # The same model, built as the engine builds it, swept as a model handed in: the same
    # points, so the fresh sweep's model is the one a run of the experiment starts from.
    model, _ = _model_and_optimizer(experiment)
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    handed = find_learning_rate(experiment, steps=20, model=model)
    assert handed.losses == fresh.losses and handed.rates == fresh.rates
    # ... and a model built from the same seed afterwards is still that model.
    again, _ = _model_and_optimizer(experiment)
    assert all(torch.equal(again.state_dict()[k], initial[k]) for k in initial)


def test_the_sweep_reads_training_rows_only(monkeypatch):
    experiment = small_experiment(data={"source": "digits", "val_fraction": 0.2})
    _, split = load_and_split(experiment)
    seen = []
    gather = NormalisedRows.__getitem__

    def spy(self, index):
        seen.append(self.rows[index].cpu().numpy())
        return gather(self, index)

    monkeypatch.setattr(NormalisedRows, "__getitem__", spy)
    find_learning_rate(experiment, steps=40)
    rows = np.unique(np.concatenate(seen))
    assert np.isin(rows, split.train_rows).all()
    assert not np.isin(rows, split.val_rows).any()
    assert not np.isin(rows, split.test_rows).any()
    # 40 batches of 64 go through the whole training part more than once.
    assert len(rows) == len(split.train_rows)


def test_the_test_part_is_sealed(monkeypatch):
    """Anything in the sweep that read the test part would raise, not read it."""
    sealed = []
    real = lr_find.seal_test_split

    def seal(split):
        sealed.append(real(split))
        return sealed[-1]

    monkeypatch.setattr(lr_find, "seal_test_split", seal)
    find_learning_rate(small_experiment(), steps=10)
    assert len(sealed) == 1
    with pytest.raises(RuntimeError, match="test split"):
        len(sealed[0].y_test)


def test_rates_grow_exponentially_from_start_to_end():
    # A range too low to explode: the sweep reaches its last rate.
    result = find_learning_rate(small_experiment(), steps=25, start=1e-6, end=1e-4)
    assert result.ended == "completed" and len(result.rates) == 25
    assert result.rates[0] == pytest.approx(1e-6) and result.rates[-1] == pytest.approx(1e-4)
    ratios = np.diff(np.log(result.rates))
    assert np.allclose(ratios, math.log(100) / 24)
    assert "had not exploded" in result.note


def test_the_smoothed_loss_is_a_bias_corrected_moving_average_and_stops_at_4x_its_best():
    experiment = small_experiment(optimizer={"name": "sgd", "lr": 0.1})
    result = find_learning_rate(experiment, steps=100)
    beta = smoothing(100, 1e-7, 10.0)
    average, expected = 0.0, []
    for step, loss in enumerate(result.losses, start=1):
        average = beta * average + (1 - beta) * loss
        expected.append(average / (1 - beta**step))
    assert np.allclose(result.smoothed, expected, equal_nan=True)
    # Explodes before the last step, and stops at the first point past 4x the best so far.
    assert result.ended == "exploded" and len(result.rates) < 100
    smoothed = np.asarray(result.smoothed)
    best = np.minimum.accumulate(smoothed)
    past = ~(smoothed <= 4 * best)  # NaN counts as past
    assert past[-1] and not past[:-1].any()


def test_the_average_reaches_back_the_same_share_of_a_decade_whatever_the_steps():
    assert smoothing(100, 1e-7, 10) == pytest.approx(1 - 1 / (0.8 * 99 / 8))
    assert smoothing(300, 1e-7, 10) > smoothing(100, 1e-7, 10)
    assert smoothing(10, 1e-7, 10) == 0.5  # bounded: never the last point alone
    assert smoothing(10_000, 1e-3, 1e-2) == 0.98


def test_the_suggestion_is_a_tenth_of_the_rate_of_the_lowest_smoothed_loss():
    result = find_learning_rate(load_experiment(EXAMPLE), steps=100)
    assert result.method == "minimum/10" and result.suggestion is not None
    usable = slice(10, len(result.rates) - 5)  # fastai's: not the first tenth, nor last 5
    lowest = usable.start + int(np.argmin(result.smoothed[usable]))
    assert result.lowest_index == lowest
    assert result.suggestion == pytest.approx(result.rates[lowest] / 10, rel=0.05)
    near = result.rates[result.suggestion_index]
    assert abs(math.log10(near / result.suggestion)) < 0.1
    assert dict(result.others).keys() == {"valley", "steepest"}
    assert "minimum/10" in result.describe()


def test_valley_is_fastais_double_loop():
    def fastai_valley(losses):  # fastai.callback.schedule.valley, as published
        n = len(losses)
        max_start, max_end = 0, 0
        lds = [1] * n
        for i in range(1, n):
            for j in range(0, i):
                if (losses[i] < losses[j]) and (lds[i] < lds[j] + 1):
                    lds[i] = lds[j] + 1
                if lds[max_end] < lds[i]:
                    max_end = i
                    max_start = max_end - lds[max_end]
        sections = (max_end - max_start) / 3
        return max_start + int(sections) + int(sections / 2)

    rng = np.random.default_rng(0)
    for _ in range(30):
        n = int(rng.integers(8, 80))
        curve = np.cumsum(rng.normal(-0.05, 0.2, n)) + np.linspace(0, 3, n) ** 4
        assert valley(curve) == max(0, fastai_valley(list(curve)))


def test_a_stop_token_ends_the_sweep_within_a_step():
    class StopAfter:
        def __init__(self, count):
            self.count = count

        def is_set(self):
            self.count -= 1
            return self.count < 0

    result = find_learning_rate(small_experiment(), steps=100, stop_token=StopAfter(7))
    assert result.ended == "stopped" and len(result.rates) == 7
    assert result.suggestion is None and "stopped after 7 of 100" in result.note
    event = threading.Event()
    event.set()
    assert len(find_learning_rate(small_experiment(), steps=100, stop_token=event).rates) == 0


def test_progress_reports_every_point_so_far():
    reports: list[LrFindProgress] = []
    result = find_learning_rate(
        small_experiment(), steps=30, progress=reports.append, progress_interval_s=0
    )
    assert [report.step for report in reports] == list(range(1, len(result.rates) + 1))
    last = reports[-1]
    assert (last.rates, last.losses, last.smoothed) == (
        result.rates,
        result.losses,
        result.smoothed,
    )
    assert all(report.steps == 30 for report in reports)


def test_too_early_an_explosion_gives_no_suggestion():
    # From a rate that explodes at once: nothing to suggest from, and it says so.
    experiment = small_experiment(optimizer={"name": "sgd", "lr": 0.1})
    result = find_learning_rate(experiment, steps=50, start=50.0, end=1e4)
    assert result.ended == "exploded" and result.suggestion is None
    assert "start lower" in result.note and result.describe().startswith("no suggestion")


def test_too_few_steps_give_no_suggestion_and_say_so():
    result = find_learning_rate(small_experiment(), steps=10, start=1e-6, end=1e-5)
    assert result.ended == "completed" and result.suggestion is None
    assert result.note == "10 steps are too few to suggest from: take more steps"


@pytest.mark.parametrize(
    ("steps", "start", "end", "field"),
    [(5, 1e-7, 10, "steps"), (100, 0.0, 10, "start"), (100, 1e-3, 1e-4, "end")],
)
def test_bad_settings_name_their_field(steps, start, end, field):
    with pytest.raises(ValueError, match=rf"^{field}: "):
        check_sweep(steps, start, end)
    with pytest.raises(ValueError, match=rf"^{field}: "):
        find_learning_rate(small_experiment(), steps=steps, start=start, end=end)


def test_the_experiments_device_is_honoured():
    assert find_learning_rate(small_experiment(), steps=10).device == "cpu"
    if torch.cuda.is_available():
        on_gpu = small_experiment(training={"device": "cuda"})
        assert find_learning_rate(on_gpu, steps=10).device.startswith("cuda")
    else:
        with pytest.raises(ExperimentError, match="training.device"):
            find_learning_rate(small_experiment(training={"device": "cuda"}), steps=10)


def test_on_digits_the_suggestion_trains_as_well_as_a_decade_either_side():
    """The digits MLP (digits-adam.toml): the suggested rate against 10x less and 10x more.

    Measured over a half-decade grid (tests/benchmarks/lr_find_quality.py), the suggestion
    trains within 1 point of the best grid rate; here, cheaply, it must be at least as good as
    a decade either side (within 1 point) and reach 95 % on validation data.
    """
    experiment = experiment_with(
        load_experiment(EXAMPLE), {"training.device": "cpu", "training.epochs": 8}
    )
    suggestion = find_learning_rate(experiment).suggestion
    assert suggestion is not None

    def accuracy(rate):
        result = fit(experiment_with(experiment, {"optimizer.lr": rate}), evaluate_test=False)
        return accuracy_at_best_epoch(result.history, result.best_epoch)

    suggested, lower, higher = (
        accuracy(suggestion),
        accuracy(suggestion / 10),
        accuracy(suggestion * 10),
    )
    assert suggested >= 0.95
    assert suggested >= max(lower, higher) - 0.01, (suggestion, suggested, lower, higher)
