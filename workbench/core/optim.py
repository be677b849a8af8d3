"""The optimizers of the workbench, all from torch.optim."""

from __future__ import annotations

from collections.abc import Iterable

import torch

from workbench.config import OptimizerConfig


def build_optimizer(
    config: OptimizerConfig, parameters: Iterable[torch.nn.Parameter]
) -> torch.optim.Optimizer:
    """SGD, SGD with momentum, AdaGrad, RMSprop or Adam with the experiment's settings."""
    common = {"lr": config.lr, "weight_decay": config.weight_decay}
    if config.name == "sgd":
        return torch.optim.SGD(parameters, **common)
    if config.name == "momentum":
        return torch.optim.SGD(parameters, momentum=config.momentum, **common)
    if config.name == "adagrad":
        return torch.optim.Adagrad(parameters, **common)
    if config.name == "rmsprop":
        return torch.optim.RMSprop(parameters, **common)
    if config.name == "adam":
        return torch.optim.Adam(parameters, **common)
    raise ValueError(f"optimizer.name: unknown optimizer {config.name!r}")
