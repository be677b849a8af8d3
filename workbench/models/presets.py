"""Model presets: the classic networks for the chapter's experiments.

Each also ships as an experiment file under resources/examples/, which the tests hold equal.
"""

from __future__ import annotations

from workbench.config import (
    Conv2dLayer,
    DenseLayer,
    FlattenLayer,
    MaxPool2dLayer,
    ModelConfig,
)


def _mlp(hidden_layers: int) -> ModelConfig:
    return ModelConfig(
        layers=tuple(
            DenseLayer(units=100, activation="relu", init="he") for _ in range(hidden_layers)
        )
    )


def small_cnn() -> ModelConfig:
    """conv-relu-pool twice, then the output layer (digits: 1x8x8 -> 16x4x4 -> 32x2x2)."""
    return ModelConfig(
        layers=(
            Conv2dLayer(channels=16, kernel=3, padding=1, activation="relu", init="he"),
            MaxPool2dLayer(kernel=2),
            Conv2dLayer(channels=32, kernel=3, padding=1, activation="relu", init="he"),
            MaxPool2dLayer(kernel=2),
            FlattenLayer(),
        )
    )


# Key -> (file under resources/examples, the model). Names are shown through Qt's tr().
PRESETS = {
    "mlp5": ("mlp-5-layer.toml", _mlp(4)),  # 4 hidden + output: the optimizer / init network
    "mlp7": ("mlp-7-layer.toml", _mlp(6)),  # 6 hidden + output: the overfitting network
    "small_cnn": ("small-cnn.toml", small_cnn()),
}
