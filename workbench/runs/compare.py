"""Comparison groups: one experiment varied along one technique, everything else the same.

Every variant keeps the seed, so each starts from the same initial weights and sees the same
batches in the same order (the seed fixes the initialisation and the shuffling generator):
the curves differ only by the technique compared. Varying the mini-batch size keeps the
weights and the order of the samples (one shuffle per epoch, drawn by the same generator
whatever the size); only how many of them go into each step changes.

Two kinds of axis: fixed variants (optimizer, init, batchnorm), and axes whose variants are
values the user lists (`--values 1,32,256,full`): `VALUE_AXES` holds those, each with how a
typed value is read and which experiment key it sets, so a new axis is one entry there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from workbench.config import (
    BatchNormLayer,
    Conv2dLayer,
    DenseLayer,
    Experiment,
    format_validation_error,
)
from workbench.errors import UserError
from workbench.i18n import _

# Mini-batch size "full": the whole training part in one batch (batch gradient descent).
FULL_BATCH = "full"


class ValuesError(UserError, ValueError):
    """Bad `--values`: `detail` is the sentence alone, for a window that names no option."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"--values: {detail}")
        self.detail = detail


def _batch_size(text: str) -> int | str:
    if text.lower() == FULL_BATCH:
        return FULL_BATCH
    size = int(text) if re.fullmatch(r"[0-9]{1,9}", text) else 0
    if size < 1:
        raise ValuesError(
            _(
                "{value} is not a mini-batch size; give whole numbers of at least 1, or "
                "{full} for the whole training part"
            ).format(value=repr(text), full=repr(FULL_BATCH))
        )
    return size


def _resolve_batch_size(experiment: Experiment, value: int | str) -> int:
    return training_part_size(experiment) if value == FULL_BATCH else int(value)


def _batch_size_label(value: int | str, resolved: int) -> str:
    return f"full batch {resolved}" if value == FULL_BATCH else f"batch {resolved}"


@dataclass(frozen=True)
class ValueAxis:
    """A comparison axis whose variants are values the user lists.

    `key` is the experiment setting each value sets (section.field), or what it changes
    when `apply` sets more than one field (`model.layers`); `parse` reads one typed value
    (raising `ValuesError`); `label` names the variant, from the value and the setting;
    `defaults` are the values when none are given; `resolve` turns a value into the setting
    (e.g. "full" into the training part's size; by default the value itself); `apply`, when
    given, writes the setting into the experiment's dictionary itself (layers, a schedule
    with its warm-up).
    """

    key: str
    parse: Callable[[str], Any]
    label: Callable[[Any, Any], str]
    defaults: tuple[Any, ...]
    resolve: Callable[[Experiment, Any], Any] = lambda _experiment, value: value
    apply: Callable[[dict[str, Any], Any], None] | None = None


def _number(kind: type, example: str) -> Callable[[str], Any]:
    """A parser of one number of `kind`; the experiment's own rules check its range."""

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not math.isfinite(value):
            template = (
                _("{value} is not a whole number (e.g. {example})")
                if kind is int
                else _("{value} is not a number (e.g. {example})")
            )
            raise ValuesError(template.format(value=repr(text), example=example))
        return value

    return parse


def _choice(names: Sequence[str]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        name = text.strip().lower().replace("-", "_")
        if name not in names:
            raise ValuesError(
                _("{value} is not one of {names}").format(value=repr(text), names=", ".join(names))
            )
        return name

    return parse


def _train_limit(text: str) -> int:
    if text.strip().lower() == ALL_SAMPLES:
        return 0
    value = _number(int, "300")(text)
    if value < 1:
        raise ValuesError(
            _("{value} is not a number of training samples; give {all} for all of them").format(
                value=repr(text), all=repr(ALL_SAMPLES)
            )
        )
    return value


def _weighted_layers(data: dict[str, Any]):
    """The layers with weights (dense, conv2d) of an experiment's dictionary."""
    return [layer for layer in data["model"]["layers"] if layer.get("type") in ("dense", "conv2d")]


def _set_activation(data: dict[str, Any], name: str) -> None:
    for layer in _weighted_layers(data):
        layer["activation"] = name


def _set_weight_scale(data: dict[str, Any], scale: float | str) -> None:
    # The book's experiment: weights drawn from a normal distribution of this std, whatever
    # the form's initialisation was; or Xavier's or He's initial values, beside them.
    for layer in _weighted_layers(data):
        if isinstance(scale, str):
            layer["init"] = scale
        else:
            layer["init"], layer["init_std"] = "normal", scale


def _weight_scale(text: str) -> float | str:
    name = text.strip().lower()
    if name in SCALED_INITS:
        return name
    return _number(float, "0.01")(text)


def _weight_scale_label(value: float | str, _setting: Any) -> str:
    return SCALED_INITS[value] if isinstance(value, str) else f"std {value:g}"


def _set_dropout(data: dict[str, Any], p: float) -> None:
    """Dropout of `p` after every layer with weights (0: none); the layers' own p replaced."""
    layers = [layer for layer in data["model"]["layers"] if layer.get("type") != "dropout"]
    if p > 0:
        with_dropout: list[dict[str, Any]] = []
        for layer in layers:
            with_dropout.append(layer)
            if layer.get("type") in ("dense", "conv2d"):
                with_dropout.append({"type": "dropout", "p": p})
        layers = with_dropout
    data["model"]["layers"] = layers


def _set_schedule(data: dict[str, Any], value: str) -> None:
    name, warmed, _rest = value.partition(WARMUP_SUFFIX)
    data["schedule"]["name"] = name
    epochs = data["training"]["epochs"]
    # A tenth of the run spent warming up (at least one epoch), as warm-up is usually sized.
    data["schedule"]["warmup_epochs"] = max(1, round(epochs / 10)) if warmed else 0


def _schedule(text: str) -> str:
    value = text.strip().lower().replace(" ", "")
    name, plus, rest = value.partition(WARMUP_SUFFIX)
    if rest or name not in SCHEDULES:
        raise ValuesError(
            _("{value} is not one of {names}, each optionally with {warmup}").format(
                value=repr(text), names=", ".join(SCHEDULES), warmup=repr(WARMUP_SUFFIX)
            )
        )
    return name + plus


# The values of a train_limit axis: "all" is the whole training part (train_limit 0).
ALL_SAMPLES = "all"
# A schedule value "cosine+warmup": the schedule after a linear warm-up (a tenth of the run).
WARMUP_SUFFIX = "+warmup"
SCHEDULES = ("constant", "step", "exponential", "cosine", "onecycle", "plateau")
# A weight_scale value may also name these initialisations (each layer's scale its own).
SCALED_INITS = {"xavier": "Xavier", "he": "He"}
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "swish", "gelu")

VALUE_AXES: dict[str, ValueAxis] = {
    # On the digits (1,077 training samples) with the example MLP, size 1 takes ~0.9 s an
    # epoch on one core: 20 epochs of the four sizes stay under a minute.
    "batch_size": ValueAxis(
        key="training.batch_size",
        parse=_batch_size,
        resolve=_resolve_batch_size,
        label=_batch_size_label,
        defaults=(1, 32, 256, FULL_BATCH),
    ),
    # Too small, about right and too large for Adam on the digits (1 diverges).
    "lr": ValueAxis(
        key="optimizer.lr",
        parse=_number(float, "0.001"),
        label=lambda value, _s: f"lr {value:g}",
        defaults=(1e-5, 1e-3, 1.0),
    ),
    "activation": ValueAxis(
        key="model.layers",
        parse=_choice(ACTIVATIONS),
        label=lambda value, _s: value,
        defaults=("sigmoid", "relu", "leaky_relu", "elu", "swish"),
        apply=_set_activation,
    ),
    "weight_decay": ValueAxis(
        key="optimizer.weight_decay",
        parse=_number(float, "0.001"),
        label=lambda value, _s: f"weight decay {value:g}",
        defaults=(0.0, 1e-3, 1e-2, 1e-1),
    ),
    "l1": ValueAxis(
        key="optimizer.l1",
        parse=_number(float, "0.0001"),
        label=lambda value, _s: f"L1 {value:g}",
        defaults=(0.0, 1e-4, 1e-3),
    ),
    "dropout": ValueAxis(
        key="model.layers",
        parse=_number(float, "0.5"),
        label=lambda value, _s: f"dropout {value:g}",
        defaults=(0.0, 0.2, 0.5),
        apply=_set_dropout,
    ),
    "schedule": ValueAxis(
        key="schedule",
        parse=_schedule,
        label=lambda value, _s: value.replace(WARMUP_SUFFIX, " + warm-up"),
        defaults=("constant", "step", "cosine", "cosine" + WARMUP_SUFFIX),
        apply=_set_schedule,
    ),
    "epochs": ValueAxis(
        key="training.epochs",
        parse=_number(int, "20"),
        label=lambda value, _s: f"{value} epochs",
        defaults=(5, 20, 50),
    ),
    "train_limit": ValueAxis(
        key="data.train_limit",
        parse=_train_limit,
        label=lambda value, _s: f"{value} samples" if value else "all samples",
        defaults=(100, 300, 0),
    ),
    # The book's weight-initialisation experiment: normal weights of std 1, 0.01 and between.
    "weight_scale": ValueAxis(
        key="model.layers",
        parse=_weight_scale,
        label=_weight_scale_label,
        defaults=(0.01, 0.1, 1.0),
        apply=_set_weight_scale,
    ),
}

COMPARE_BY = ("optimizer", "init", "batchnorm", *VALUE_AXES)
OPTIMIZERS_RACED = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
# Each optimizer races with a rate that suits its own update rule: the book's (ゼロから作る
# Deep Learning, chapter 6, common/optimizer.py defaults). One shared rate favours whichever
# optimizer it was tuned for: Adam's 0.001 left SGD at 17 % on the 5-layer MLP, "teaching" that
# SGD is useless. With these, on that MLP and the digits (30 epochs), SGD ends at a training
# loss of 0.33 and the others near 0.001-0.005: slower, as the book shows, not broken.
RACE_LEARNING_RATES = {
    "sgd": 0.01,
    "momentum": 0.01,
    "adagrad": 0.01,
    "rmsprop": 0.01,
    "adam": 0.001,
}
INITS_COMPARED = (("normal", "std 0.01"), ("xavier", "Xavier"), ("he", "He"))


def _named(experiment: Experiment, suffix: str, **sections) -> Experiment:
    return experiment.model_copy(update={"name": f"{experiment.name} [{suffix}]", **sections})


def _with_layers(experiment: Experiment, suffix: str, layers) -> Experiment:
    return _named(
        experiment, suffix, model=experiment.model.model_copy(update={"layers": tuple(layers)})
    )


def race_rates(rates: Mapping[str, float] | None = None) -> dict[str, float]:
    """The learning rate of each raced optimizer: the book's, with `rates` overriding them."""
    chosen = {**RACE_LEARNING_RATES, **(rates or {})}
    for name, rate in chosen.items():
        if name not in RACE_LEARNING_RATES:
            raise ValueError(
                "--lr: "
                + _("unknown optimizer {name}; race {names}").format(
                    name=repr(name), names=", ".join(OPTIMIZERS_RACED)
                )
            )
        if not (isinstance(rate, int | float) and math.isfinite(rate) and rate > 0):
            raise ValueError(
                "--lr: " + _("the rate of {name} must be a number greater than 0").format(name=name)
            )
    return chosen


def parse_rates(text: str) -> dict[str, float]:
    """`"sgd=0.1,adam=0.001"` -> {"sgd": 0.1, "adam": 0.001}; a one-line error otherwise."""
    rates: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, equals, value = item.partition("=")
        try:
            rates[name.strip().lower()] = float(value) if equals else math.nan
        except ValueError:
            raise ValueError(_not_a_rate(item)) from None
        if not equals:
            raise ValueError(_not_a_rate(item))
    race_rates(rates)  # checks names and values
    return rates


def training_part_size(experiment: Experiment) -> int:
    """How many samples the experiment trains on per epoch (after its train_limit).

    Loads the dataset (built-in, or an import already cached), as `check_runnable` does.
    """
    from workbench.data.sources import load_source
    from workbench.data.split import split_sizes

    data = experiment.data
    dataset = load_source(data)
    own_test = len(dataset.test_labels) if dataset.test_labels is not None else None
    n_train, _, _ = split_sizes(
        dataset.n_samples, data.val_fraction, data.test_fraction, data.train_limit, own_test
    )
    return n_train


def parse_values(by: str, text: str) -> tuple[Any, ...]:
    """`"1,32,256,full"` -> (1, 32, 256, "full") for `by`; `ValuesError` in one line otherwise."""
    axis = VALUE_AXES.get(by)
    if axis is None:
        raise ValuesError(
            _("--by {by} compares fixed variants and takes no values; these do: {names}").format(
                by=by, names=", ".join(VALUE_AXES)
            )
        )
    items = [part.strip() for part in text.split(",")]
    if not any(items):
        raise ValuesError(_("give at least one value, separated by commas (e.g. 1,32,256,full)"))
    values: list[Any] = []
    for item in items:
        if not item:
            raise ValuesError(
                _("an empty value in {text}; separate values by commas").format(
                    text=repr(text.strip())
                )
            )
        value = axis.parse(item)
        if value in values:
            raise ValuesError(_("{value} is listed twice").format(value=item))
        values.append(value)
    return tuple(values)


def _with_value(experiment: Experiment, axis: ValueAxis, value: Any) -> Experiment:
    setting = axis.resolve(experiment, value)
    data = experiment.to_dict()
    if axis.apply is not None:
        axis.apply(data, setting)
    else:
        section, field = axis.key.split(".")
        data[section][field] = setting
    try:
        # Validated whole, so the setting meets the experiment's own rules (batch norm needs
        # 2 samples a batch) before anything trains.
        variant = Experiment.model_validate(data)
    except ValidationError as error:
        raise ValuesError(
            _("{value} cannot be used: {reason}").format(
                value=value, reason=format_validation_error(error)
            )
        ) from None
    return _named(variant, axis.label(value, setting))


def comparison_group(
    experiment: Experiment,
    by: str,
    rates: Mapping[str, float] | None = None,
    values: Sequence[Any] | None = None,
) -> list[Experiment]:
    """The variants of `experiment` that differ only in `by` (one of `COMPARE_BY`).

    An optimizer race sets each optimizer's own learning rate (`race_rates(rates)`), and names
    it in the variant's name, so the legend and the report say which rate each curve had.
    An axis of `VALUE_AXES` makes one variant per value (`parse_values`), in their order;
    None: the axis' defaults. Values are refused (`ValuesError`) for the other axes.
    """
    if by in VALUE_AXES:
        axis = VALUE_AXES[by]
        return [_with_value(experiment, axis, value) for value in (values or axis.defaults)]
    if values:
        parse_values(by, "")  # raises: this axis takes no values
    if by == "optimizer":
        chosen = race_rates(rates)
        return [
            _named(
                experiment,
                f"{name}, lr {chosen[name]:g}",
                optimizer=experiment.optimizer.model_copy(
                    update={"name": name, "lr": float(chosen[name])}
                ),
            )
            for name in OPTIMIZERS_RACED
        ]
    if by == "init":
        return [
            _with_layers(
                experiment,
                label,
                (
                    layer.model_copy(update={"init": init, "init_std": 0.01})
                    if isinstance(layer, DenseLayer | Conv2dLayer)
                    else layer
                    for layer in experiment.model.layers
                ),
            )
            for init, label in INITS_COMPARED
        ]
    if by == "batchnorm":
        plain = [
            layer for layer in experiment.model.layers if not isinstance(layer, BatchNormLayer)
        ]
        normalised: list = []
        for layer in plain:
            normalised.append(layer)
            if isinstance(layer, DenseLayer | Conv2dLayer):
                normalised.append(BatchNormLayer())
        return [
            _with_layers(experiment, "no batch norm", plain),
            _with_layers(experiment, "batch norm", normalised),
        ]
    raise ValueError(
        "--by: "
        + _("unknown comparison {by}; choose from {names}").format(
            by=repr(by), names=", ".join(COMPARE_BY)
        )
    )


def _not_a_rate(item: str) -> str:
    return "--lr: " + _("{item} is not NAME=RATE (e.g. sgd=0.1)").format(item=repr(item))
