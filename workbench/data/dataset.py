"""The in-memory dataset every source produces, and the error every importer raises."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.config import ExperimentError


class DatasetError(ExperimentError):
    """A dataset that cannot be read or used: one line naming the file and the problem."""


@dataclass(frozen=True)
class Dataset:
    """Features (n_samples, n_features) and integer class labels 0..n_classes-1.

    Features are float32, or uint8 for images stored as bytes (MNIST's IDX files, a uint8
    NPZ): kept as bytes, a quarter of the memory, and made float32 as batches are taken
    (`Preprocessing.apply`, `workbench.core.rows`).

    Image data are flattened row-major to (n_samples, channels * height * width) with
    `image_shape` set, so dense and convolutional models share one layout. A source that
    comes with its own test split (MNIST's t10k files, an NPZ's x_test) carries it in
    `test_features` / `test_labels`; the splitter then uses it instead of carving one out.
    """

    name: str
    features: np.ndarray
    labels: np.ndarray
    class_names: tuple[str, ...]
    # (channels, height, width) when each row is an image, for convolution layers.
    image_shape: tuple[int, int, int] | None = None
    test_features: np.ndarray | None = None
    test_labels: np.ndarray | None = None

    @property
    def n_samples(self) -> int:
        return int(self.features.shape[0])

    @property
    def n_features(self) -> int:
        return int(self.features.shape[1])

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def has_test_split(self) -> bool:
        return self.test_features is not None
