"""The optimizers of the workbench, all from torch.optim."""

from __future__ import annotations

from collections.abc import Iterable

import torch

from workbench.config import OptimizerConfig


def build_optimizer(
    config: OptimizerConfig, parameters: Iterable[torch.nn.Parameter]
) -> torch.optim.Optimizer:
    """SGD, SGD with momentum, AdaGrad, RMSprop or Adam with the experiment's settings."""
    lr, decay = config.lr, config.weight_decay
    if config.name == "sgd":
        return torch.optim.SGD(parameters, lr=lr, weight_decay=decay)
    if config.name == "momentum":
        return torch.optim.SGD(parameters, lr=lr, momentum=config.momentum, weight_decay=decay)
    if config.name == "adagrad":
        return torch.optim.Adagrad(parameters, lr=lr, weight_decay=decay)
    if config.name == "rmsprop":
        return torch.optim.RMSprop(parameters, lr=lr, weight_decay=decay)
    if config.name == "adam":
        return torch.optim.Adam(parameters, lr=lr, weight_decay=decay)
    raise ValueError(f"optimizer.name: unknown optimizer {config.name!r}")
