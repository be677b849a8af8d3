"""The NPZ reader: arrays x and y (or x_train and y_train, plus x_test and y_test) in an archive."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from workbench.data.dataset import Dataset, DatasetError
from workbench.data.importers._common import (
    class_names,
    dataset_error,
    encode,
    encode_test,
    require_file,
    require_memory,
    why,
)
from workbench.i18n import N_, _


def _label_values(values: np.ndarray, path: object, what: str) -> np.ndarray:
    """One label per sample, as float64 numbers or str, whichever the source holds."""
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1:
        raise dataset_error(
            path,
            _("{array} has shape {shape}; need one label per sample").format(
                array=what, shape=values.shape
            ),
        )
    if values.dtype.kind in "biuf":
        numbers = values.astype(np.float64)
        if not np.isfinite(numbers).all():
            raise dataset_error(path, _("{array} holds NaN or infinite labels").format(array=what))
        return numbers
    if values.dtype.kind == "U":
        return values
    if values.dtype.kind == "S":
        return np.char.decode(values, "utf-8", "replace")
    raise dataset_error(
        path,
        _("{array} has dtype {dtype}; labels must be numbers or strings").format(
            array=what, dtype=values.dtype
        ),
    )


def _npz_features(
    x: np.ndarray, path: Path, what: str
) -> tuple[np.ndarray, tuple[int, int, int] | None]:
    """Rows of features and the (C, H, W) image shape, if the array holds images.

    Bytes (uint8, as images are stored) stay bytes, a quarter of float32's size: batches are
    converted as they are taken. Every other number type becomes float32.
    """
    if x.dtype.kind not in "biuf":
        raise dataset_error(
            path,
            _("{array} has dtype {dtype}; features must be numbers").format(
                array=what, dtype=x.dtype
            ),
        )
    image_shape: tuple[int, int, int] | None = None
    if x.ndim == 3:
        image_shape = (1, x.shape[1], x.shape[2])
    elif x.ndim == 4 and x.shape[3] in (1, 3):
        # Channels-last on disk (as Keras and PIL keep it); rows are C, H, W like the rest.
        x = x.transpose(0, 3, 1, 2)
        image_shape = (x.shape[1], x.shape[2], x.shape[3])
    elif x.ndim != 2:
        raise dataset_error(
            path,
            _(
                "{array} has shape {shape}; expected (samples, features), (samples, height, "
                "width) or (samples, height, width, channels) with 1 or 3 channels"
            ).format(array=what, shape=x.shape),
        )
    if x.shape[0] == 0 or math.prod(x.shape[1:]) == 0:
        raise dataset_error(
            path,
            _("{array} has shape {shape}: no samples or no features").format(
                array=what, shape=x.shape
            ),
        )
    dtype = np.uint8 if x.dtype == np.uint8 else np.float32
    with np.errstate(over="ignore", invalid="ignore"):
        # order="C" makes the transposed images contiguous, so the reshape is a view.
        features = x.astype(dtype, order="C", copy=False).reshape(len(x), -1)
    if x.dtype.kind == "f" and not _all_finite(features):
        raise dataset_error(
            path, _("{array} holds NaN, infinite or beyond-float32 values").format(array=what)
        )
    return features, image_shape


def _all_finite(features: np.ndarray, rows_per_check: int = 4096) -> bool:
    # A chunk at a time: np.isfinite on all of MNIST would be a 47 MB temporary of its own.
    return all(
        np.isfinite(features[start : start + rows_per_check]).all()
        for start in range(0, len(features), rows_per_check)
    )


def require_arrays_fit(archive, names: list[str], path: Path) -> None:
    """Refuse arrays of an open `np.load` archive that would not fit in the free memory.

    By the sizes the zip directory gives, before anything is decompressed: a small archive
    of gigabytes of zeros is refused here instead of filling the memory.
    """
    sizes = {info.filename: info.file_size for info in archive.zip.infolist()}
    needed = sum(sizes.get(f"{name}.npy", 0) for name in names)
    require_memory(
        path,
        needed,
        N_("the arrays {names} would need about {needed} of memory; {available} is available"),
        names=", ".join(names),
    )


def require_npz(path: Path) -> None:
    """Refuse, in words, a file that is not an NPZ archive before NumPy reads it.

    NumPy takes any other file for a pickle, and says so ("contains pickled (object)
    data... load it unsafely"), which is no way to tell a person their file is not an NPZ.
    """
    require_file(path, "NPZ")
    try:
        with path.open("rb") as file:
            start = file.read(6)
    except OSError as error:
        raise dataset_error(path, why(error)) from None
    if start.startswith(b"\x93NUMPY"):
        raise dataset_error(path, _("a single .npy array, not an .npz archive of named arrays"))
    if not start.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise dataset_error(path, _("not an .npz archive (a zip file of .npy arrays)"))


def read(path: Path) -> tuple[Dataset, list[str]]:
    """The dataset in an NPZ archive and notes for the user (arrays ignored, the test split)."""
    require_npz(path)
    try:
        # allow_pickle=False: a data file must never run code. The arrays are read lazily,
        # so every access below sits in this try. Zip and NumPy raise a zoo of types for a
        # damaged archive (BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError,
        # MemoryError for a lying header), so anything but an interrupt becomes a DatasetError.
        with np.load(path, allow_pickle=False) as archive:
            # Case-insensitive, so scikit-learn's "X" works; an exact lower-case name wins.
            found = {name.lower(): name for name in sorted(archive.files)}
            keys: tuple[str, ...]
            if "x_train" in found and "y_train" in found:
                keys = ("x_train", "y_train")
            elif "x" in found and "y" in found:
                keys = ("x", "y")
            else:
                listed = ", ".join(sorted(archive.files))
                raise dataset_error(
                    path,
                    _("no arrays x and y (or x_train and y_train); found: {listed}").format(
                        listed=listed
                    )
                    if listed
                    else _("no arrays x and y (or x_train and y_train); found: none"),
                )
            if ("x_test" in found) != ("y_test" in found):
                have, lack = ("x_test", "y_test") if "x_test" in found else ("y_test", "x_test")
                raise dataset_error(
                    path, _("array {have} but no {lack}").format(have=have, lack=lack)
                )
            if "x_test" in found:
                keys += ("x_test", "y_test")
            require_arrays_fit(archive, [found[key] for key in keys], path)
            arrays = {key: archive[found[key]] for key in keys}
            ignored = sorted(set(archive.files) - {found[key] for key in keys})
    except DatasetError:
        raise
    except Exception as error:
        raise dataset_error(
            path, _("damaged archive: {reason}").format(reason=why(error))
        ) from None
    x_key, y_key = keys[:2]
    features, image_shape = _npz_features(arrays[x_key], path, x_key)
    values = _label_values(arrays[y_key], path, y_key)
    if len(values) != len(features):
        raise dataset_error(
            path,
            _("{x} has {samples} samples but {y} has {labels}").format(
                x=x_key, samples=len(features), y=y_key, labels=len(values)
            ),
        )
    classes, labels = encode(values, path, array=y_key)
    notes = [_("ignored arrays: {names}").format(names=", ".join(ignored))] if ignored else []
    test_features = test_labels = None
    if len(keys) == 4:
        test_features, test_shape = _npz_features(arrays["x_test"], path, "x_test")
        if test_features.shape[1] != features.shape[1] or test_shape != image_shape:
            raise dataset_error(
                path, _("x_test samples differ in shape from {x}'s").format(x=x_key)
            )
        test_values = _label_values(arrays["y_test"], path, "y_test")
        if len(test_values) != len(test_features):
            raise dataset_error(
                path,
                _("{x} has {samples} samples but {y} has {labels}").format(
                    x="x_test", samples=len(test_features), y="y_test", labels=len(test_values)
                ),
            )
        test_labels = encode_test(test_values, classes, path, array="y_test")
        notes.append(
            _("test split: {count} samples from x_test and y_test").format(count=len(test_labels))
        )
    dataset = Dataset(
        name=path.stem,
        features=features,
        labels=labels,
        class_names=class_names(classes),
        image_shape=image_shape,
        test_features=test_features,
        test_labels=test_labels,
    )
    return dataset, notes
