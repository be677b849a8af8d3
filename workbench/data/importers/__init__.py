"""Importers for the user's own data: MNIST IDX folders, CSV tables, NPZ arrays, image folders.

Each reader returns a `Dataset` or raises `DatasetError`, whose one-line message starts with
the offending file's path; no other exception escapes for bad input, whatever the bytes hold.
`import_path` picks the reader from what the path looks like and adds notes for the user
(skipped columns, where the test split came from).

Features stay in their raw units (pixels 0..255): the split standardises them later. Labels
become 0..k-1 in the order of the sorted class names; numbers sort as numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.data.dataset import Dataset
from workbench.data.importers import csv_table, idx, image_folder, npz
from workbench.data.importers._common import (
    PathLike,
    Progress,
    dataset_error,
    existing,
    no_progress,
    why,
)
from workbench.data.importers.image_folder import IMAGE_SUFFIXES
from workbench.i18n import _

__all__ = [
    "IMAGE_SUFFIXES",
    "KINDS",
    "ImportReport",
    "Progress",
    "detect_kind",
    "import_path",
    "no_progress",
    "read_csv",
    "read_idx_folder",
    "read_image_folder",
    "read_npz",
]

KINDS = ("idx", "csv", "npz", "folder")


@dataclass(frozen=True)
class ImportReport:
    """An imported dataset and notes for the user, such as the CSV columns that were skipped."""

    dataset: Dataset
    notes: tuple[str, ...] = ()


def read_idx_folder(path: PathLike) -> Dataset:
    """Read MNIST-format IDX files from a folder (MNIST, Fashion-MNIST, KMNIST...).

    Needs `train-images-idx3-ubyte` and `train-labels-idx1-ubyte`; `t10k-*` files, if both are
    there, become the test split. Each may be gzip-compressed (`.gz`) and the dotted names
    (`train-images.idx3-ubyte`) work too. Features are the raw pixels 0..255 as float32.

    Raises:
        DatasetError: a missing, truncated or inconsistent file; the message names it.
    """
    return idx.read(existing(path))[0]


def read_csv(path: PathLike, label_column: str | None = None) -> Dataset:
    """Read a comma-separated table with a header row; numeric columns become the features.

    Args:
        path: the CSV file (UTF-8).
        label_column: the name of the column holding the class; default the last column.

    Non-numeric feature columns are skipped; `import_path` reports which.

    Raises:
        DatasetError: a ragged row, a missing value, an unknown label column, a single class.
    """
    return csv_table.read(existing(path), label_column)[0]


def read_npz(path: PathLike) -> Dataset:
    """Read arrays `x`/`y` or `x_train`/`y_train` (+ `x_test`/`y_test`) from an `.npz` file.

    `x` of shape (N, features) is a table, (N, H, W) grayscale images and (N, H, W, C) with C
    1 or 3 channels-last images. Pickled (object) arrays are refused, never loaded.

    Raises:
        DatasetError: missing arrays, mismatched lengths, non-numeric `x`, a single class.
    """
    return npz.read(existing(path))[0]


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
    return image_folder.read(existing(path), image_size, grayscale)[0]


def detect_kind(path: PathLike) -> str:
    """Which of `KINDS` the path holds, judged from its name or the folder's contents.

    Raises:
        DatasetError: the path does not exist or is none of the kinds understood.
    """
    path = existing(path)
    if path.is_dir():
        images = idx.find_file(path, "train-images", "idx3")
        if images or idx.find_file(path, "train-labels", "idx1"):
            return "idx"
        try:
            if any(p.is_dir() and not image_folder.hidden(p) for p in path.iterdir()):
                return "folder"
        except OSError as error:
            raise dataset_error(path, why(error)) from None
    elif path.suffix.lower() in (".csv", ".npz"):
        return path.suffix.lower()[1:]
    raise dataset_error(
        path,
        _(
            "not a dataset this workbench reads: expected a .csv or .npz file, a folder of "
            "MNIST IDX files, or a folder with one sub-folder of images per class"
        ),
    )


def import_path(
    path: PathLike,
    *,
    kind: str | None = None,
    label_column: str | None = None,
    image_size: Sequence[int] = (28, 28),
    grayscale: bool = True,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import a dataset of any kind the workbench reads, with notes for the user.

    Args:
        path: a file or folder.
        kind: one of `KINDS`, or None to detect it with `detect_kind`.
        label_column: CSV only: the column holding the class (default the last).
        image_size: image folders only: [height, width] to resize every image to.
        grayscale: image folders only: one channel instead of three.
        progress: told the fraction done (0 to 1) now and then, from the reading thread;
            what it raises ends the import and reaches the caller unchanged (a Cancel).
            NPZ archives, read in one go, are told only when done.

    Raises:
        DatasetError: one line that starts with the offending file's path.
    """
    path = existing(path)
    if kind is None:
        kind = detect_kind(path)
    if kind == "idx":
        dataset, notes = idx.read(path, progress)
    elif kind == "csv":
        dataset, notes = csv_table.read(path, label_column, progress)
    elif kind == "npz":
        dataset, notes = npz.read(path)
    elif kind == "folder":
        dataset, notes = image_folder.read(path, image_size, grayscale, progress)
    else:
        reason = _("unknown kind {kind}; known: {kinds}").format(
            kind=repr(kind), kinds=", ".join(KINDS)
        )
        raise dataset_error(path, reason)
    progress(1.0)
    return ImportReport(dataset, tuple(notes))
