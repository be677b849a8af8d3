"""Built-in datasets: scikit-learn's 8x8 digits and the synthetic 2-D sets.

The synthetic ones are the TensorFlow Playground family: spiral, moons, circles, XOR, blobs.
"""

from __future__ import annotations

import gzip
import importlib.util
from functools import cache
from pathlib import Path

import numpy as np

from workbench.data.dataset import Dataset

# The synthetic sets are datasets, not random draws: a fixed seed makes "moons, noise 0.2,
# 600 samples" the same points every time; the split's seed is what varies between runs.
_DATA_SEED = 12345


def _digits() -> Dataset:
    # The file load_digits reads, read as it does, without importing scikit-learn: a third of a
    # second or more, which the window's start (it opens on the digits) should not wait for.
    spec = importlib.util.find_spec("sklearn")  # finds the package, imports nothing
    origin = spec.origin if spec is not None else None
    file = Path(origin).parent / "datasets" / "data" / "digits.csv.gz" if origin else None
    if file is not None and file.is_file():
        with gzip.open(file, "rt", encoding="utf-8") as text:
            data = np.loadtxt(text, delimiter=",")
        features, labels = data[:, :-1], data[:, -1]
    else:  # laid out differently in some scikit-learn: ask it
        from sklearn.datasets import load_digits

        features, labels = load_digits(return_X_y=True)
    return Dataset(
        name="digits",
        features=features.astype(np.float32),
        labels=labels.astype(np.int64),
        class_names=tuple(str(digit) for digit in range(10)),
        image_shape=(1, 8, 8),
    )


def _spiral(samples: int, noise: float, rng: np.random.Generator, arms: int = 3):
    per_arm = samples // arms
    features, labels = [], []
    for arm in range(arms):
        radius = np.linspace(0.0, 1.0, per_arm)
        angle = np.linspace(arm * 4.0, (arm + 1) * 4.0, per_arm)
        angle = angle + rng.standard_normal(per_arm) * noise
        features.append(np.column_stack([radius * np.sin(angle), radius * np.cos(angle)]))
        labels.append(np.full(per_arm, arm))
    return np.concatenate(features), np.concatenate(labels), tuple(f"arm {i}" for i in range(arms))


def _xor(samples: int, noise: float, rng: np.random.Generator):
    points = rng.uniform(-1.0, 1.0, size=(samples, 2))
    labels = (points[:, 0] * points[:, 1] > 0).astype(np.int64)
    return points + rng.normal(0.0, noise * 0.5, points.shape), labels, ("opposite", "same sign")


def _synthetic(name: str, samples: int, noise: float) -> Dataset:
    from sklearn import datasets

    rng = np.random.default_rng(_DATA_SEED)
    if name == "spiral":
        x, y, classes = _spiral(samples, noise, rng)
    elif name == "xor":
        x, y, classes = _xor(samples, noise, rng)
    elif name == "moons":
        x, y = datasets.make_moons(samples, noise=noise, random_state=_DATA_SEED)
        classes = ("upper", "lower")
    elif name == "circles":
        x, y = datasets.make_circles(samples, noise=noise, factor=0.5, random_state=_DATA_SEED)
        classes = ("outer", "inner")
    elif name == "blobs":
        x, y = datasets.make_blobs(
            samples, centers=3, cluster_std=1.0 + 4.0 * noise, random_state=_DATA_SEED
        )
        classes = ("blob 0", "blob 1", "blob 2")
    else:
        raise ValueError(f"unknown dataset {name!r}")
    return Dataset(
        name=name,
        features=np.asarray(x, dtype=np.float32),
        labels=np.asarray(y, dtype=np.int64),
        class_names=classes,
    )


def _read_only(dataset: Dataset) -> Dataset:
    # Cached datasets are shared by every run: nothing may change them in place.
    for array in (dataset.features, dataset.labels, dataset.test_features, dataset.test_labels):
        if array is not None:
            array.setflags(write=False)
    return dataset


SYNTHETIC = ("spiral", "moons", "circles", "xor", "blobs")
BUILTIN_DESCRIPTIONS = {
    "digits": "8x8 images of handwritten digits, 1,797 samples, 10 classes (scikit-learn)",
    "spiral": "three interleaved spiral arms in 2-D",
    "moons": "two interleaving half circles in 2-D",
    "circles": "a circle inside a ring in 2-D",
    "xor": "four quadrants, classes by the sign of x * y, in 2-D",
    "blobs": "three Gaussian clusters in 2-D",
}


@cache
def builtin_dataset(name: str, samples: int = 600, noise: float = 0.2) -> Dataset:
    """A built-in dataset (cached; read-only arrays). `samples` and `noise`: synthetic only."""
    if name == "digits":
        return _read_only(_digits())
    return _read_only(_synthetic(name, samples, noise))


def load_dataset(source: str) -> Dataset:
    """A built-in dataset by name with its default size and noise."""
    return builtin_dataset(source)


def dataset_info(source: str) -> tuple[int, int, int]:
    """(samples, features, classes) of a built-in dataset."""
    dataset = load_dataset(source)
    return dataset.n_samples, dataset.n_features, dataset.n_classes
