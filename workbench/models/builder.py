"""Turn the layer list of an experiment into an `nn.Sequential`, checking shapes on the way.

One walk over the layers serves both the model that trains and the plan the model builder
shows (each layer's output shape, parameter count, or the reason it cannot work), so the two
can never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn

from workbench.config import (
    AnyLayer,
    BatchNormLayer,
    Conv2dLayer,
    DenseLayer,
    DropoutLayer,
    ExperimentError,
    FlattenLayer,
    MaxPool2dLayer,
    ModelConfig,
    layer_label,
)
from workbench.i18n import _

Shape = tuple[int, ...]


class ModelShapeError(ExperimentError):
    """A layer stack that cannot work for the data; the message names the layer."""


@dataclass(frozen=True)
class LayerPlan:
    """What one layer does to the shape, what it costs, or why it cannot work."""

    output_shape: Shape | None
    parameters: int
    error: str | None = None
    # The layer's `type` key ("dense"), so a message can name the layer as the list shows it.
    layer_type: str | None = None


@dataclass(frozen=True)
class ModelPlan:
    """The checked plan of a whole model: input, each hidden layer, then the output layer."""

    input_shape: Shape | None
    layers: tuple[LayerPlan, ...]
    output: LayerPlan

    @property
    def total_parameters(self) -> int:
        return sum(p.parameters for p in (*self.layers, self.output))

    @property
    def first_error(self) -> str | None:
        """`model layer 2 (conv2d): reason` for the first layer that cannot work, else None.

        Layers are counted from 1 with their type, as the model builder's list numbers them
        (see `workbench.config.layer_label`); the output layer's problem names the
        `model.layers` key, where the missing Flatten goes.
        """
        for index, plan in enumerate(self.layers):
            if plan.error:
                return f"{layer_label(index, plan.layer_type)}: {plan.error}"
        if self.output.error:
            return f"model.layers: {self.output.error}"
        return None


_ACTIVATIONS = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "elu": nn.ELU,
    "swish": nn.SiLU,
    "gelu": nn.GELU,
    "identity": nn.Identity,
}


def _activation(layer: DenseLayer | Conv2dLayer) -> nn.Module:
    if layer.activation == "leaky_relu":
        return nn.LeakyReLU(layer.negative_slope)
    return _ACTIVATIONS[layer.activation]()


def _initialise(module: nn.Linear | nn.Conv2d, layer: DenseLayer | Conv2dLayer) -> None:
    if module.weight.is_meta:
        # Planning shapes: there are no values to set, and initialising a meta tensor goes
        # through torch._refs, which imports torch._dynamo (1.6 s at start-up on 2 cores).
        return
    if layer.init == "default":
        return  # PyTorch's own (Kaiming-uniform with a=sqrt(5)): the baseline to compare with
    if layer.init == "normal":
        nn.init.normal_(module.weight, mean=0.0, std=layer.init_std)
    elif layer.init == "xavier":
        # Glorot's and the book's Xavier, gain 1 whatever the activation (std 1/sqrt(n) for
        # n inputs and n outputs). With ReLU's gain of sqrt(2) it would be He by another name,
        # and the book's ReLU experiment (Xavier's activations shrinking layer by layer, He's
        # keeping their spread) could not be made.
        nn.init.xavier_normal_(module.weight, gain=1.0)
    elif layer.activation == "leaky_relu":  # he
        nn.init.kaiming_normal_(module.weight, a=layer.negative_slope, nonlinearity="leaky_relu")
    else:  # he
        nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
    if module.bias is not None:
        nn.init.zeros_(module.bias)


def _describe(shape: Shape) -> str:
    return "x".join(str(n) for n in shape)


def _layer_modules(layer: AnyLayer, shape: Shape) -> tuple[list[nn.Module], Shape]:
    """The modules for one layer and its output shape; ValueError says why it cannot work."""
    if isinstance(layer, DenseLayer):
        if len(shape) != 1:
            raise ValueError(
                _(
                    "Dense needs a flat input but gets a {shape} image: put a Flatten before it"
                ).format(shape=_describe(shape))
            )
        linear = nn.Linear(shape[0], layer.units)
        _initialise(linear, layer)
        return [linear, _activation(layer)], (layer.units,)
    if isinstance(layer, Conv2dLayer):
        if len(shape) != 3:
            raise ValueError(
                _(
                    "Conv2d needs an image (channels x height x width) but gets a flat vector "
                    "of {size}; convolution layers must come before Flatten and Dense"
                ).format(size=shape[0])
            )
        channels, height, width = shape
        padded = min(height, width) + 2 * layer.padding
        if layer.kernel > padded:
            raise ValueError(
                _(
                    "kernel {kernel} is larger than the {height}x{width} input "
                    "(with padding {padding})"
                ).format(kernel=layer.kernel, height=height, width=width, padding=layer.padding)
            )
        conv = nn.Conv2d(channels, layer.channels, layer.kernel, layer.stride, layer.padding)
        _initialise(conv, layer)
        out_h = (height + 2 * layer.padding - layer.kernel) // layer.stride + 1
        out_w = (width + 2 * layer.padding - layer.kernel) // layer.stride + 1
        return [conv, _activation(layer)], (layer.channels, out_h, out_w)
    if isinstance(layer, MaxPool2dLayer):
        if len(shape) != 3:
            raise ValueError(
                _("MaxPool2d needs an image but gets a flat vector: put it before Flatten")
            )
        channels, height, width = shape
        if layer.kernel > min(height, width):
            raise ValueError(
                _("kernel {kernel} is larger than the {height}x{width} input").format(
                    kernel=layer.kernel, height=height, width=width
                )
            )
        return [nn.MaxPool2d(layer.kernel)], (
            channels,
            height // layer.kernel,
            width // layer.kernel,
        )
    if isinstance(layer, FlattenLayer):
        return [nn.Flatten()], (math.prod(shape),)
    if isinstance(layer, DropoutLayer):
        return [nn.Dropout(layer.p)], shape
    if isinstance(layer, BatchNormLayer):
        # 1-d over features after Dense, 2-d over channels after Conv2d: the position decides.
        norm = nn.BatchNorm1d(shape[0]) if len(shape) == 1 else nn.BatchNorm2d(shape[0])
        return [norm], shape
    raise TypeError(f"unknown layer {layer!r}")  # pragma: no cover - the config forbids it


def _input_shape(
    layers: Sequence[AnyLayer], features: int, image_shape: Shape | None
) -> Shape | None:
    """An image when the stack starts with convolution or pooling, else the flat features."""
    for layer in layers:
        if isinstance(layer, Conv2dLayer | MaxPool2dLayer):
            return image_shape
        if isinstance(layer, DenseLayer | FlattenLayer):
            break
    return (features,)


def _walk(
    config: ModelConfig, features: int, n_classes: int, image_shape: Shape | None
) -> tuple[ModelPlan, list[nn.Module]]:
    input_shape = _input_shape(config.layers, features, image_shape)
    modules: list[nn.Module] = []
    if input_shape is not None and len(input_shape) == 3:
        modules.append(nn.Unflatten(1, input_shape))
    plans: list[LayerPlan] = []
    shape = input_shape
    for layer in config.layers:
        if shape is None:  # an earlier layer failed, or the data has no image shape
            error = (
                _("the data are not images: convolution and pooling need image data")
                if input_shape is None
                else _("(see above)")
            )
            plans.append(LayerPlan(None, 0, error, layer.type))
            continue
        try:
            layer_modules, shape = _layer_modules(layer, shape)
        except ValueError as error:
            plans.append(LayerPlan(None, 0, str(error), layer.type))
            shape = None
            continue
        modules.extend(layer_modules)
        count = sum(p.numel() for m in layer_modules for p in m.parameters())
        plans.append(LayerPlan(shape, count, None, layer.type))
    if shape is None:
        output = LayerPlan(None, 0, None)
    elif len(shape) != 1:
        output = LayerPlan(
            None,
            0,
            _("the output layer needs a flat input but gets {shape}: add Flatten").format(
                shape=_describe(shape)
            ),
        )
    else:
        head = nn.Linear(shape[0], n_classes)
        modules.append(head)
        output = LayerPlan((n_classes,), sum(p.numel() for p in head.parameters()))
    return ModelPlan(input_shape, tuple(plans), output), modules


def plan_model(
    config: ModelConfig, features: int, n_classes: int, image_shape: Shape | None = None
) -> ModelPlan:
    """Each layer's output shape and parameters, or why it cannot work; allocates nothing."""
    with torch.device("meta"):
        plan, _modules = _walk(config, features, n_classes, image_shape)
    return plan


def build_model(
    config: ModelConfig, features: int, n_classes: int, image_shape: Shape | None = None
) -> nn.Sequential:
    """Hidden layers as listed, then the implied output layer of `n_classes` logits.

    The output layer has no activation: the loss (cross-entropy) applies the softmax.
    Raises `ModelShapeError` naming the first layer that cannot work.
    """
    plan, modules = _walk(config, features, n_classes, image_shape)
    if plan.first_error:
        raise ModelShapeError(plan.first_error)
    return nn.Sequential(*modules)


def count_parameters(
    config: ModelConfig, features: int, n_classes: int, image_shape: Shape | None = None
) -> int:
    """Trainable parameters of the model, output layer included."""
    return plan_model(config, features, n_classes, image_shape).total_parameters
