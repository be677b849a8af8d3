"""Turn the layer list of an experiment into an `nn.Sequential`, initialised as asked."""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn

from workbench.config import BatchNormLayer, DenseLayer, DropoutLayer, ModelConfig

_ACTIVATIONS: dict[str, type[nn.Module]] = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "swish": nn.SiLU,
    "gelu": nn.GELU,
    "identity": nn.Identity,
}

# The gain nn.init uses for Xavier, per activation (nn.init.calculate_gain's names).
_GainName = Literal["linear", "sigmoid", "tanh", "relu", "leaky_relu"]
_GAIN_NAMES: dict[str, _GainName] = {
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "relu",
    "leaky_relu": "leaky_relu",
}


def _initialise(linear: nn.Linear, layer: DenseLayer) -> None:
    if layer.init == "default":
        return  # PyTorch's own (Kaiming-uniform with a=sqrt(5)): the baseline to compare with
    if layer.init == "normal":
        nn.init.normal_(linear.weight, mean=0.0, std=layer.init_std)
    elif layer.init == "xavier":
        gain = nn.init.calculate_gain(_GAIN_NAMES.get(layer.activation, "linear"))
        nn.init.xavier_normal_(linear.weight, gain=gain)
    elif layer.init == "he":
        if layer.activation == "leaky_relu":
            nn.init.kaiming_normal_(linear.weight, nonlinearity="leaky_relu")
        else:
            nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
    nn.init.zeros_(linear.bias)


def build_model(config: ModelConfig, n_features: int, n_classes: int) -> nn.Sequential:
    """Hidden layers as listed, then the implied output layer of `n_classes` logits.

    The output layer has no activation: the loss (cross-entropy) applies the softmax.
    """
    modules: list[nn.Module] = []
    width = n_features
    for layer in config.layers:
        if isinstance(layer, DenseLayer):
            linear = nn.Linear(width, layer.units)
            _initialise(linear, layer)
            modules.append(linear)
            modules.append(_ACTIVATIONS[layer.activation]())
            width = layer.units
        elif isinstance(layer, DropoutLayer):
            modules.append(nn.Dropout(layer.p))
        elif isinstance(layer, BatchNormLayer):
            modules.append(nn.BatchNorm1d(width))
        else:  # pragma: no cover - the config's tagged union admits nothing else
            raise TypeError(f"unknown layer {layer!r}")
    modules.append(nn.Linear(width, n_classes))
    return nn.Sequential(*modules)


def count_parameters(config: ModelConfig, n_features: int, n_classes: int) -> int:
    """Trainable parameters of the model, output layer included."""
    # The meta device allocates no memory, so this is cheap enough to call on every edit.
    with torch.device("meta"):
        model = build_model(config, n_features, n_classes)
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
