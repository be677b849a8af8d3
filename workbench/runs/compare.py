"""Comparison groups: one experiment varied along one technique, everything else the same.

Every variant keeps the seed, so each starts from the same initial weights and sees the same
batches in the same order (the seed fixes the initialisation and the shuffling generator):
the curves differ only by the technique compared.
"""

from __future__ import annotations

from workbench.config import (
    BatchNormLayer,
    Conv2dLayer,
    DenseLayer,
    Experiment,
)

COMPARE_BY = ("optimizer", "init", "batchnorm")
OPTIMIZERS_RACED = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
INITS_COMPARED = (("normal", "std 0.01"), ("xavier", "Xavier"), ("he", "He"))


def _named(experiment: Experiment, suffix: str, **sections) -> Experiment:
    return experiment.model_copy(update={"name": f"{experiment.name} [{suffix}]", **sections})


def _with_layers(experiment: Experiment, suffix: str, layers) -> Experiment:
    return _named(
        experiment, suffix, model=experiment.model.model_copy(update={"layers": tuple(layers)})
    )


def comparison_group(experiment: Experiment, by: str) -> list[Experiment]:
    """The variants of `experiment` that differ only in `by` (one of `COMPARE_BY`)."""
    if by == "optimizer":
        return [
            _named(
                experiment, name, optimizer=experiment.optimizer.model_copy(update={"name": name})
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
