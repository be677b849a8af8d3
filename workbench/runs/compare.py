"""Comparison groups: one experiment varied along one technique, everything else the same.

Every variant keeps the seed, so each starts from the same initial weights and sees the same
batches in the same order (the seed fixes the initialisation and the shuffling generator):
the curves differ only by the technique compared.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from workbench.config import (
    BatchNormLayer,
    Conv2dLayer,
    DenseLayer,
    Experiment,
)

COMPARE_BY = ("optimizer", "init", "batchnorm")
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
                f"--lr: unknown optimizer {name!r}; race {', '.join(OPTIMIZERS_RACED)}"
            )
        if not (isinstance(rate, int | float) and math.isfinite(rate) and rate > 0):
            raise ValueError(f"--lr: the rate of {name} must be a number greater than 0")
    return chosen


def parse_rates(text: str) -> dict[str, float]:
    """`"sgd=0.1,adam=0.001"` -> {"sgd": 0.1, "adam": 0.001}; a one-line error otherwise."""
    rates: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, equals, value = item.partition("=")
        try:
            rates[name.strip().lower()] = float(value) if equals else math.nan
        except ValueError:
            raise ValueError(f"--lr: {item!r} is not NAME=RATE (e.g. sgd=0.1)") from None
        if not equals:
            raise ValueError(f"--lr: {item!r} is not NAME=RATE (e.g. sgd=0.1)")
    race_rates(rates)  # checks names and values
    return rates


def comparison_group(
    experiment: Experiment, by: str, rates: Mapping[str, float] | None = None
) -> list[Experiment]:
    """The variants of `experiment` that differ only in `by` (one of `COMPARE_BY`).

    An optimizer race sets each optimizer's own learning rate (`race_rates(rates)`), and names
    it in the variant's name, so the legend and the report say which rate each curve had.
    """
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
    raise ValueError(f"--by: unknown comparison {by!r}; choose from {', '.join(COMPARE_BY)}")
