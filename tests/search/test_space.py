"""The space: sampling within ranges and by seed, grids, applying values, narrowing."""

import json
import math

import optuna
import pytest

from tests.conftest import small_experiment
from tests.search.conftest import make_spec
from workbench.search import Param, SearchError, TrialResult, apply_values, narrow
from workbench.search.spec import load_search, spec_from_json, spec_to_toml
from workbench.search.study import make_distributions, make_sampler

SPACE = {
    "optimizer.lr": {"log_uniform": [1e-6, 1e-2]},
    "optimizer.weight_decay": {"log_uniform": [1e-8, 1e-4]},
    "optimizer.name": {"choice": ["sgd", "momentum", "adam"]},
    "model.layers.0.units": {"int": [32, 256], "step": 32},
    "optimizer.momentum": {"uniform": [0.0, 0.5]},
}


def sample(spec, count, study=None):
    """Ask an in-memory study for `count` trials, as the runner does; their values."""
    study = study or optuna.create_study(sampler=make_sampler(spec))
    distributions = make_distributions(spec)
    values = []
    for _ in range(count):
        trial = study.ask(distributions)
        values.append(dict(trial.params))
        study.tell(trial, 0.5)
    return values, study


def test_sampled_values_stay_in_their_ranges_and_log_ranges_spread_over_decades():
    values, _ = sample(make_spec(SPACE, trials=200), 200)
    lrs = [v["optimizer.lr"] for v in values]
    assert all(1e-6 <= lr <= 1e-2 for lr in lrs)
    assert all(1e-8 <= v["optimizer.weight_decay"] <= 1e-4 for v in values)
    assert all(0.0 <= v["optimizer.momentum"] <= 0.5 for v in values)
    assert {v["optimizer.name"] for v in values} == {"sgd", "momentum", "adam"}
    assert {v["model.layers.0.units"] for v in values} <= {32, 64, 96, 128, 160, 192, 224, 256}
    assert all(isinstance(v["model.layers.0.units"], int) for v in values)
    # Log-uniform: each decade gets about a quarter. Uniform sampling would put 99.9% of the
    # values above 1e-5.
    below = sum(lr < 1e-5 for lr in lrs)
    above = sum(lr > 1e-3 for lr in lrs)
    assert 25 <= below <= 75 and 25 <= above <= 75


def test_the_same_seed_gives_the_same_values_and_another_seed_others():
    first, _ = sample(make_spec(SPACE, seed=3), 10)
    again, _ = sample(make_spec(SPACE, seed=3), 10)
    other, _ = sample(make_spec(SPACE, seed=4), 10)
    assert first == again
    assert all(a["optimizer.lr"] != b["optimizer.lr"] for a, b in zip(first, other, strict=True))


def test_a_trials_values_depend_on_its_number_not_on_the_process_that_asks():
    spec = make_spec(SPACE, seed=1)
    straight, _ = sample(spec, 8)
    # A "restart": a new sampler object (a new process) continues the same study.
    half, study = sample(spec, 4)
    study.sampler = make_sampler(spec)
    rest, _ = sample(spec, 4, study)
    assert half + rest == straight
    assert len({v["optimizer.lr"] for v in straight}) == 8  # no trial repeats another


def test_grid_search_covers_the_grid_once():
    space = {
        "optimizer.lr": {"log_uniform": [1e-4, 1e-2], "steps": 3},
        "optimizer.name": {"choice": ["sgd", "adam"]},
    }
    spec = make_spec(space, strategy="grid", trials=100)
    assert spec.planned_trials() == 6
    values, _ = sample(spec, 6)
    seen = {(v["optimizer.lr"], v["optimizer.name"]) for v in values}
    assert seen == {(lr, name) for lr in (1e-4, 1e-3, 1e-2) for name in ("sgd", "adam")}


def test_grid_values_of_each_kind():
    assert Param.model_validate({"uniform": [0.0, 0.5], "steps": 3}).grid_values() == (
        0.0,
        0.25,
        0.5,
    )
    assert Param.model_validate({"int": [1, 4]}).grid_values() == (1, 2, 3, 4)
    assert Param.model_validate({"int": [8, 64], "steps": 4, "log": True}).grid_values() == (
        8,
        16,
        32,
        64,
    )
    assert Param.model_validate({"uniform": [0.0, 0.5]}).grid_values() is None


def test_apply_values_revalidates_the_experiment():
    experiment = small_experiment()
    changed = apply_values(experiment, {"optimizer.lr": 0.05, "model.layers.0.units": 64})
    assert changed.optimizer.lr == 0.05 and changed.model.layers[0].units == 64
    assert experiment.optimizer.lr == 0.01  # the original is untouched
    with pytest.raises(SearchError, match=r"^trial 3: optimizer\.lr: Input should be greater"):
        apply_values(experiment, {"optimizer.lr": -1.0}, "trial 3")
    with pytest.raises(SearchError, match="nesterov needs a momentum above 0"):
        apply_values(experiment, {"optimizer.name": "nesterov", "optimizer.momentum": 0.0})
    with pytest.raises(SearchError, match="has no 'lrr'"):
        apply_values(experiment, {"optimizer.lrr": 0.1})


def test_a_spec_written_as_toml_reads_back_the_same(tmp_path):
    spec = make_spec(SPACE, strategy="random", trials=7, pruning="median")
    path = tmp_path / "test.toml"
    path.write_text(spec_to_toml(spec), encoding="utf-8")
    assert load_search(path) == spec


def trial(number, lr, name, value, status="completed"):
    values = {"optimizer.lr": lr, "optimizer.name": name}
    return TrialResult(number, values, status, value, 2)


def test_narrow_proposes_a_smaller_range_around_the_best_trials():
    space = {
        "optimizer.lr": {"log_uniform": [1e-6, 1e-1]},
        "optimizer.name": {"choice": ["sgd", "momentum", "adam"]},
    }
    spec = make_spec(space)
    trials = [
        trial(0, 1e-3, "adam", 0.95),
        trial(1, 3e-3, "momentum", 0.94),
        trial(2, 1e-6, "sgd", 0.10),
        trial(3, 2e-5, "sgd", 0.30),
        trial(4, 5e-2, "adam", 0.20),
        trial(5, 2e-6, "sgd", 0.99, status="pruned"),  # not a finished score: ignored
        trial(6, 4e-2, "sgd", 0.5),
        trial(7, 1e-4, "sgd", 0.4),
        trial(8, 3e-4, "sgd", 0.35),
        trial(9, 5e-5, "sgd", 0.33),
    ]
    narrowed = narrow(spec, trials, top_fraction=0.2, widen=0.1)
    lr = narrowed.search.space["optimizer.lr"]
    # The top 2 of 9 scored trials: 1e-3 and 3e-3, widened by 10% of 5 decades in log space.
    margin = 0.1 * math.log(1e-1 / 1e-6)
    assert lr.low == pytest.approx(math.exp(math.log(1e-3) - margin), rel=1e-3)
    assert lr.high == pytest.approx(math.exp(math.log(3e-3) + margin), rel=1e-3)
    assert lr.low <= 1e-3 and lr.high >= 3e-3 and lr.kind == "log_uniform"
    assert narrowed.search.space["optimizer.name"].values == ("momentum", "adam")
    assert narrowed.search.trials == spec.search.trials
    assert narrowed.signature() != spec.signature()  # a new search, not a resume


def test_narrow_keeps_to_the_old_range_and_the_int_step():
    spec = make_spec({"model.layers.0.units": {"int": [32, 256], "step": 32}})
    trials = [
        TrialResult(0, {"model.layers.0.units": 256}, "completed", 0.9, 1),
        TrialResult(1, {"model.layers.0.units": 224}, "completed", 0.8, 1),
        TrialResult(2, {"model.layers.0.units": 32}, "completed", 0.1, 1),
    ]
    units = narrow(spec, trials, top_fraction=0.5).search.space["model.layers.0.units"]
    assert units.high == 256  # clipped to the old range
    assert units.low < 224 and (units.low - 32) % 32 == 0


def test_narrow_without_finished_trials_says_so():
    spec = make_spec({"optimizer.lr": {"log_uniform": [1e-4, 1e-1]}})
    with pytest.raises(SearchError, match="no trial has finished"):
        narrow(spec, [TrialResult(0, {"optimizer.lr": 1e-3}, "failed", None, None)])


def test_a_spec_kept_as_json_in_the_store_reads_back_the_same():
    spec = make_spec(SPACE, pruning="halving", train_limit=300)
    again = spec_from_json(json.loads(json.dumps(spec.to_json())))
    assert again == spec and again.signature() == spec.signature()
