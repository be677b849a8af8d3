"""Stratified, seeded train / validation / test split with train-only standardisation."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np

from workbench.data.dataset import Dataset, DatasetError
from workbench.data.preprocessing import Preprocessing


class RowsView:
    """Some rows of an array, taken on demand: `view[i]` is `array[rows[i]]`, no copy kept."""

    def __init__(self, array: np.ndarray, rows: np.ndarray) -> None:
        self.array, self.rows = array, rows
        self.shape = (len(rows), *array.shape[1:])

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index) -> np.ndarray:
        return self.array[self.rows[index]]


@dataclass(frozen=True)
class Split:
    """The three parts of a dataset as row numbers into its raw features, and how to normalise.

    Nothing is copied: `rows(part)` gives the raw array and the rows of a part, and the engine
    normalises each batch or evaluation chunk as it goes (`preprocessing.apply`), so a large
    dataset is held once, as loaded. `x_train`, `x_val` and `x_test` build a part's normalised
    copy on first use, for the data preview and scripts.
    """

    y_train: np.ndarray
    y_val: np.ndarray
    y_test: np.ndarray
    preprocessing: Preprocessing = field(compare=False)
    features: np.ndarray = field(compare=False, repr=False)  # training and validation rows
    train_rows: np.ndarray = field(compare=False, repr=False)
    val_rows: np.ndarray = field(compare=False, repr=False)
    test_features: np.ndarray = field(compare=False, repr=False)  # the source's own, or features
    test_rows: np.ndarray = field(compare=False, repr=False)

    def rows(self, part: str) -> tuple[np.ndarray, np.ndarray]:
        """(raw features, row numbers) of "train", "val" or "test"."""
        if part == "test":
            return self.test_features, self.test_rows
        return self.features, self.train_rows if part == "train" else self.val_rows

    def _normalised(self, part: str) -> np.ndarray:
        raw, rows = self.rows(part)
        # Fancy indexing copies: that copy is normalised in place, not copied again.
        return self.preprocessing.apply(raw[rows], in_place=True)

    @cached_property
    def x_train(self) -> np.ndarray:
        return self._normalised("train")

    @cached_property
    def x_val(self) -> np.ndarray:
        return self._normalised("val")

    @cached_property
    def x_test(self) -> np.ndarray:
        return self._normalised("test")

    @cached_property
    def x_test_raw(self) -> np.ndarray:
        """The test inputs before normalisation, for showing misclassified images as they are."""
        return self.test_features[self.test_rows]

    @property
    def test_fingerprint(self) -> str:
        """Names this test set: runs whose test sets hold the same samples share it."""
        digest = hashlib.sha256()
        # Chunk by chunk, as float32 whatever the storage (byte images hash as they did when
        # they were stored as floats): no copy of the whole test set. The array's buffer is
        # hashed as it is, without a second copy by tobytes().
        for start in range(0, len(self.test_rows), 1024):
            chunk = self.test_features[self.test_rows[start : start + 1024]]
            digest.update(np.ascontiguousarray(chunk, dtype=np.float32).data)
        digest.update(np.ascontiguousarray(self.y_test).tobytes())
        return digest.hexdigest()[:16]


class _Cuts(NamedTuple):
    """How the split cuts its samples, each cut as the share asked and the count it takes.

    The test part is cut first, from all the samples (`test_share` None: the source's own
    test set is used, `n_test` long); validation then from what is left; the rest trains.
    """

    test_share: float | None
    n_test: int
    val_share: float
    n_val: int
    n_train: int  # before any train_limit


def _cuts(n_samples: int, val_fraction: float, test_fraction: float, own_test: int | None) -> _Cuts:
    if not 0 < val_fraction < 1 or (own_test is None and not 0 < test_fraction < 1):
        raise DatasetError(
            f"data: val_fraction ({val_fraction}) and test_fraction ({test_fraction}) "
            "must each be between 0 and 1"
        )
    if own_test is not None:
        test_share, n_test, rest, val_share = None, own_test, n_samples, val_fraction
    else:
        test_share, n_test = test_fraction, _count(n_samples, test_fraction)
        # val_fraction is a share of the whole; its cut is made from what the test part left.
        rest, val_share = n_samples - n_test, val_fraction / (1.0 - test_fraction)
    n_val = _count(rest, val_share)
    return _Cuts(test_share, n_test, val_share, n_val, rest - n_val)


def _count(n_samples: int, share: float) -> int:
    # Rounded up, as scikit-learn rounds a share (the same product, so the same count).
    return math.ceil(n_samples * share)


def split_sizes(
    n_samples: int,
    val_fraction: float,
    test_fraction: float,
    train_limit: int = 0,
    own_test: int | None = None,
) -> tuple[int, int, int]:
    """(train, validation, test) sizes `split_dataset` gives: the counts it cuts by.

    `own_test` is the size of the source's own test split, if it has one: then `n_samples`
    is its training part and only the validation part is carved from it.
    """
    cuts = _cuts(n_samples, val_fraction, test_fraction, own_test)
    n_train = cuts.n_train
    return (min(n_train, train_limit) if train_limit else n_train), cuts.n_val, cuts.n_test


def _stratified(x, y, seed: int, **sizes):
    # Here, not at the top: scikit-learn takes a second to import, which the window's start
    # should not wait for.
    from sklearn.model_selection import train_test_split

    try:
        return train_test_split(x, y, stratify=y, random_state=seed, **sizes)
    except ValueError as error:  # a class too small to appear in every part
        raise DatasetError(f"data: cannot split by class: {error}") from None


def _cut(x, y, seed: int, share: float, count: int):
    """(kept x, cut x, kept y, cut y): `count` samples cut from (x, y), class by class."""
    # A cut that leaves nothing to keep is asked as the share: scikit-learn then refuses it
    # in the words it always has ("With n_samples=5, test_size=0.98 ...").
    return _stratified(x, y, seed, test_size=count if 0 < count < len(y) else share)


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
    from the training part only: the validation and test parts must not leak in. The parts
    have the sizes `split_sizes` gives: both count with `_cuts`.
    """
    # The split is made on row numbers, not on copies of the features: a large dataset is then
    # held once. (Same rows, in the same order, as splitting the features themselves.)
    features, labels = dataset.features, dataset.labels
    own_test = dataset.test_labels if dataset.test_features is not None else None
    cuts = _cuts(
        len(labels), val_fraction, test_fraction, None if own_test is None else len(own_test)
    )
    if cuts.test_share is None:
        rest, y_rest = np.arange(len(labels)), labels
    else:
        rest, test_rows, y_rest, y_test = _cut(
            np.arange(len(labels)), labels, seed, cuts.test_share, cuts.n_test
        )
    train_rows, val_rows, y_train, y_val = _cut(rest, y_rest, seed, cuts.val_share, cuts.n_val)
    if 0 < train_limit < len(y_train):
        if train_limit < dataset.n_classes:
            raise DatasetError(
                f"data.train_limit: {train_limit} is fewer than the {dataset.n_classes} classes"
            )
        train_rows, _, y_train, _ = _stratified(train_rows, y_train, seed, train_size=train_limit)
    if dataset.test_features is not None and dataset.test_labels is not None:
        test_features, y_test = dataset.test_features, dataset.test_labels
        test_rows = np.arange(len(y_test))
    else:
        test_features = features
    # The normalisation is fitted on the training rows, in chunks (see Preprocessing.fit).
    preprocessing = Preprocessing.fit(
        normalize, features, dataset.class_names, dataset.image_shape, rows=train_rows
    )
    return Split(
        y_train=y_train,
        y_val=y_val,
        y_test=y_test,
        preprocessing=preprocessing,
        features=features,
        train_rows=train_rows,
        val_rows=val_rows,
        test_features=test_features,
        test_rows=test_rows,
    )
