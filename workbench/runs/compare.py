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
from workbench.i18n import _

# Mini-batch size "full": the whole training part in one batch (batch gradient descent).
FULL_BATCH = "full"


class ValuesError(ValueError):
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

    `key` is the experiment setting each value sets (section.field); `parse` reads one
    typed value (raising `ValuesError`); `resolve` turns a value into the setting (e.g.
    "full" into the training part's size); `label` names the variant, from the value and the
    setting; `defaults` are the values when none are given.
    """

    key: str
    parse: Callable[[str], Any]
    resolve: Callable[[Experiment, Any], Any]
    label: Callable[[Any, Any], str]
    defaults: tuple[Any, ...]


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
        takes = ", ".join(f"--by {name}" for name in VALUE_AXES)
        raise ValuesError(
            _("--by {by} compares fixed variants; only {takes} takes values").format(
                by=by, takes=takes
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
    section, field = axis.key.split(".")
    data = experiment.to_dict()
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
