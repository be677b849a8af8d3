"""Helpers every importer shares: paths, one-line errors and label encoding.

Private to the package: the format modules import these, the package's API does not.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from workbench.data.dataset import DatasetError
from workbench.data.memory import fits_in_memory, size_text
from workbench.i18n import N_, _

PathLike = str | os.PathLike[str]
# Told the fraction of an import done, 0 to 1, now and then. Whatever it raises ends the
# import and reaches the caller as it is (a window's Cancel gives up this way).
Progress = Callable[[float], None]


def no_progress(fraction: float) -> None:
    """The `Progress` of an import nobody follows."""


def dataset_error(path: object, problem: str) -> DatasetError:
    """The error to raise for bad input: one line that starts with the offending path."""
    # One line whatever the cause: decoder and OS messages sometimes span several.
    return DatasetError(" ".join(f"{path}: {problem}".splitlines()))


def why(error: BaseException) -> str:
    """What went wrong, in words, for a message that already names the file."""
    # strerror leaves out the file name, which the message already starts with.
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def user_path(path: PathLike) -> Path:
    """The path with a leading "~" or "~name" expanded; an unknown user is a `DatasetError`."""
    try:
        return Path(path).expanduser()
    except (RuntimeError, KeyError):  # "~nosuchuser": Python cannot find that home folder
        raise dataset_error(path, _("no such user for '~' in the path")) from None


def existing(path: PathLike) -> Path:
    """The path as a `Path`, or a `DatasetError` when it does not exist or cannot be checked."""
    path = Path(path)
    try:
        found = path.exists()
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the path
        raise dataset_error(path, why(error)) from None
    if not found:
        raise dataset_error(path, _("no such file or folder"))
    return path


def require_dir(path: Path) -> None:
    """Refuse anything but a folder."""
    if not path.is_dir():
        raise dataset_error(path, _("not a folder"))


# Whole sentences for each kind of file (the article differs: "an IDX file", "a CSV file").
_NOT_A_FILE = {
    "IDX": (
        N_("a folder, not an IDX file"),
        N_("not a regular file (a device or a pipe), not an IDX file"),
    ),
    "NPZ": (
        N_("a folder, not an NPZ file"),
        N_("not a regular file (a device or a pipe), not an NPZ file"),
    ),
    "CSV": (
        N_("a folder, not a CSV file"),
        N_("not a regular file (a device or a pipe), not a CSV file"),
    ),
}


def require_file(path: Path, kind: str) -> None:
    """Refuse a folder where a file of `kind` ("IDX", "NPZ", "CSV") is expected.

    Devices and pipes are refused too: /dev/zero or a FIFO never ends, and reading one "as
    a CSV" would fill the memory until the kernel kills the process.
    """
    folder, device = _NOT_A_FILE[kind]
    if path.is_dir():
        raise dataset_error(path, _(folder))
    if not path.is_file():
        raise dataset_error(path, _(device))


def require_memory(path: object, n_bytes: int, template: str, **fields: object) -> None:
    """Refuse data that would need more memory than this machine has free, before reading it.

    `template` is a whole sentence marked with `N_()`, with the fields `{needed}` and
    `{available}` (sizes in words) besides the caller's own `fields`: "the {dims} images its
    header promises would need about {needed} of memory; {available} is available".
    """
    fits, available = fits_in_memory(n_bytes)
    if not fits:
        raise dataset_error(
            path,
            _(template).format(
                needed=size_text(n_bytes), available=size_text(available or 0), **fields
            ),
        )


# ----------------------------------------------------------------------------- labels


def _name(value: str | float) -> str:
    if isinstance(value, str):
        return str(value)  # np.str_ would show as "np.str_('x')" in messages
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


# Whole sentences per place the labels come from: the labels of an IDX folder, an NPZ
# array (`{array}`), a CSV column (`{column}`); with the one class's name, or without.
_ONE_CLASS = {
    "labels": (
        N_("only one class ({name}) in the labels; need at least two"),
        N_("only one class in the labels; need at least two"),
    ),
    "array": (
        N_("only one class ({name}) in {array}; need at least two"),
        N_("only one class in {array}; need at least two"),
    ),
    "column": (
        N_("only one class ({name}) in column {column}; need at least two"),
        N_("only one class in column {column}; need at least two"),
    ),
}
_TEST_LABELS = {
    "labels": (
        N_("the test labels are numbers but the training labels are strings"),
        N_("the test labels are strings but the training labels are numbers"),
        N_("the test labels: label {label} does not occur in the training labels"),
    ),
    "array": (
        N_("{array} are numbers but the training labels are strings"),
        N_("{array} are strings but the training labels are numbers"),
        N_("{array}: label {label} does not occur in the training labels"),
    ),
}


def _source(array: str | None, column: str | None) -> tuple[str, dict[str, str]]:
    if array is not None:
        return "array", {"array": array}
    if column is not None:
        return "column", {"column": repr(column)}
    return "labels", {}


def encode(
    values: np.ndarray, path: object, *, array: str | None = None, column: str | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(the sorted distinct values, labels 0..k-1); refuses fewer than two classes.

    The labels come from the NPZ array `array`, the CSV column `column`, or (neither given)
    the labels of an IDX folder: the message names the one.
    """
    classes, labels = np.unique(values, return_inverse=True)
    if len(classes) < 2:
        source, fields = _source(array, column)
        named, unnamed = _ONE_CLASS[source]
        if len(classes):
            problem = _(named).format(name=repr(_name(classes[0])), **fields)
        else:
            problem = _(unnamed).format(**fields)
        raise dataset_error(path, problem)
    return classes, labels.reshape(-1).astype(np.int64)


def encode_test(
    values: np.ndarray, classes: np.ndarray, path: object, *, array: str | None = None
) -> np.ndarray:
    """Test labels as indices into the training classes; a class unseen in training is refused.

    The labels come from the NPZ array `array`, or (None) the test labels of an IDX folder.
    """
    source, fields = _source(array, None)
    numbers, strings, unknown_label = _TEST_LABELS[source]
    if (values.dtype.kind == "f") != (classes.dtype.kind == "f"):
        problem = numbers if values.dtype.kind == "f" else strings
        raise dataset_error(path, _(problem).format(**fields))
    index = np.minimum(np.searchsorted(classes, values), len(classes) - 1)
    unknown = classes[index] != values
    if unknown.any():
        label = _name(values[unknown][0])
        raise dataset_error(path, _(unknown_label).format(label=repr(label), **fields))
    return index.astype(np.int64)


def class_names(classes: np.ndarray) -> tuple[str, ...]:
    """The class names shown to the user: strings as they are, whole numbers without ".0"."""
    return tuple(_name(value) for value in classes.tolist())
