"""Experiment files: defaults, round trips, and one-line errors that name the key."""

import pytest

from tests.conftest import EXAMPLE
from workbench.config import (
    Experiment,
    ExperimentError,
    experiment_from_dict,
    experiment_to_toml,
    load_experiment,
    save_experiment,
)


def write(tmp_path, text, name="exp.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_keys_take_defaults(tmp_path):
    experiment = load_experiment(write(tmp_path, 'name = "tiny"\n'))
    assert experiment.name == "tiny"
    assert experiment == Experiment(name="tiny")
    assert experiment.data.source == "digits"
    assert experiment.training.epochs == 20 and experiment.optimizer.name == "adam"


def test_the_shipped_example_loads_as_written():
    experiment = load_experiment(EXAMPLE)
    assert experiment.name == "digits-adam"
    assert [layer.type for layer in experiment.model.layers] == ["dense", "dropout"]
    assert experiment.model.layers[0].units == 100
    assert experiment.early_stopping.patience == 5


def test_save_then_load_gives_the_same_experiment(tmp_path):
    original = load_experiment(EXAMPLE)
    path = tmp_path / "again.toml"
    save_experiment(original, path)
    assert load_experiment(path) == original
    assert "[optimizer]" in experiment_to_toml(original)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[optimizer]\nlr = -0.1\n", "optimizer.lr: Input should be greater than 0"),
        ("[training]\nbatch_size = 0\n", "training.batch_size: Input should be greater than or"),
        ("[training]\nepochs = 0\n", "training.epochs: Input should be greater than or equal"),
        ("[optimizer]\nlearning_rate = 0.1\n", "optimizer.learning_rate: unknown key"),
        ("colour = 1\n", "colour: unknown key"),
        ('[optimizer]\nlr = "fast"\n', "optimizer.lr: Input should be a valid number"),
        ("[training]\nepochs = 2.5\n", "training.epochs: Input should be a valid integer"),
        ('[optimizer]\nname = "lbfgs"\n', "optimizer.name: Input should be 'sgd'"),
        (
            '[model]\nlayers = [{ type = "dense", units = 0 }]\n',
            "model layer 1 (dense): units: Input should be greater than or equal to 1",
        ),
        ('[model]\nlayers = [{ type = "conv" }]\n', "model layer 1: unknown layer type 'conv'"),
        (
            '[model]\nlayers = [{ type = "dropout", p = 1.0 }]\n',
            "model layer 1 (dropout): p: Input should be less than 1",
        ),
        ("[data]\nval_fraction = 0.5\ntest_fraction = 0.4\n", "data: val_fraction + test_fr"),
        (
            '[model]\nlayers = [{ type = "batchnorm" }]\n[training]\nbatch_size = 1\n',
            "training.batch_size: batch normalisation needs at least 2",
        ),
        ("name = [1\n", "not valid TOML"),
    ],
)
def test_bad_files_give_one_line_naming_the_key(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ExperimentError) as caught:
        load_experiment(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message


def test_several_problems_are_all_named_on_one_line(tmp_path):
    path = write(tmp_path, "[training]\nepochs = 0\nbatch_size = 0\n")
    with pytest.raises(ExperimentError, match="training.epochs.*; training.batch_size"):
        load_experiment(path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ExperimentError, match="no such file"):
        load_experiment(tmp_path / "absent.toml")


def test_experiment_with_sets_dotted_paths_and_names_a_bad_one():
    from workbench.config import Experiment, ExperimentError, experiment_with

    base = Experiment.model_validate({"model": {"layers": [{"type": "dense"}, {"type": "dense"}]}})
    changed = experiment_with(base, {"optimizer.lr": 0.1, "model.layers.1.init": "xavier"})
    assert changed.optimizer.lr == 0.1 and changed.model.layers[1].init == "xavier"
    assert changed.model.layers[0] == base.model.layers[0] and base.optimizer.lr == 0.001
    with pytest.raises(ExperimentError, match=r"^optimizer\.nope: no such setting"):
        experiment_with(base, {"optimizer.nope": 1})
    with pytest.raises(ExperimentError, match=r"model\.layers\.5\.init"):
        experiment_with(base, {"model.layers.5.init": "he"})
    with pytest.raises(ExperimentError, match=r"optimizer\.lr"):
        experiment_with(base, {"optimizer.lr": -1.0})


def test_an_unknown_data_source_is_one_plain_message_naming_every_source():
    """It named pydantic's two alternatives ("data.source.literal['digits',...]: ...")."""
    with pytest.raises(ExperimentError) as caught:
        experiment_from_dict({"data": {"source": "cifar"}}, "exp.toml")
    message = str(caught.value)
    assert "literal" not in message and message.count("data.source") == 1, message
    assert "'digits'" in message and "'npz'" in message
