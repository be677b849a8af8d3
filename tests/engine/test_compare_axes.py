"""Comparison axes that take values (lessons and `workbench compare --by AXIS --values`)."""

import pytest

from tests.conftest import FirstBatch
from workbench.core import fit
from workbench.runs.compare import (
    VALUE_AXES,
    ValuesError,
    comparison_group,
    parse_values,
)
from workbench.runs.diff import config_diff

# What each axis may change in the experiment besides the variant's name.
CHANGED = {
    "batch_size": {"training.batch_size"},
    "lr": {"optimizer.lr"},
    "activation": {"model.layers"},
    "weight_decay": {"optimizer.weight_decay"},
    "l1": {"optimizer.l1"},
    "dropout": {"model.layers"},
    "schedule": {"schedule.name", "schedule.warmup_epochs"},
    "epochs": {"training.epochs"},
    "train_limit": {"data.train_limit"},
    "weight_scale": {"model.layers"},
}


def test_every_axis_that_takes_values_is_covered_here():
    assert set(VALUE_AXES) == set(CHANGED)


@pytest.mark.parametrize("by", sorted(CHANGED))
def test_each_axis_changes_only_its_own_settings(make_experiment, by):
    group = comparison_group(make_experiment(), by)
    assert len(group) == len(VALUE_AXES[by].defaults) >= 2
    keys = {key for key, _ in config_diff([v.to_dict() for v in group])}
    assert keys - {"name"} <= CHANGED[by] and keys - {"name"}
    assert len({v.name for v in group}) == len(group)  # each variant says what it is


@pytest.mark.parametrize(
    ("by", "values"),
    [
        ("lr", "0.0001,0.1"),
        ("weight_decay", "0,0.1"),
        ("l1", "0,0.01"),
        ("schedule", "constant,cosine"),
        ("epochs", "1,2"),
    ],
)
def test_axes_that_leave_the_network_alone_start_from_the_same_weights_and_batch(
    make_experiment, by, values
):
    experiment = make_experiment(training={"epochs": 1})
    group = comparison_group(experiment, by, values=parse_values(by, values))
    losses = []
    for variant in group:
        first = FirstBatch()
        one_epoch = variant.training.model_copy(update={"epochs": 1})
        fit(variant.model_copy(update={"training": one_epoch}), [first], progress_interval_s=0.0)
        losses.append(first.loss)
    assert len(set(losses)) == 1


def test_layer_axes_change_every_layer_with_weights(make_experiment):
    experiment = make_experiment(
        model={
            "layers": [
                {"type": "dense", "units": 8, "init": "he"},
                {"type": "dropout", "p": 0.1},
                {"type": "dense", "units": 8, "activation": "tanh"},
            ]
        }
    )
    sigmoid, elu = comparison_group(experiment, "activation", values=("sigmoid", "elu"))
    assert [layer.activation for layer in sigmoid.model.layers if layer.type == "dense"] == [
        "sigmoid",
        "sigmoid",
    ]
    assert [layer.activation for layer in elu.model.layers if layer.type == "dense"] == ["elu"] * 2
    scaled = comparison_group(experiment, "weight_scale", values=(1.0,))[0]
    dense = [layer for layer in scaled.model.layers if layer.type == "dense"]
    assert [(layer.init, layer.init_std) for layer in dense] == [("normal", 1.0)] * 2
    none, half = comparison_group(experiment, "dropout", values=(0.0, 0.5))
    assert [layer.type for layer in none.model.layers] == ["dense", "dense"]
    assert [(layer.type, getattr(layer, "p", None)) for layer in half.model.layers] == [
        ("dense", None),
        ("dropout", 0.5),
        ("dense", None),
        ("dropout", 0.5),
    ]


def test_a_weight_scale_can_also_be_xavier_or_he(make_experiment):
    assert parse_values("weight_scale", "1, 0.01, Xavier, he") == (1.0, 0.01, "xavier", "he")
    group = comparison_group(make_experiment(), "weight_scale", values=(1.0, "xavier"))
    assert [v.name.rsplit("[", 1)[1] for v in group] == ["std 1]", "Xavier]"]
    assert [v.model.layers[0].init for v in group] == ["normal", "xavier"]


def test_warm_up_takes_a_tenth_of_the_run_and_all_samples_is_no_limit(make_experiment):
    with pytest.raises(ValuesError, match="warmup_epochs: must be fewer than training.epochs"):
        comparison_group(
            make_experiment(training={"epochs": 1}), "schedule", values=("cosine+warmup",)
        )
    experiment = make_experiment(training={"epochs": 30})
    plain, warmed = comparison_group(
        experiment, "schedule", values=parse_values("schedule", "cosine, cosine+warmup")
    )
    assert (plain.schedule.name, plain.schedule.warmup_epochs) == ("cosine", 0)
    assert (warmed.schedule.name, warmed.schedule.warmup_epochs) == ("cosine", 3)
    assert warmed.name.endswith("[cosine + warm-up]")
    assert parse_values("train_limit", "300, all") == (300, 0)
    limited, everything = comparison_group(experiment, "train_limit", values=(300, 0))
    assert (limited.data.train_limit, everything.data.train_limit) == (300, 0)
    assert everything.name.endswith("[all samples]")


@pytest.mark.parametrize(
    ("by", "text", "message"),
    [
        ("lr", "fast", r"^--values: 'fast' is not a number \(e\.g\. 0\.001\)$"),
        ("epochs", "2.5", r"^--values: '2\.5' is not a whole number \(e\.g\. 20\)$"),
        ("activation", "softmax", r"^--values: 'softmax' is not one of sigmoid, tanh, relu"),
        ("schedule", "cosine+warm", r"^--values: 'cosine\+warm' is not one of constant, step"),
        ("train_limit", "0", r"^--values: '0' is not a number of training samples; give 'all'"),
        ("lr", "nan", r"^--values: 'nan' is not a number"),
    ],
)
def test_bad_values_are_refused_in_one_line_naming_the_value(by, text, message):
    with pytest.raises(ValuesError, match=message):
        parse_values(by, text)


@pytest.mark.parametrize(
    ("by", "values", "message"),
    [
        ("lr", (-1.0,), r"^--values: -1\.0 cannot be used: optimizer\.lr: "),
        ("dropout", (1.0,), r"^--values: 1\.0 cannot be used: model layer 2 \(dropout\): p: "),
        ("weight_decay", (11.0,), r"^--values: 11\.0 cannot be used: optimizer\.weight_decay"),
    ],
)
def test_values_outside_the_settings_range_are_refused_by_the_experiments_rules(
    make_experiment, by, values, message
):
    with pytest.raises(ValuesError, match=message):
        comparison_group(make_experiment(), by, values=values)


def test_the_compare_command_takes_a_new_axis(tmp_path, capsys):
    from workbench.cli import compare_command

    experiment = tmp_path / "rates.toml"
    experiment.write_text(
        'name = "rates"\n[model]\nlayers = [{ type = "dense", units = 16 }]\n'
        '[training]\nepochs = 2\ndevice = "cpu"\n[early_stopping]\nenabled = false\n'
    )
    code = compare_command(
        [
            str(experiment),
            "--by",
            "lr",
            "--values",
            "0.00001,0.01",
            "--data-dir",
            str(tmp_path / "store"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "== variant 1/2: rates [lr 1e-05]" in out and "== variant 2/2: rates [lr 0.01]" in out
    # Adam at 1e-5 barely moves in two epochs; at 0.01 it learns: the winner is named.
    assert "best on validation data (val. accuracy at best epoch): rates [lr 0.01]" in out
