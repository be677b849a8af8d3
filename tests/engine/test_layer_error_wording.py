"""Errors name a hidden layer as the model builder's list does: from 1, with its type.

The list numbers its rows 1, 2, 3...; pydantic and the shape checks used to say
`model.layers[5]`, a 0-based index with no type, so a person looked at the wrong row.
"""

import subprocess
import sys

import pytest

from workbench.config import ExperimentError, experiment_from_dict, layer_label
from workbench.models import ModelShapeError, build_model, plan_model


def _refusal(layers):
    with pytest.raises(ExperimentError) as caught:
        experiment_from_dict({"model": {"layers": layers}}, "exp.toml")
    return str(caught.value)


def test_layer_label_counts_from_one():
    assert layer_label(0) == "model layer 1"
    assert layer_label(5, "dense") == "model layer 6 (dense)"


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        (
            [{"type": "dense"}] * 5 + [{"type": "dense", "units": 0}],
            "exp.toml: model layer 6 (dense): units: Input should be greater than or equal to 1",
        ),
        (
            [{"type": "flatten"}, {"type": "dropout", "p": 1.0}],
            "exp.toml: model layer 2 (dropout): p: Input should be less than 1",
        ),
        (
            [{"type": "dense"}, {"type": "dense", "colour": 1}],
            "exp.toml: model layer 2 (dense): colour: unknown key",
        ),
        ([{"type": "conv"}], "exp.toml: model layer 1: unknown layer type 'conv'"),
        ([{"type": "dense"}, {"units": 3}], "exp.toml: model layer 2: a layer needs a 'type' key"),
    ],
)
def test_validation_errors_name_the_layer_from_one_with_its_type(layers, expected):
    message = _refusal(layers)
    assert message.startswith(expected), message
    assert "layers[" not in message and "\n" not in message


def test_other_keys_keep_their_toml_path():
    with pytest.raises(ExperimentError) as caught:
        experiment_from_dict({"optimizer": {"lr": -1}, "training": {"epochz": 3}}, "x.toml")
    message = str(caught.value)
    assert "optimizer.lr: Input should be greater than 0" in message
    assert "training.epochz: unknown key" in message


def test_shape_errors_name_the_layer_from_one_with_its_type():
    config = experiment_from_dict(
        {"model": {"layers": [{"type": "dense", "units": 10}, {"type": "conv2d"}]}}
    ).model
    assert plan_model(config, 64, 10, (1, 8, 8)).first_error.startswith(
        "model layer 2 (conv2d): Conv2d needs an image"
    )
    with pytest.raises(ModelShapeError, match=r"^model layer 2 \(conv2d\): "):
        build_model(config, 64, 10, (1, 8, 8))


def test_the_command_line_names_the_layer_as_the_window_does(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        '[model]\nlayers = [{ type = "dense", units = 10 }, { type = "conv2d" }]\n',
        encoding="utf-8",
    )
    completed = subprocess.run(
        [sys.executable, "-m", "workbench", "run", str(path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "bad.toml: model layer 2 (conv2d): Conv2d needs an image" in completed.stderr
    assert "layers[" not in completed.stderr
