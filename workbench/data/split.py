"""Stratified, seeded train / validation / test split with train-only standardisation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from workbench.data.builtin import Dataset


@dataclass(frozen=True)
class Split:
    """The three parts of a dataset, standardised with statistics of the training part only."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def split_sizes(
    n_samples: int, val_fraction: float, test_fraction: float, train_limit: int = 0
) -> tuple[int, int, int]:
    """(train, validation, test) sizes the split will give, as scikit-learn rounds them."""
    n_test = int(np.ceil(n_samples * test_fraction))
    rest = n_samples - n_test
    n_val = int(np.ceil(rest * val_fraction / (1.0 - test_fraction)))
    n_train = rest - n_val
    return (min(n_train, train_limit) if train_limit else n_train), n_val, n_test


def split_dataset(
    dataset: Dataset,
    val_fraction: float,
    test_fraction: float,
    seed: int,
    train_limit: int = 0,
) -> Split:
    """Split so every part keeps the class proportions; the test part is set aside first.

    `train_limit` keeps a stratified subset of that many training samples (0 keeps all).
    """
    x_rest, x_test, y_rest, y_test = train_test_split(
        dataset.features,
        dataset.labels,
        test_size=test_fraction,
        stratify=dataset.labels,
        random_state=seed,
    )
    x_train, x_val, y_train, y_val = train_test_split(
        x_rest,
        y_rest,
        test_size=val_fraction / (1.0 - test_fraction),
        stratify=y_rest,
        random_state=seed,
    )
    if 0 < train_limit < len(y_train):
        if train_limit < dataset.n_classes:
            raise ValueError(
                f"data.train_limit: {train_limit} is fewer than the {dataset.n_classes} classes"
            )
        x_train, _, y_train, _ = train_test_split(
            x_train, y_train, train_size=train_limit, stratify=y_train, random_state=seed
        )
    # Statistics from the training part only: the validation and test parts must not leak in.
    scaler = StandardScaler().fit(x_train)

    def scale(x: np.ndarray) -> np.ndarray:
        return scaler.transform(x).astype(np.float32)

    return Split(scale(x_train), y_train, scale(x_val), y_val, scale(x_test), y_test)
