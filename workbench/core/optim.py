"""The optimizers of the workbench, all from torch.optim."""

from __future__ import annotations

from collections.abc import Iterable

import torch

from workbench.config import OptimizerConfig


def build_optimizer(
    config: OptimizerConfig, parameters: Iterable[torch.nn.Parameter]
) -> torch.optim.Optimizer:
    """SGD (plain, momentum, Nesterov), AdaGrad, RMSprop, Adam or AdamW as configured.

    `weight_decay` is L2 added to the gradient for all of them except AdamW, where it is the
    decoupled decay that gives AdamW its name.
    """
    lr, decay, eps = config.lr, config.weight_decay, config.eps
    name = config.name
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=lr, weight_decay=decay)
    if name in ("momentum", "nesterov"):
        return torch.optim.SGD(
            parameters,
            lr=lr,
            momentum=config.momentum,
            nesterov=name == "nesterov",
            weight_decay=decay,
        )
    if name == "adagrad":
        return torch.optim.Adagrad(parameters, lr=lr, eps=eps, weight_decay=decay)
    if name == "rmsprop":
        return torch.optim.RMSprop(
            parameters, lr=lr, alpha=config.alpha, eps=eps, weight_decay=decay
        )
    if name == "adam":
        return torch.optim.Adam(parameters, lr=lr, betas=config.betas, eps=eps, weight_decay=decay)
    if name == "adamw":
        return torch.optim.AdamW(parameters, lr=lr, betas=config.betas, eps=eps, weight_decay=decay)
    raise ValueError(f"optimizer.name: unknown optimizer {name!r}")


def l1_parameters(model: torch.nn.Module) -> list[torch.Tensor]:
    """The weights the L1 penalty applies to: those of Linear and Conv2d, not biases or norms.

    Penalising biases or batch-norm scales pulls them towards zero for no benefit in sparsity.
    """
    return [
        module.weight
        for module in model.modules()
        if isinstance(module, torch.nn.Linear | torch.nn.Conv2d)
    ]


def l1_penalty(weights: list[torch.Tensor]) -> torch.Tensor:
    """The sum of absolute weights; the loop adds `l1` times this to the loss it minimises."""
    return torch.stack([w.abs().sum() for w in weights]).sum()
