"""New data to predict on, read into raw feature rows exactly as training read its data.

A CSV table, an NPZ archive (array `x`, `x_test` or its only array), one image, or a folder
of images (searched recursively). Every problem is a one-line `DatasetError` naming the file.

Tables and arrays are taken to be in the training data's own units, as the importers read
them; an image file's 0..255 pixels are mapped onto the training images' value range (0..16
for scikit-learn's digits), and colour images in an NPZ archive may be channels-last, as the
NPZ importer accepts them for training.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.data.dataset import DatasetError
from workbench.data.importers._common import class_names as name_classes
from workbench.data.importers._common import dataset_error, why
from workbench.data.importers.csv_table import read_features
from workbench.data.importers.image_folder import IMAGE_SUFFIXES, _read_image, hidden
from workbench.data.preprocessing import Preprocessing

# Beyond this many files a folder is probably not what the user meant to pick.
MAX_FOLDER_IMAGES = 100_000


@dataclass(frozen=True)
class PredictionInputs:
    """Rows to predict on, each named (file or row), with their true classes when known."""

    names: list[str]
    features: np.ndarray  # (n, n_features) float32, raw (before normalisation)
    labels: list[str] | None = None


def read_inputs(
    path: str | Path, preprocessing: Preprocessing, label_column: str = ""
) -> PredictionInputs:
    """Read `path` for a model with this preprocessing; the kind follows from the path."""
    path = Path(path).expanduser()
    if not path.exists():
        raise DatasetError(f"{path}: no such file or folder")
    if path.is_dir():
        return _image_folder(path, preprocessing)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        features, labels = read_features(path, label_column or None, preprocessing.n_features)
        names = [f"row {i + 1}" for i in range(len(features))]
        return PredictionInputs(names, features, labels)
    if suffix == ".npz":
        return _npz(path, preprocessing)
    if suffix in IMAGE_SUFFIXES:
        return PredictionInputs([path.name], _image_row(path, preprocessing)[None, :])
    raise DatasetError(
        f"{path}: cannot predict on a {suffix or 'suffix-less'} file; "
        f"use a CSV or NPZ file, an image ({', '.join(IMAGE_SUFFIXES)}) or a folder of images"
    )


def _image_row(path: Path, preprocessing: Preprocessing) -> np.ndarray:
    if preprocessing.image_shape is None:
        raise dataset_error(path, "the model was not trained on images; give a CSV or NPZ file")
    channels, height, width = preprocessing.image_shape
    if channels not in (1, 3):
        raise dataset_error(path, f"the model takes {channels}-channel images, not pictures")
    pixels = _read_image(path, "L" if channels == 1 else "RGB", height, width)
    # The image-folder importer's layout: (H, W) or (C, H, W), flattened row-major.
    row = (pixels if channels == 1 else pixels.transpose(2, 0, 1)).reshape(-1)
    # 0..255 in the file, but the model learnt from its training data's units.
    return preprocessing.pixels_to_raw(row, full_scale=255.0)


def _image_folder(folder: Path, preprocessing: Preprocessing) -> PredictionInputs:
    try:
        files = sorted(
            p
            for p in folder.rglob("*")
            if p.suffix.lower() in IMAGE_SUFFIXES
            and p.is_file()
            and not any(hidden(part) for part in p.relative_to(folder).parents if part.name)
            and not hidden(p)
        )
    except OSError as error:
        raise dataset_error(folder, why(error)) from None
    if not files:
        raise dataset_error(folder, f"no images ({', '.join(IMAGE_SUFFIXES)}) in this folder")
    if len(files) > MAX_FOLDER_IMAGES:
        raise dataset_error(folder, f"{len(files):,} images; pick a folder of at most 100,000")
    features = np.empty((len(files), preprocessing.n_features), np.float32)
    for row, file in enumerate(files):
        features[row] = _image_row(file, preprocessing)
    return PredictionInputs([str(f.relative_to(folder)) for f in files], features)


def _channels_first(x: np.ndarray, preprocessing: Preprocessing) -> np.ndarray:
    """(N, H, W, C) images as (N, C, H, W), the layout the model's rows have.

    The NPZ importer moves a last axis of 1 or 3 first for training (Keras and PIL keep
    channels last); flattening such an array as it is would interleave the colours.
    """
    shape = preprocessing.image_shape
    if shape is None or x.ndim != 4:
        return x
    channels, height, width = shape
    if x.shape[1:] == (height, width, channels) and x.shape[1:] != shape:
        return x.transpose(0, 3, 1, 2)
    return x


def _npz(path: Path, preprocessing: Preprocessing) -> PredictionInputs:
    try:
        with np.load(path, allow_pickle=False) as archive:  # a data file must never run code
            found = {name.lower(): name for name in archive.files}
            key = next((found[k] for k in ("x", "x_test", "x_train") if k in found), None)
            if key is None and len(archive.files) == 1:
                key = archive.files[0]
            if key is None:
                listed = ", ".join(sorted(archive.files)) or "none"
                raise dataset_error(path, f"no array x (or x_test); found: {listed}")
            x = archive[key]
            label_key = {"x": "y", "x_test": "y_test", "x_train": "y_train"}.get(key.lower())
            y = archive[found[label_key]] if label_key in found else None
    except DatasetError:
        raise
    except Exception as error:  # zip and NumPy raise many types for a damaged archive
        raise dataset_error(path, f"damaged archive: {why(error)}") from None
    if x.dtype.kind not in "biuf" or x.ndim < 1:
        raise dataset_error(path, f"array {key} does not hold numbers")
    x = _channels_first(x, preprocessing)
    features = np.asarray(x, dtype=np.float32).reshape(len(x), -1) if x.ndim > 1 else None
    if features is None or features.shape[1] != preprocessing.n_features:
        per_sample = int(np.prod(x.shape[1:])) if x.ndim > 1 else 1
        raise dataset_error(
            path,
            f"array {key}: {per_sample} values per sample, "
            f"but the model takes {preprocessing.n_features}",
        )
    if not np.isfinite(features).all():
        raise dataset_error(path, f"array {key} holds NaN or infinite values")
    labels = None
    if y is not None and len(y) == len(features) and y.dtype.kind in "biufU":
        labels = list(name_classes(y.reshape(-1)))
    return PredictionInputs([f"{key}[{i}]" for i in range(len(features))], features, labels)
