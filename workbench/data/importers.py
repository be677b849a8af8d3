"""Importers for the user's own data: MNIST IDX folders, CSV tables, NPZ arrays, image folders.

Each reader returns a `Dataset` or raises `DatasetError`, whose one-line message starts with
the offending file's path; no other exception escapes for bad input, whatever the bytes hold.
`import_path` picks the reader from what the path looks like and adds notes for the user
(skipped columns, where the test split came from).

Features stay in their raw units (pixels 0..255): the split standardises them later. Labels
become 0..k-1 in the order of the sorted class names; numbers sort as numbers.
"""

from __future__ import annotations

import csv
import gzip
import math
import operator
import os
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.data.dataset import Dataset, DatasetError

KINDS = ("idx", "csv", "npz", "folder")
IMAGE_SUFFIXES = (".bmp", ".gif", ".jpeg", ".jpg", ".png", ".webp")
PathLike = str | os.PathLike[str]

_IDX_IMAGES, _IDX_LABELS = 0x00000803, 0x00000801  # unsigned bytes, 3 and 1 dimensions


@dataclass(frozen=True)
class ImportReport:
    """An imported dataset and notes for the user, such as the CSV columns that were skipped."""

    dataset: Dataset
    notes: tuple[str, ...] = ()


def _error(path: object, problem: str) -> DatasetError:
    # One line whatever the cause: decoder and OS messages sometimes span several.
    return DatasetError(" ".join(f"{path}: {problem}".splitlines()))


def _why(error: BaseException) -> str:
    # strerror leaves out the file name, which the message already starts with.
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _existing(path: PathLike) -> Path:
    path = Path(path)
    try:
        found = path.exists()
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the path
        raise _error(path, _why(error)) from None
    if not found:
        raise _error(path, "no such file or folder")
    return path


def _require_dir(path: Path) -> None:
    if not path.is_dir():
        raise _error(path, "not a folder")


def _require_file(path: Path, what: str) -> None:
    if path.is_dir():
        raise _error(path, f"a folder, not {what}")


# ----------------------------------------------------------------------------- labels


def _label_values(values: np.ndarray, path: object, what: str) -> np.ndarray:
    """One label per sample, as float64 numbers or str, whichever the source holds."""
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1:
        raise _error(path, f"{what} has shape {values.shape}; need one label per sample")
    if values.dtype.kind in "biuf":
        numbers = values.astype(np.float64)
        if not np.isfinite(numbers).all():
            raise _error(path, f"{what} holds NaN or infinite labels")
        return numbers
    if values.dtype.kind == "U":
        return values
    if values.dtype.kind == "S":
        return np.char.decode(values, "utf-8", "replace")
    raise _error(path, f"{what} has dtype {values.dtype}; labels must be numbers or strings")


def _name(value: str | float) -> str:
    if isinstance(value, str):
        return str(value)  # np.str_ would show as "np.str_('x')" in messages
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def _encode(values: np.ndarray, path: object, what: str) -> tuple[np.ndarray, np.ndarray]:
    """(the sorted distinct values, labels 0..k-1); refuses fewer than two classes."""
    classes, labels = np.unique(values, return_inverse=True)
    if len(classes) < 2:
        only = f" ({_name(classes[0])!r})" if len(classes) else ""
        raise _error(path, f"only one class{only} in {what}; need at least two")
    return classes, labels.reshape(-1).astype(np.int64)


def _encode_test(values: np.ndarray, classes: np.ndarray, path: object, what: str) -> np.ndarray:
    """Test labels as indices into the training classes; a class unseen in training is refused."""
    if (values.dtype.kind == "f") != (classes.dtype.kind == "f"):
        kinds = ("numbers", "strings") if values.dtype.kind == "f" else ("strings", "numbers")
        raise _error(path, f"{what} are {kinds[0]} but the training labels are {kinds[1]}")
    index = np.minimum(np.searchsorted(classes, values), len(classes) - 1)
    unknown = classes[index] != values
    if unknown.any():
        label = _name(values[unknown][0])
        raise _error(path, f"{what}: label {label!r} does not occur in the training labels")
    return index.astype(np.int64)


def _class_names(classes: np.ndarray) -> tuple[str, ...]:
    return tuple(_name(value) for value in classes.tolist())


# ----------------------------------------------------------------------------- IDX


def _idx_file(folder: Path, prefix: str, kind: str) -> Path | None:
    # MNIST's own names use a dash; many mirrors use a dot ("train-images.idx3-ubyte").
    for stem in (f"{prefix}-{kind}-ubyte", f"{prefix}.{kind}-ubyte"):
        for suffix in ("", ".gz"):
            if (folder / (stem + suffix)).is_file():
                return folder / (stem + suffix)
    return None


def _read_idx(path: Path, magic: int) -> np.ndarray:
    """The unsigned bytes of an IDX file, raw or gzip, in the shape its header gives."""
    try:
        data = path.read_bytes()
        # By content, not by name: a raw IDX file starts with 0x00, gzip with 0x1f 0x8b.
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise _error(path, _why(error)) from None
    what = "images" if magic == _IDX_IMAGES else "labels"
    if len(data) < 4:
        raise _error(path, f"truncated: {len(data)} bytes, too short for an IDX header")
    found = int.from_bytes(data[:4], "big")
    if found != magic:
        raise _error(
            path,
            f"wrong magic number 0x{found:08X}; expected 0x{magic:08X} "
            f"(IDX {what} of unsigned bytes)",
        )
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    if len(data) < header:
        raise _error(path, f"truncated: {len(data)} bytes, too short for an IDX header")
    shape = struct.unpack(f">{ndim}I", data[4:header])
    expected, held = math.prod(shape), len(data) - header
    if held != expected:
        problem = "truncated" if held < expected else "size mismatch"
        dims = " x ".join(map(str, shape))
        raise _error(
            path, f"{problem}: the header promises {dims} = {expected} bytes, found {held}"
        )
    if expected == 0:
        raise _error(path, f"no data: the header gives shape {' x '.join(map(str, shape))}")
    # A view of the bytes just read: the only copy made is the caller's float32 one.
    return np.frombuffer(data, np.uint8, offset=header).reshape(shape)


def _idx_pair(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    images = _read_idx(images_path, _IDX_IMAGES)
    labels = _read_idx(labels_path, _IDX_LABELS)
    if len(images) != len(labels):
        raise _error(
            labels_path,
            f"{len(labels)} labels but {images_path.name} holds {len(images)} images",
        )
    return images, labels


def _idx_files(folder: Path, split: str, required: bool) -> tuple[Path, Path] | None:
    """The (images, labels) files of a split; both or neither, or the missing one is named."""
    images = _idx_file(folder, f"{split}-images", "idx3")
    labels = _idx_file(folder, f"{split}-labels", "idx1")
    if images and labels:
        return images, labels
    if not required and not images and not labels:
        return None
    missing = " and no ".join(
        name
        for name, found in (
            (f"{split}-images-idx3-ubyte", images),
            (f"{split}-labels-idx1-ubyte", labels),
        )
        if not found
    )
    raise _error(folder, f"no {missing} (raw or .gz)")


def _idx(folder: Path) -> tuple[Dataset, list[str]]:
    _require_dir(folder)
    train_files = _idx_files(folder, "train", required=True)
    test_files = _idx_files(folder, "t10k", required=False)
    assert train_files is not None  # required=True raises instead of returning None
    images, raw_labels = _idx_pair(*train_files)
    classes, labels = _encode(raw_labels.astype(np.float64), train_files[1], "the labels")
    image_shape = (1, int(images.shape[1]), int(images.shape[2]))
    features = images.reshape(len(images), -1).astype(np.float32)
    # Drop the file's bytes before reading the test files: the peak stays near the floats.
    del images
    notes: list[str] = []
    test_features = test_labels = None
    if test_files is not None:
        x_test, y_test = _idx_pair(*test_files)
        if x_test.shape[1:] != image_shape[1:]:
            size = "x".join(map(str, x_test.shape[1:]))
            train = "x".join(map(str, image_shape[1:]))
            raise _error(test_files[0], f"images of {size} pixels; the training images are {train}")
        test_labels = _encode_test(
            y_test.astype(np.float64), classes, test_files[1], "the test labels"
        )
        test_features = x_test.reshape(len(x_test), -1).astype(np.float32)
        notes.append(f"test split: {len(x_test)} images from {test_files[0].name}")
    dataset = Dataset(
        name=folder.name,
        features=features,
        labels=labels,
        class_names=_class_names(classes),
        image_shape=image_shape,
        test_features=test_features,
        test_labels=test_labels,
    )
    return dataset, notes


# ----------------------------------------------------------------------------- CSV


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    """(header, data rows, the line each row ends on), cells stripped, blank lines skipped."""
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        # utf-8-sig: spreadsheet programs often start the file with a byte order mark.
        with path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.reader(file)
            try:
                for row in reader:
                    cells = [cell.strip() for cell in row]
                    if len(cells) <= 1 and not any(cells):
                        continue
                    if header is None:
                        header = cells
                    elif len(cells) != len(header):
                        raise _error(
                            path,
                            f"line {reader.line_num}: {len(cells)} fields, "
                            f"but the header has {len(header)}",
                        )
                    else:
                        rows.append(cells)
                        lines.append(reader.line_num)
            except csv.Error as error:
                raise _error(path, f"line {reader.line_num}: {error}") from None
    except UnicodeDecodeError as error:
        raise _error(path, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise _error(path, _why(error)) from None
    if header is None:
        raise _error(path, "empty file")
    if not rows:
        raise _error(path, "no data rows below the header")
    return header, rows, lines


def _numbers(cells: Sequence[str]) -> np.ndarray | None:
    """The cells as float64 (empty ones as NaN), or None when one is not a number."""
    try:
        # NumPy parses the whole column in C; only a column with a gap or a word falls back.
        return np.array(cells, dtype=np.str_).astype(np.float64)
    except (ValueError, OverflowError):
        pass
    values = np.empty(len(cells))
    for i, cell in enumerate(cells):
        try:
            values[i] = float(cell) if cell else np.nan
        except (ValueError, OverflowError):
            return None
    return values


def _finite32(
    values: np.ndarray, cells: Sequence[str], lines: list[int], path: Path, column: str
) -> None:
    """Refuse a gap, NaN, infinity, or a value beyond float32, naming its line and column."""
    with np.errstate(over="ignore"):
        bad = ~np.isfinite(values.astype(np.float32))
    if bad.any():
        row = int(np.argmax(bad))
        cell = cells[row]
        problem = "missing value" if not cell else f"{cell!r} is not a finite float32 number"
        raise _error(path, f"line {lines[row]}, column {column!r}: {problem}")


def _csv(path: Path, label_column: str | None) -> tuple[Dataset, list[str]]:
    _require_file(path, "a CSV file")
    header, rows, lines = _csv_rows(path)
    names = [name or f"column {i + 1}" for i, name in enumerate(header)]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise _error(path, f"column {name!r} appears twice in the header")
    if label_column is None:
        label_index = len(names) - 1
    elif label_column in names:
        label_index = names.index(label_column)
    else:
        raise _error(path, f"no column {label_column!r}; columns: {', '.join(names)}")
    columns = list(zip(*rows, strict=True))
    notes: list[str] = []
    used: list[np.ndarray] = []
    for index, name in enumerate(names):
        if index == label_index:
            continue
        values = _numbers(columns[index])
        if values is None:
            notes.append(f"skipped non-numeric column {name!r}")
            continue
        _finite32(values, columns[index], lines, path, name)
        used.append(values)
    if not used:
        # A header read as one column is usually a file separated by ';' or tabs.
        hint = (
            f" (one column {names[0]!r}: only commas separate columns)" if len(names) == 1 else ""
        )
        raise _error(path, f"no numeric feature columns{hint}")
    label_name, cells = names[label_index], columns[label_index]
    numbers = _numbers(cells)
    if numbers is not None:
        _finite32(numbers, cells, lines, path, label_name)
        raw_labels: np.ndarray = numbers
    else:
        if "" in cells:
            line = lines[cells.index("")]
            raise _error(path, f"line {line}, column {label_name!r}: missing value")
        raw_labels = np.array(cells, dtype=np.str_)
    classes, labels = _encode(raw_labels, path, f"column {label_name!r}")
    dataset = Dataset(
        name=path.stem,
        features=np.column_stack(used).astype(np.float32),
        labels=labels,
        class_names=_class_names(classes),
    )
    return dataset, notes


# ----------------------------------------------------------------------------- NPZ


def _npz_features(
    x: np.ndarray, path: Path, what: str
) -> tuple[np.ndarray, tuple[int, int, int] | None]:
    """Rows of float32 features and the (C, H, W) image shape, if the array holds images."""
    if x.dtype.kind not in "biuf":
        raise _error(path, f"{what} has dtype {x.dtype}; features must be numbers")
    image_shape: tuple[int, int, int] | None = None
    if x.ndim == 3:
        image_shape = (1, x.shape[1], x.shape[2])
    elif x.ndim == 4 and x.shape[3] in (1, 3):
        # Channels-last on disk (as Keras and PIL keep it); rows are C, H, W like the rest.
        x = x.transpose(0, 3, 1, 2)
        image_shape = (x.shape[1], x.shape[2], x.shape[3])
    elif x.ndim != 2:
        raise _error(
            path,
            f"{what} has shape {x.shape}; expected (samples, features), (samples, height, "
            "width) or (samples, height, width, channels) with 1 or 3 channels",
        )
    if x.shape[0] == 0 or math.prod(x.shape[1:]) == 0:
        raise _error(path, f"{what} has shape {x.shape}: no samples or no features")
    with np.errstate(over="ignore", invalid="ignore"):
        # order="C" makes the transposed images contiguous, so the reshape is a view.
        features = x.astype(np.float32, order="C", copy=False).reshape(len(x), -1)
    if x.dtype.kind == "f" and not np.isfinite(features).all():
        raise _error(path, f"{what} holds NaN, infinite or beyond-float32 values")
    return features, image_shape


def _npz(path: Path) -> tuple[Dataset, list[str]]:
    _require_file(path, "an NPZ file")
    try:
        with path.open("rb") as file:
            start = file.read(6)
    except OSError as error:
        raise _error(path, _why(error)) from None
    if start.startswith(b"\x93NUMPY"):
        raise _error(path, "a single .npy array, not an .npz archive of named arrays")
    if not start.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise _error(path, "not an .npz archive (a zip file of .npy arrays)")
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
                listed = ", ".join(sorted(archive.files)) or "none"
                raise _error(path, f"no arrays x and y (or x_train and y_train); found: {listed}")
            if ("x_test" in found) != ("y_test" in found):
                have, lack = ("x_test", "y_test") if "x_test" in found else ("y_test", "x_test")
                raise _error(path, f"array {have} but no {lack}")
            if "x_test" in found:
                keys += ("x_test", "y_test")
            arrays = {key: archive[found[key]] for key in keys}
            ignored = sorted(set(archive.files) - {found[key] for key in keys})
    except DatasetError:
        raise
    except Exception as error:
        raise _error(path, f"damaged archive: {_why(error)}") from None
    x_key, y_key = keys[:2]
    features, image_shape = _npz_features(arrays[x_key], path, x_key)
    values = _label_values(arrays[y_key], path, y_key)
    if len(values) != len(features):
        raise _error(path, f"{x_key} has {len(features)} samples but {y_key} has {len(values)}")
    classes, labels = _encode(values, path, y_key)
    notes = [f"ignored arrays: {', '.join(ignored)}"] if ignored else []
    test_features = test_labels = None
    if len(keys) == 4:
        test_features, test_shape = _npz_features(arrays["x_test"], path, "x_test")
        if test_features.shape[1] != features.shape[1] or test_shape != image_shape:
            raise _error(path, f"x_test samples differ in shape from {x_key}'s")
        test_values = _label_values(arrays["y_test"], path, "y_test")
        if len(test_values) != len(test_features):
            raise _error(
                path, f"x_test has {len(test_features)} samples but y_test has {len(test_values)}"
            )
        test_labels = _encode_test(test_values, classes, path, "y_test")
        notes.append(f"test split: {len(test_labels)} samples from x_test and y_test")
    dataset = Dataset(
        name=path.stem,
        features=features,
        labels=labels,
        class_names=_class_names(classes),
        image_shape=image_shape,
        test_features=test_features,
        test_labels=test_labels,
    )
    return dataset, notes


# ----------------------------------------------------------------------------- image folder


def _image_size(path: Path, image_size: Sequence[int]) -> tuple[int, int]:
    try:
        height, width = (operator.index(v) for v in image_size)
    except (TypeError, ValueError):
        height = width = 0
    if height <= 0 or width <= 0:
        raise _error(path, f"image_size must be [height, width] in pixels, got {image_size!r}")
    return height, width


def _hidden(path: Path) -> bool:
    # macOS puts "._name" twins and a __MACOSX folder into zips it makes; neither is data.
    return path.name.startswith(".") or path.name == "__MACOSX"


def _read_image(file: Path, mode: str, height: int, width: int) -> np.ndarray:
    """(H, W) or (H, W, 3) unsigned bytes of one image, converted and resized."""
    from PIL import Image  # only this importer needs Pillow

    try:
        with Image.open(file) as image:
            converted = image.convert(mode)  # also loads it: decoding errors surface here
            if converted.size != (width, height):  # Pillow sizes are (width, height)
                converted = converted.resize((width, height), Image.Resampling.BILINEAR)
            return np.asarray(converted, dtype=np.uint8)
    except Exception as error:
        # Pillow's decoders raise OSError, SyntaxError, ValueError, struct.error,
        # DecompressionBombError and more for a damaged file: all mean "cannot read it".
        raise _error(file, f"unreadable image: {_why(error)}") from None


def _folder(path: Path, image_size: Sequence[int], grayscale: bool) -> tuple[Dataset, list[str]]:
    _require_dir(path)
    height, width = _image_size(path, image_size)
    try:
        class_dirs = sorted(
            (p for p in path.iterdir() if p.is_dir() and not _hidden(p)),
            key=lambda p: p.name,
        )
        files: list[list[Path]] = []
        skipped = 0
        for class_dir in class_dirs:
            entries = [p for p in class_dir.iterdir() if not _hidden(p)]
            images = sorted(
                (p for p in entries if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()),
                key=lambda p: p.name,
            )
            if not images:
                raise _error(class_dir, f"no images ({', '.join(IMAGE_SUFFIXES)})")
            skipped += len(entries) - len(images)
            files.append(images)
    except OSError as error:
        raise _error(getattr(error, "filename", None) or path, _why(error)) from None
    if not class_dirs:
        raise _error(path, "no class sub-folders; expected one sub-folder of images per class")
    if len(class_dirs) < 2:
        raise _error(path, f"only one class sub-folder ({class_dirs[0].name!r}); need two or more")
    channels, mode = (1, "L") if grayscale else (3, "RGB")
    n_images = sum(len(group) for group in files)
    # Filled in place: a list of per-image arrays would double the peak memory.
    features = np.empty((n_images, channels * height * width), np.float32)
    labels = np.empty(n_images, np.int64)
    row = 0
    for label, group in enumerate(files):
        for file in group:
            pixels = _read_image(file, mode, height, width)
            features[row] = (pixels if channels == 1 else pixels.transpose(2, 0, 1)).reshape(-1)
            labels[row] = label
            row += 1
    notes = [f"skipped {skipped} files that are not images"] if skipped else []
    dataset = Dataset(
        name=path.name,
        features=features,
        labels=labels,
        class_names=tuple(d.name for d in class_dirs),
        image_shape=(channels, height, width),
    )
    return dataset, notes


# ----------------------------------------------------------------------------- public API


def read_idx_folder(path: PathLike) -> Dataset:
    """Read MNIST-format IDX files from a folder (MNIST, Fashion-MNIST, KMNIST...).

    Needs `train-images-idx3-ubyte` and `train-labels-idx1-ubyte`; `t10k-*` files, if both are
    there, become the test split. Each may be gzip-compressed (`.gz`) and the dotted names
    (`train-images.idx3-ubyte`) work too. Features are the raw pixels 0..255 as float32.

    Raises:
        DatasetError: a missing, truncated or inconsistent file; the message names it.
    """
    return _idx(_existing(path))[0]


def read_csv(path: PathLike, label_column: str | None = None) -> Dataset:
    """Read a comma-separated table with a header row; numeric columns become the features.

    Args:
        path: the CSV file (UTF-8).
        label_column: the name of the column holding the class; default the last column.

    Non-numeric feature columns are skipped; `import_path` reports which.

    Raises:
        DatasetError: a ragged row, a missing value, an unknown label column, a single class.
    """
    return _csv(_existing(path), label_column)[0]


def read_npz(path: PathLike) -> Dataset:
    """Read arrays `x`/`y` or `x_train`/`y_train` (+ `x_test`/`y_test`) from an `.npz` file.

    `x` of shape (N, features) is a table, (N, H, W) grayscale images and (N, H, W, C) with C
    1 or 3 channels-last images. Pickled (object) arrays are refused, never loaded.

    Raises:
        DatasetError: missing arrays, mismatched lengths, non-numeric `x`, a single class.
    """
    return _npz(_existing(path))[0]


def read_image_folder(
    path: PathLike, image_size: Sequence[int] = (28, 28), grayscale: bool = True
) -> Dataset:
    """Read images from one sub-folder per class; the class names are the sub-folder names.

    Args:
        path: the folder holding the class sub-folders.
        image_size: [height, width] every image is resized to, as in the experiment file.
        grayscale: convert to one channel (L); otherwise to three (RGB).

    Raises:
        DatasetError: no class sub-folders, an empty class, an unreadable image, a single class.
    """
    return _folder(_existing(path), image_size, grayscale)[0]


def detect_kind(path: PathLike) -> str:
    """Which of `KINDS` the path holds, judged from its name or the folder's contents.

    Raises:
        DatasetError: the path does not exist or is none of the kinds understood.
    """
    path = _existing(path)
    if path.is_dir():
        if _idx_file(path, "train-images", "idx3") or _idx_file(path, "train-labels", "idx1"):
            return "idx"
        try:
            if any(p.is_dir() and not _hidden(p) for p in path.iterdir()):
                return "folder"
        except OSError as error:
            raise _error(path, _why(error)) from None
    elif path.suffix.lower() in (".csv", ".npz"):
        return path.suffix.lower()[1:]
    raise _error(
        path,
        "not a dataset this workbench reads: expected a .csv or .npz file, a folder of MNIST "
        "IDX files, or a folder with one sub-folder of images per class",
    )


def import_path(
    path: PathLike,
    *,
    kind: str | None = None,
    label_column: str | None = None,
    image_size: Sequence[int] = (28, 28),
    grayscale: bool = True,
) -> ImportReport:
    """Import a dataset of any kind the workbench reads, with notes for the user.

    Args:
        path: a file or folder.
        kind: one of `KINDS`, or None to detect it with `detect_kind`.
        label_column: CSV only: the column holding the class (default the last).
        image_size: image folders only: [height, width] to resize every image to.
        grayscale: image folders only: one channel instead of three.

    Raises:
        DatasetError: one line that starts with the offending file's path.
    """
    path = _existing(path)
    if kind is None:
        kind = detect_kind(path)
    if kind == "idx":
        dataset, notes = _idx(path)
    elif kind == "csv":
        dataset, notes = _csv(path, label_column)
    elif kind == "npz":
        dataset, notes = _npz(path)
    elif kind == "folder":
        dataset, notes = _folder(path, image_size, grayscale)
    else:
        raise _error(path, f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
    return ImportReport(dataset, tuple(notes))
