"""Every technique of issue 3 builds and trains: optimizers, schedules, inits, activations,
regularisation, convolution, and the shape checks that flag a stack that cannot work."""

import itertools

import pytest
import torch

from tests.conftest import EXAMPLE, script_validation
from workbench.config import ExperimentError, ModelConfig, experiment_from_dict
from workbench.core import RunStatus, fit
from workbench.core import engine as engine_module
from workbench.core.checks import check_runnable
from workbench.core.device import available_devices, resolve_device
from workbench.core.optim import build_optimizer, l1_parameters, l1_penalty
from workbench.core.schedule import planned_lr
from workbench.data import load_dataset, split_dataset
from workbench.models import ModelShapeError, build_model, plan_model
from workbench.models.presets import PRESETS

EXAMPLES = EXAMPLE.parent


@pytest.mark.parametrize(
    "name", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"]
)
def test_each_optimizer_trains(make_experiment, name):
    result = fit(make_experiment(optimizer={"name": name, "lr": 0.05 if "sgd" in name else 0.01}))
    assert result.status == RunStatus.COMPLETED
    assert result.history[-1].train_loss < result.history[0].train_loss


def test_optimizer_settings_reach_torch():
    params = [torch.nn.Parameter(torch.zeros(2))]
    config = experiment_from_dict(
        {"optimizer": {"name": "nesterov", "lr": 0.1, "momentum": 0.8, "weight_decay": 0.01}}
    ).optimizer
    group = build_optimizer(config, params).param_groups[0]
    assert (group["nesterov"], group["momentum"], group["weight_decay"]) == (True, 0.8, 0.01)
    config = experiment_from_dict(
        {"optimizer": {"name": "adamw", "betas": [0.8, 0.99], "eps": 1e-6}}
    ).optimizer
    optimizer = build_optimizer(config, params)
    assert isinstance(optimizer, torch.optim.AdamW)
    assert optimizer.param_groups[0]["betas"] == (0.8, 0.99)
    rmsprop = experiment_from_dict({"optimizer": {"name": "rmsprop", "alpha": 0.9}}).optimizer
    assert build_optimizer(rmsprop, params).param_groups[0]["alpha"] == 0.9


SCHEDULES = [
    {"name": "constant"},
    {"name": "constant", "warmup_epochs": 3},
    {"name": "step", "step_size": 2, "gamma": 0.5},
    {"name": "step", "step_size": 2, "gamma": 0.5, "warmup_epochs": 2},
    {"name": "exponential", "gamma": 0.8},
    {"name": "cosine", "min_lr": 0.001},
    {"name": "cosine", "warmup_epochs": 2},
    {"name": "onecycle"},
]


@pytest.mark.parametrize("schedule", SCHEDULES, ids=lambda s: "-".join(map(str, s.values())))
def test_schedule_preview_matches_the_live_learning_rate(make_experiment, schedule):
    experiment = make_experiment(
        optimizer={"name": "momentum", "lr": 0.05},
        schedule=schedule,
        training={"epochs": 6, "batch_size": 128},
    )
    result = fit(experiment)
    live = [m.lr for m in result.history]
    n_train = len(split_dataset(load_dataset("digits"), 0.2, 0.2, 0).y_train)
    batches = len(engine_module.batch_starts(n_train, 128))
    planned = planned_lr(experiment.schedule, experiment.optimizer, 6, batches)
    assert live == pytest.approx(planned, rel=1e-9)
    if schedule["name"] != "constant" or schedule.get("warmup_epochs"):
        assert len(set(live)) > 1  # the rate really moved
    if schedule.get("warmup_epochs"):
        assert live[0] == pytest.approx(0.05 * 0.1) and max(live) == pytest.approx(0.05)


def test_reduce_on_plateau_cuts_the_rate_when_validation_stalls(monkeypatch, make_experiment):
    script_validation(monkeypatch, [(v, 0.5) for v in [1.0, 0.9, 0.95, 0.96, 0.97, 0.98]])
    experiment = make_experiment(
        optimizer={"lr": 0.01},
        schedule={"name": "plateau", "patience": 1, "gamma": 0.5},
        training={"epochs": 6},
    )
    live = [m.lr for m in fit(experiment).history]
    # Best at epoch 2; epochs 3 and 4 do not improve; patience 1 cuts after epoch 4.
    assert live == pytest.approx([0.01, 0.01, 0.01, 0.01, 0.005, 0.005])


ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "swish", "gelu", "identity"]
INITS = ["default", "normal", "xavier", "he"]


@pytest.mark.parametrize(("activation", "init"), list(itertools.product(ACTIVATIONS, INITS)))
def test_each_activation_and_init_builds_and_takes_a_step(activation, init):
    config = experiment_from_dict(
        {
            "model": {
                "layers": [
                    {"type": "dense", "units": 16, "activation": activation, "init": init},
                    {"type": "batchnorm"},
                    {"type": "dense", "units": 8, "activation": activation, "init": init},
                ]
            }
        }
    ).model
    torch.manual_seed(0)
    model = build_model(config, 4, 3)
    before = model[0].weight.detach().clone()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss = torch.nn.functional.cross_entropy(model(torch.randn(8, 4)), torch.arange(8) % 3)
    loss.backward()
    optimizer.step()
    assert torch.isfinite(loss) and not torch.equal(before, model[0].weight)


def test_leaky_relu_uses_the_configured_slope():
    config = experiment_from_dict(
        {
            "model": {
                "layers": [
                    {"type": "dense", "units": 4, "activation": "leaky_relu", "negative_slope": 0.2}
                ]
            }
        }
    ).model
    assert build_model(config, 3, 2)[1].negative_slope == 0.2


def test_l1_term_covers_weights_but_not_biases_or_norms():
    config = experiment_from_dict(
        {"model": {"layers": [{"type": "dense", "units": 5}, {"type": "batchnorm"}]}}
    ).model
    model = build_model(config, 3, 2)
    weights = l1_parameters(model)
    assert [tuple(w.shape) for w in weights] == [(5, 3), (2, 5)]
    expected = model[0].weight.abs().sum() + model[3].weight.abs().sum()
    assert l1_penalty(weights).item() == pytest.approx(expected.item())


def test_l1_shrinks_the_weights(make_experiment):
    def total_abs_weight(l1):
        result = fit(
            make_experiment(optimizer={"name": "sgd", "lr": 0.1, "l1": l1}, training={"epochs": 5})
        )
        return sum(v.abs().sum().item() for k, v in result.weights.items() if "weight" in k)

    assert total_abs_weight(0.01) < 0.8 * total_abs_weight(0.0)


def test_gradient_clipping_bounds_each_step(make_experiment):
    # One batch per epoch and plain SGD with lr 1: a step moves the weights by the clipped
    # gradient, whose norm is at most grad_clip.
    experiment = make_experiment(
        optimizer={"name": "sgd", "lr": 1.0, "grad_clip": 0.001},
        training={"epochs": 1, "batch_size": 5000},
        early_stopping={"restore_best": False},
    )
    torch.manual_seed(experiment.seed)
    initial = build_model(experiment.model, 64, 10).state_dict()
    final = fit(experiment).weights
    moved = torch.sqrt(sum(((final[k] - initial[k]) ** 2).sum() for k in initial))
    assert 0 < moved.item() <= 0.001 + 1e-6


def test_deterministic_mode_repeats_and_is_switched_back_off(make_experiment):
    experiment = make_experiment(training={"deterministic": True})
    first, second = fit(experiment), fit(experiment)
    assert [m.val_loss for m in first.history] == [m.val_loss for m in second.history]
    assert not torch.are_deterministic_algorithms_enabled()


def test_early_stopping_on_accuracy_waits_for_accuracy_to_stop_rising(monkeypatch, make_experiment):
    script_validation(monkeypatch, [(1.0, v) for v in [0.5, 0.6, 0.6, 0.55, 0.9]])
    experiment = make_experiment(
        training={"epochs": 5},
        early_stopping={"enabled": True, "monitor": "val_accuracy", "patience": 2},
    )
    result = fit(experiment)
    assert (result.status, result.epochs_run, result.best_epoch) == (RunStatus.EARLY_STOPPED, 4, 2)


def test_small_cnn_learns_the_digits(make_experiment):
    experiment = make_experiment(
        model=PRESETS["small_cnn"][1].model_dump(mode="json"), training={"epochs": 8}
    )
    result = fit(experiment)
    assert result.status == RunStatus.COMPLETED
    assert result.test.accuracy > 0.9


@pytest.mark.parametrize(
    ("layers", "bad_index", "reason"),
    [
        ([{"type": "flatten"}, {"type": "conv2d"}], 1, "Conv2d needs an image"),
        ([{"type": "dense", "units": 8}, {"type": "conv2d"}], 1, "Conv2d needs an image"),
        ([{"type": "conv2d", "kernel": 9}], 0, "kernel 9 is larger than the 8x8 input"),
        (
            [{"type": "conv2d", "kernel": 3}, {"type": "dense", "units": 4}],
            1,
            "put a Flatten before it",
        ),
        (
            [{"type": "maxpool2d", "kernel": 4}, {"type": "maxpool2d", "kernel": 4}],
            1,
            "kernel 4 is larger than the 2x2 input",
        ),
        ([{"type": "flatten"}, {"type": "maxpool2d"}], 1, "MaxPool2d needs an image"),
    ],
)
def test_shape_checks_flag_the_offending_layer(layers, bad_index, reason):
    config = experiment_from_dict({"model": {"layers": layers}}).model
    plan = plan_model(config, 64, 10, (1, 8, 8))
    assert [i for i, p in enumerate(plan.layers) if p.error and "see above" not in p.error] == [
        bad_index
    ]
    assert reason in plan.layers[bad_index].error
    # Numbered from 1, as the model builder's list numbers its rows.
    with pytest.raises(ModelShapeError, match=rf"model layer {bad_index + 1} \(\w+\): "):
        build_model(config, 64, 10, (1, 8, 8))


def test_output_layer_needs_a_flat_input():
    config = experiment_from_dict({"model": {"layers": [{"type": "conv2d"}]}}).model
    plan = plan_model(config, 64, 10, (1, 8, 8))
    assert plan.layers[0].output_shape == (16, 6, 6)
    assert "add Flatten" in plan.output.error
    assert plan.first_error.startswith("model.layers: ")


def test_plan_reports_shapes_and_parameters_of_each_layer():
    plan = plan_model(PRESETS["small_cnn"][1], 64, 10, (1, 8, 8))
    shapes = [p.output_shape for p in plan.layers]
    assert shapes == [(16, 8, 8), (16, 4, 4), (32, 4, 4), (32, 2, 2), (128,)]
    assert [p.parameters for p in plan.layers] == [16 * 9 + 16, 0, 32 * 16 * 9 + 32, 0, 0]
    assert plan.output.parameters == 128 * 10 + 10
    assert plan.total_parameters == sum(
        p.numel() for p in build_model(PRESETS["small_cnn"][1], 64, 10, (1, 8, 8)).parameters()
    )


def test_batch_norm_is_1d_or_2d_by_position():
    config = experiment_from_dict(
        {
            "model": {
                "layers": [
                    {"type": "conv2d"},
                    {"type": "batchnorm"},
                    {"type": "flatten"},
                    {"type": "batchnorm"},
                ]
            }
        }
    ).model
    kinds = [type(m).__name__ for m in build_model(config, 64, 10, (1, 8, 8))]
    assert "BatchNorm2d" in kinds and "BatchNorm1d" in kinds
    assert kinds.index("BatchNorm2d") < kinds.index("Flatten") < kinds.index("BatchNorm1d")


def test_convolution_on_flat_data_is_refused_before_training(make_experiment):
    experiment = make_experiment(data={"source": "spiral"}, model={"layers": [{"type": "conv2d"}]})
    with pytest.raises(ExperimentError, match=r"model layer 1 \(conv2d\): the data are not images"):
        check_runnable(experiment)


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_each_preset_ships_as_an_example_file(key):
    from workbench.config import load_experiment

    file_name, model = PRESETS[key]
    assert load_experiment(EXAMPLES / file_name).model == model


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"version": 2}, "version: Input should be less than or equal to 1"),
        ({"optimizer": {"name": "nesterov", "momentum": 0.0}}, "nesterov needs a momentum"),
        ({"optimizer": {"momentum": 1.0}}, "optimizer.momentum: Input should be less than 1"),
        ({"optimizer": {"betas": [0.9]}}, "optimizer.betas"),
        ({"schedule": {"name": "onecycle", "warmup_epochs": 2}}, "warmup_epochs: not used"),
        ({"schedule": {"warmup_epochs": 20}}, "schedule.warmup_epochs: must be fewer"),
        ({"training": {"device": "gpu"}}, "training.device: 'gpu' is not a device"),
        ({"model": {"layers": [{"type": "dense", "units": 0}]}}, "model layer 1 (dense): units"),
    ],
)
def test_bad_technique_settings_name_the_key(section, message):
    with pytest.raises(ExperimentError) as caught:
        experiment_from_dict(section, "x.toml")
    assert message in str(caught.value)


def test_devices_are_named_and_missing_ones_refused():
    assert available_devices()[0] == ("cpu", "CPU")
    assert str(resolve_device("cpu")) == "cpu"
    if not torch.cuda.is_available():
        with pytest.raises(ExperimentError, match="no CUDA device"):
            resolve_device("cuda:1")


def test_empty_model_is_a_linear_classifier():
    assert build_model(ModelConfig(layers=()), 64, 10)[0].in_features == 64
