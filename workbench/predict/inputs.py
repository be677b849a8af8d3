"""New data to predict on, read into raw feature rows exactly as training read its data.

A CSV table, an NPZ archive (array `x`, `x_test` or its only array), one image, or a folder
of images (searched recursively). Every problem is a one-line `DatasetError` naming the file.

Tables and arrays are taken to be in the training data's own units, as the importers read
them; an image file's 0..255 pixels are mapped onto the training images' value range (0..16
for scikit-learn's digits). An NPZ archive's arrays go through the NPZ importer's own layout
function, so colour images are laid out as training laid them out; an array whose shape or
labels cannot match the model is refused with the shapes, never predicted on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.data.dataset import DatasetError
from workbench.data.importers._common import class_names as name_classes
from workbench.data.importers._common import (
    dataset_error,
    existing,
    user_path,
    why,
)
from workbench.data.importers.csv_table import read_features
from workbench.data.importers.image_folder import IMAGE_SUFFIXES, _read_image, hidden
from workbench.data.importers.npz import (
    _label_values,
    _npz_features,
    require_arrays_fit,
    require_npz,
)
from workbench.data.preprocessing import Preprocessing
from workbench.i18n import N_, _

# Beyond this many files a folder is probably not what the user meant to pick.
MAX_FOLDER_IMAGES = 100_000
# The image files a folder may hold, as the messages list them.
_SUFFIXES = ", ".join(IMAGE_SUFFIXES)


@dataclass(frozen=True)
class PredictionInputs:
    """Rows to predict on, each named (file or row), with their true classes when known."""

    names: list[str]
    features: np.ndarray  # (n, n_features) float32, raw (before normalisation)
    labels: list[str] | None = None

    def __post_init__(self) -> None:
        # Misaligned rows would put one sample's true class beside another's prediction.
        rows = len(self.names)
        if len(self.features) != rows or (self.labels is not None and len(self.labels) != rows):
            labels = "no" if self.labels is None else len(self.labels)
            raise ValueError(f"{rows} names, {len(self.features)} feature rows and {labels} labels")


def read_inputs(
    path: str | Path, preprocessing: Preprocessing, label_column: str = ""
) -> PredictionInputs:
    """Read `path` for a model with this preprocessing; the kind follows from the path."""
    path = existing(user_path(path))  # "~nosuchuser" and NUL bytes: one line each
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
    refusal = (
        _(
            "cannot predict on a {suffix} file; use a CSV or NPZ file, an image ({suffixes}) "
            "or a folder of images"
        )
        if suffix
        else _(
            "cannot predict on a suffix-less file; use a CSV or NPZ file, an image ({suffixes}) "
            "or a folder of images"
        )
    )
    raise DatasetError(f"{path}: " + refusal.format(suffix=suffix, suffixes=_SUFFIXES))


def _image_row(path: Path, preprocessing: Preprocessing) -> np.ndarray:
    if preprocessing.image_shape is None:
        raise dataset_error(path, _("the model was not trained on images; give a CSV or NPZ file"))
    channels, height, width = preprocessing.image_shape
    if channels not in (1, 3):
        raise dataset_error(
            path,
            _("the model takes {channels}-channel images, not pictures").format(channels=channels),
        )
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
        raise dataset_error(
            folder, _("no images ({suffixes}) in this folder").format(suffixes=_SUFFIXES)
        )
    if len(files) > MAX_FOLDER_IMAGES:
        raise dataset_error(
            folder,
            _("{count} images; pick a folder of at most {most}").format(
                count=f"{len(files):,}", most=f"{MAX_FOLDER_IMAGES:,}"
            ),
        )
    features = np.empty((len(files), preprocessing.n_features), np.float32)
    for row, file in enumerate(files):
        features[row] = _image_row(file, preprocessing)
    return PredictionInputs([str(f.relative_to(folder)) for f in files], features)


def _shape_text(shape: tuple[int, ...]) -> str:
    return "x".join(str(v) for v in shape)


# Whole sentences for an array that does not fit the model: what the array holds (images of
# another shape, or rows of another length) and what the model takes (images or rows).
_DOES_NOT_FIT = {
    ("images", "images"): N_(
        "array {key} has shape {shape}: {found} images, but the model takes {expected} images "
        "(channels x height x width)"
    ),
    ("values", "images"): N_(
        "array {key} has shape {shape}: {values} values per sample, but the model takes "
        "{expected} images (channels x height x width)"
    ),
    ("values", "rows"): N_(
        "array {key} has shape {shape}: {values} values per sample, but the model takes rows "
        "of {features} features"
    ),
}


def _does_not_fit(
    path: Path,
    key: str,
    shape: tuple[int, ...],
    holds: str,
    preprocessing: Preprocessing,
    **fields: object,
) -> DatasetError:
    expected = preprocessing.image_shape
    template = _DOES_NOT_FIT[holds, "rows" if expected is None else "images"]
    return dataset_error(
        path,
        _(template).format(
            key=key,
            shape=shape,
            expected="" if expected is None else _shape_text(expected),
            features=preprocessing.n_features,
            **fields,
        ),
    )


def _npz_rows(x: np.ndarray, path: Path, key: str, preprocessing: Preprocessing) -> np.ndarray:
    """Feature rows laid out by the NPZ importer's own function, checked against the model.

    Training read its NPZ through `_npz_features` (channels-last colour images moved first,
    (N, H, W) grey images given one channel); predicting through anything else would feed
    the model pixels in another order and answer confidently wrong (issue 15).
    """
    expected, shape = preprocessing.image_shape, x.shape
    if (
        expected is not None
        and x.ndim == 4
        and x.shape[1:] == expected
        and (x.shape[3], x.shape[1], x.shape[2]) != expected
    ):
        # Already (N, C, H, W) as the model's rows are, and the importer would read it
        # otherwise (or refuse it): the only layout that fits, so flatten it as it is.
        x = x.reshape(len(x), -1)
    features, image_shape = _npz_features(x, path, key)
    if image_shape is not None and expected is not None and image_shape != expected:
        raise _does_not_fit(
            path, key, shape, "images", preprocessing, found=_shape_text(image_shape)
        )
    if features.shape[1] != preprocessing.n_features:
        raise _does_not_fit(path, key, shape, "values", preprocessing, values=features.shape[1])
    return np.asarray(features, dtype=np.float32)  # uint8 images: as training's batches


def _npz_labels(y: np.ndarray, path: Path, key: str, rows: int) -> list[str]:
    """One class name per row, read as the importer reads labels, or a one-line refusal."""
    values = _label_values(y, path, key)  # refuses (N, 2) and the like, NaN and odd types
    if len(values) != rows:
        raise dataset_error(
            path,
            _("array {key} has {labels} labels but {rows} samples").format(
                key=key, labels=len(values), rows=rows
            ),
        )
    return list(name_classes(values))


def _npz(path: Path, preprocessing: Preprocessing) -> PredictionInputs:
    require_npz(path)  # a pipe would never end; another file NumPy calls "pickled data"
    try:
        with np.load(path, allow_pickle=False) as archive:  # a data file must never run code
            found = {name.lower(): name for name in archive.files}
            key = next((found[k] for k in ("x", "x_test", "x_train") if k in found), None)
            if key is None and len(archive.files) == 1:
                key = archive.files[0]
            if key is None:
                listed = ", ".join(sorted(archive.files))
                raise dataset_error(
                    path,
                    _("no array x (or x_test); found: {listed}").format(listed=listed)
                    if listed
                    else _("no array x (or x_test); found: none"),
                )
            label_key = {"x": "y", "x_test": "y_test", "x_train": "y_train"}.get(key.lower())
            y_key = found.get(label_key) if label_key else None
            require_arrays_fit(archive, [name for name in (key, y_key) if name], path)
            x = archive[key]
            y = archive[y_key] if y_key else None
    except DatasetError:
        raise
    except Exception as error:  # zip and NumPy raise many types for a damaged archive
        raise dataset_error(
            path, _("damaged archive: {reason}").format(reason=why(error))
        ) from None
    features = _npz_rows(x, path, key, preprocessing)
    labels = None if y is None or y_key is None else _npz_labels(y, path, y_key, len(features))
    return PredictionInputs([f"{key}[{i}]" for i in range(len(features))], features, labels)
