"""Stratified, seeded train / validation / test split with train-only standardisation."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from workbench.data.dataset import Dataset, DatasetError
from workbench.data.preprocessing import Preprocessing


@dataclass(frozen=True)
class Split:
    """The three parts of a dataset, standardised with statistics of the training part only."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    preprocessing: Preprocessing | None = field(default=None, compare=False)
    # The test inputs before normalisation, for showing misclassified images as they are.
    x_test_raw: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def test_fingerprint(self) -> str:
        """Names this test set: runs whose test sets hold the same samples share it."""
        digest = hashlib.sha256()
        raw = self.x_test_raw if self.x_test_raw is not None else self.x_test
        digest.update(np.ascontiguousarray(raw).tobytes())
        digest.update(np.ascontiguousarray(self.y_test).tobytes())
        return digest.hexdigest()[:16]


def split_sizes(
    n_samples: int,
    val_fraction: float,
    test_fraction: float,
    train_limit: int = 0,
    own_test: int | None = None,
) -> tuple[int, int, int]:
    """(train, validation, test) sizes the split will give, as scikit-learn rounds them.

    `own_test` is the size of the source's own test split, if it has one: then `n_samples`
    is its training part and only the validation part is carved from it.
    """
    if own_test is not None:
        n_test, rest, val_share = own_test, n_samples, val_fraction
    else:
        n_test = int(np.ceil(n_samples * test_fraction))
        rest, val_share = n_samples - n_test, val_fraction / (1.0 - test_fraction)
    n_val = int(np.ceil(rest * val_share))
    n_train = rest - n_val
    return (min(n_train, train_limit) if train_limit else n_train), n_val, n_test


def _stratified(x, y, seed: int, **sizes):
    # Here, not at the top: scikit-learn takes a second to import, which the window's start
    # should not wait for.
    from sklearn.model_selection import train_test_split

    try:
        return train_test_split(x, y, stratify=y, random_state=seed, **sizes)
    except ValueError as error:  # a class too small to appear in every part
        raise DatasetError(f"data: cannot split by class: {error}") from None


def split_dataset(
    dataset: Dataset,
    val_fraction: float,
    test_fraction: float,
    seed: int,
    train_limit: int = 0,
    normalize: str = "standard",
) -> Split:
    """Split so every part keeps the class proportions; the test part is set aside first.

    A source with its own test split keeps it, and only the validation part is carved from
    its training data. `train_limit` keeps a stratified subset of that many training samples
    (0 keeps all). `normalize` is "standard", "scale" (to [0, 1]) or "none", with statistics
    from the training part only: the validation and test parts must not leak in.
    """
    # The split is made on row numbers and each part is then copied out of the dataset once
    # and normalised in place: copying the features for every step would hold the data three
    # or four times over at the peak. (Same rows, same order as splitting the features.)
    features, labels = dataset.features, dataset.labels
    own_test = dataset.test_features is not None and dataset.test_labels is not None
    if own_test:
        rest, y_rest = np.arange(len(labels)), labels
        val_share = val_fraction
    else:
        rest, test_rows, y_rest, y_test = _stratified(
            np.arange(len(labels)), labels, seed, test_size=test_fraction
        )
        val_share = val_fraction / (1.0 - test_fraction)
    train_rows, val_rows, y_train, y_val = _stratified(rest, y_rest, seed, test_size=val_share)
    if 0 < train_limit < len(y_train):
        if train_limit < dataset.n_classes:
            raise DatasetError(
                f"data.train_limit: {train_limit} is fewer than the {dataset.n_classes} classes"
            )
        train_rows, _, y_train, _ = _stratified(train_rows, y_train, seed, train_size=train_limit)
    if dataset.test_features is not None and dataset.test_labels is not None:
        x_test_raw, y_test = dataset.test_features, dataset.test_labels
    else:
        x_test_raw = features[test_rows]
    x_train = features[train_rows]  # fancy indexing: a copy this function owns
    preprocessing = Preprocessing.fit(normalize, x_train, dataset.class_names, dataset.image_shape)
    prepare = preprocessing.apply
    return Split(
        prepare(x_train, in_place=True),
        y_train,
        prepare(features[val_rows], in_place=True),
        y_val,
        prepare(x_test_raw),  # a copy: the raw test inputs are kept for showing mistakes
        y_test,
        preprocessing=preprocessing,
        x_test_raw=x_test_raw,
    )
