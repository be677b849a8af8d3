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
        raise dataset_error(path, "no such user for '~' in the path") from None


def existing(path: PathLike) -> Path:
    """The path as a `Path`, or a `DatasetError` when it does not exist or cannot be checked."""
    path = Path(path)
    try:
        found = path.exists()
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the path
        raise dataset_error(path, why(error)) from None
    if not found:
        raise dataset_error(path, "no such file or folder")
    return path


def require_dir(path: Path) -> None:
    """Refuse anything but a folder."""
    if not path.is_dir():
        raise dataset_error(path, "not a folder")


def require_file(path: Path, what: str) -> None:
    """Refuse a folder where a file, described by `what` ("a CSV file"), is expected.

    Devices and pipes are refused too: /dev/zero or a FIFO never ends, and reading one "as
    a CSV" would fill the memory until the kernel kills the process.
    """
    if path.is_dir():
        raise dataset_error(path, f"a folder, not {what}")
    if not path.is_file():
        raise dataset_error(path, f"not a regular file (a device or a pipe), not {what}")


def require_memory(path: object, n_bytes: int, what: str) -> None:
    """Refuse data that would need more memory than this machine has free, before reading it.

    `what` says what would be held ("the images as the header gives them").
    """
    fits, available = fits_in_memory(n_bytes)
    if not fits:
        raise dataset_error(
            path,
            f"{what} would need about {size_text(n_bytes)} of memory; "
            f"{size_text(available or 0)} is available",
        )


# ----------------------------------------------------------------------------- labels


def _name(value: str | float) -> str:
    if isinstance(value, str):
        return str(value)  # np.str_ would show as "np.str_('x')" in messages
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def encode(values: np.ndarray, path: object, what: str) -> tuple[np.ndarray, np.ndarray]:
    """(the sorted distinct values, labels 0..k-1); refuses fewer than two classes."""
    classes, labels = np.unique(values, return_inverse=True)
    if len(classes) < 2:
        only = f" ({_name(classes[0])!r})" if len(classes) else ""
        raise dataset_error(path, f"only one class{only} in {what}; need at least two")
    return classes, labels.reshape(-1).astype(np.int64)


def encode_test(values: np.ndarray, classes: np.ndarray, path: object, what: str) -> np.ndarray:
    """Test labels as indices into the training classes; a class unseen in training is refused."""
    if (values.dtype.kind == "f") != (classes.dtype.kind == "f"):
        kinds = ("numbers", "strings") if values.dtype.kind == "f" else ("strings", "numbers")
        raise dataset_error(path, f"{what} are {kinds[0]} but the training labels are {kinds[1]}")
    index = np.minimum(np.searchsorted(classes, values), len(classes) - 1)
    unknown = classes[index] != values
    if unknown.any():
        label = _name(values[unknown][0])
        raise dataset_error(path, f"{what}: label {label!r} does not occur in the training labels")
    return index.astype(np.int64)


def class_names(classes: np.ndarray) -> tuple[str, ...]:
    """The class names shown to the user: strings as they are, whole numbers without ".0"."""
    return tuple(_name(value) for value in classes.tolist())
