"""Comparison groups: only the compared technique differs, from the same start."""

import subprocess
import sys

import pytest

from tests.conftest import FirstBatch
from workbench.config import BatchNormLayer, DenseLayer
from workbench.core import fit
from workbench.runs.compare import comparison_group
from workbench.runs.diff import config_diff, model_summary


@pytest.mark.parametrize(
    ("by", "changed"),
    [
        ("optimizer", {"optimizer.name", "optimizer.lr"}),
        ("init", {"model.layers"}),
        ("batchnorm", {"model.layers"}),
    ],
)
def test_variants_differ_only_in_the_compared_technique(make_experiment, by, changed):
    group = comparison_group(make_experiment(), by)
    keys = {key for key, _ in config_diff([v.to_dict() for v in group])}
    assert keys == changed | {"name"}


def test_every_optimizer_starts_from_the_same_weights_and_batches(make_experiment):
    experiment = make_experiment(training={"epochs": 1})
    first_losses = []
    for variant in comparison_group(experiment, "optimizer"):
        probe = FirstBatch()
        fit(variant, [probe], progress_interval_s=0.0)
        first_losses.append(probe.loss)
    assert len(set(first_losses)) == 1
    # ...while another seed starts elsewhere: the check can fail.
    other = FirstBatch()
    fit(experiment.model_copy(update={"seed": 99}), [other], progress_interval_s=0.0)
    assert other.loss != first_losses[0]


def test_init_and_batchnorm_groups_change_the_layers_as_named(make_experiment):
    experiment = make_experiment(
        model={"layers": [{"type": "dense", "units": 8}, {"type": "dense", "units": 8}]}
    )
    inits = comparison_group(experiment, "init")
    assert [{layer.init for layer in v.model.layers} for v in inits] == [
        {"normal"},
        {"xavier"},
        {"he"},
    ]
    assert all(layer.init_std == 0.01 for layer in inits[0].model.layers)
    plain, normalised = comparison_group(experiment, "batchnorm")
    assert not any(isinstance(layer, BatchNormLayer) for layer in plain.model.layers)
    kinds = [type(layer) for layer in normalised.model.layers]
    assert kinds == [DenseLayer, BatchNormLayer, DenseLayer, BatchNormLayer]
    assert model_summary(normalised.to_dict()) == "dense8 bn dense8 bn"


def test_compare_command_races_and_names_a_winner(tmp_path):
    experiment = tmp_path / "race.toml"
    experiment.write_text(
        'name = "race"\n[model]\nlayers = [{ type = "dense", units = 16 }]\n'
        '[training]\nepochs = 2\ndevice = "cpu"\n[early_stopping]\nenabled = false\n'
    )
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbench",
            "compare",
            str(experiment),
            "--by",
            "optimizer",
            "--lr",
            "sgd=0.1",
            "--data-dir",
            str(tmp_path / "store"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert completed.returncode == 0, completed.stderr
    assert "== variant 1/5: race [sgd, lr 0.1]" in completed.stdout  # the edited rate
    assert "== variant 2/5: race [momentum, lr 0.01]" in completed.stdout  # the book's
    assert "== variant 5/5: race [adam, lr 0.001]" in completed.stdout
    assert "best on validation data (val. accuracy at best epoch): " in completed.stdout
    assert "the test set was not used" in completed.stdout
    from workbench.runs import RunStore

    runs = RunStore(tmp_path / "store").list_runs()
    assert len(runs) == 5 and all(run.test is None for run in runs)


def test_compare_refuses_bad_rates_in_one_line(tmp_path):
    experiment = tmp_path / "race.toml"
    experiment.write_text('name = "race"\n')
    completed = subprocess.run(
        [sys.executable, "-m", "workbench", "compare", str(experiment), "--lr", "lion=0.1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 2
    assert completed.stderr.strip() == (
        "error: --lr: unknown optimizer 'lion'; race sgd, momentum, adagrad, rmsprop, adam"
    )


def test_each_raced_optimizer_has_its_own_rate_named_in_the_variant(make_experiment):
    group = comparison_group(make_experiment(), "optimizer")
    rates = {v.optimizer.name: v.optimizer.lr for v in group}
    # The book's rates, not the form's one rate (0.01 here) for all five.
    assert rates == {"sgd": 0.01, "momentum": 0.01, "adagrad": 0.01, "rmsprop": 0.01, "adam": 0.001}
    assert [v.name for v in group][0] == "test [sgd, lr 0.01]"
    assert group[-1].name == "test [adam, lr 0.001]"
    edited = comparison_group(make_experiment(), "optimizer", {"sgd": 0.1})
    assert edited[0].optimizer.lr == 0.1 and edited[0].name == "test [sgd, lr 0.1]"
    assert edited[-1].optimizer.lr == 0.001


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sgd", "is not NAME=RATE"),
        ("sgd=fast", "is not NAME=RATE"),
        ("lion=0.1", "unknown optimizer 'lion'"),
        ("adam=0", "greater than 0"),
        ("adam=nan", "greater than 0"),
    ],
)
def test_bad_race_rates_are_refused_in_one_line(text, message):
    from workbench.runs.compare import parse_rates

    with pytest.raises(ValueError, match=message):
        parse_rates(text)


def test_race_rates_parse():
    from workbench.runs.compare import parse_rates

    assert parse_rates("SGD=0.1, adam=1e-3") == {"sgd": 0.1, "adam": 0.001}
