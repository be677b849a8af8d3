"""Built-in datasets: scikit-learn's 8x8 digits (real data) and a synthetic spiral."""

from __future__ import annotations

from functools import cache

import numpy as np

from workbench.data.dataset import Dataset


def _digits() -> Dataset:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return Dataset(
        name="digits",
        features=bunch.data.astype(np.float32),
        labels=bunch.target.astype(np.int64),
        class_names=tuple(str(int(t)) for t in bunch.target_names),
        image_shape=(1, 8, 8),
    )


def _spiral(points_per_class: int = 300, arms: int = 3, noise: float = 0.2) -> Dataset:
    # Fixed generator seed: the spiral is a dataset, not a random draw; the split's seed varies.
    rng = np.random.default_rng(12345)
    features, labels = [], []
    for arm in range(arms):
        radius = np.linspace(0.0, 1.0, points_per_class)
        angle = (
            np.linspace(arm * 4.0, (arm + 1) * 4.0, points_per_class)
            + rng.standard_normal(points_per_class) * noise
        )
        features.append(np.column_stack([radius * np.sin(angle), radius * np.cos(angle)]))
        labels.append(np.full(points_per_class, arm))
    return Dataset(
        name="spiral",
        features=np.concatenate(features).astype(np.float32),
        labels=np.concatenate(labels).astype(np.int64),
        class_names=tuple(f"arm {i}" for i in range(arms)),
    )


_LOADERS = {"digits": _digits, "spiral": _spiral}


@cache
def load_dataset(source: str) -> Dataset:
    """Load a built-in dataset by name (cached: the arrays are never modified)."""
    try:
        loader = _LOADERS[source]
    except KeyError:
        raise ValueError(f"unknown dataset {source!r}; built in: {', '.join(_LOADERS)}") from None
    dataset = loader()
    dataset.features.setflags(write=False)
    dataset.labels.setflags(write=False)
    return dataset


def dataset_info(source: str) -> tuple[int, int, int]:
    """(samples, features, classes) of a built-in dataset."""
    dataset = load_dataset(source)
    return dataset.n_samples, dataset.n_features, dataset.n_classes
