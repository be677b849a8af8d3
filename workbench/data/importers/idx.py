"""The MNIST IDX reader: a folder of train (and optional t10k) images and labels, raw or gzip."""

from __future__ import annotations

import gzip
import io
import math
import struct
import zlib
from pathlib import Path

import numpy as np

from workbench.data.dataset import Dataset, DatasetError
from workbench.data.importers._common import (
    Progress,
    class_names,
    dataset_error,
    encode,
    encode_test,
    no_progress,
    require_dir,
    require_file,
    require_memory,
    why,
)
from workbench.i18n import N_, _

_IDX_IMAGES, _IDX_LABELS = 0x00000803, 0x00000801  # unsigned bytes, 3 and 1 dimensions
# Bytes read at a time: progress is told, and a cancel noticed, between two reads.
_CHUNK = 1 << 22
_WRONG_IMAGES = N_("wrong magic number {found}; expected {magic} (IDX images of unsigned bytes)")
_WRONG_LABELS = N_("wrong magic number {found}; expected {magic} (IDX labels of unsigned bytes)")


def find_file(folder: Path, prefix: str, kind: str) -> Path | None:
    """The IDX file `prefix` of `kind` ("idx3", "idx1") in the folder, raw or .gz, if any."""
    # MNIST's own names use a dash; many mirrors use a dot ("train-images.idx3-ubyte").
    for stem in (f"{prefix}-{kind}-ubyte", f"{prefix}.{kind}-ubyte"):
        for suffix in ("", ".gz"):
            if (folder / (stem + suffix)).is_file():
                return folder / (stem + suffix)
    return None


class _Files:
    """Tells `progress` how far through a folder's files the reading is, by bytes on disk.

    Bytes of the file as stored, compressed or not: a .gz is read as fast as it inflates.
    """

    def __init__(self, files: list[Path], progress: Progress) -> None:
        self._sizes: dict[Path, int] = {}
        for file in files:
            try:
                self._sizes[file] = file.stat().st_size
            except OSError:
                self._sizes[file] = 0
        self._total = max(1, sum(self._sizes.values()))
        self._before = 0  # bytes of the files already read
        self._progress = progress

    def at(self, position: int) -> None:
        """`position` bytes of the current file are read."""
        self._progress(min(1.0, (self._before + position) / self._total))

    def next_file(self, file: Path) -> None:
        self._before += self._sizes.get(file, 0)
        self.at(0)


def _read_bytes(
    stream: io.BufferedIOBase, size: int, raw: io.BufferedIOBase, files: _Files
) -> np.ndarray:
    """Up to `size` bytes of `stream` (fewer at its end), told to `files` as they come."""
    # Filled in place: the dataset keeps these bytes, no copy is made. np.empty touches no
    # memory, so a header promising more than the file holds costs only what is read.
    data = np.empty(size, np.uint8)
    view = data.data
    done = 0
    while done < size:
        count = stream.readinto(view[done : min(size, done + _CHUNK)])
        if not count:
            break
        done += count
        files.at(raw.tell())
    return data[:done]


def _read_idx(path: Path, magic: int, files: _Files | None = None) -> np.ndarray:
    """The unsigned bytes of an IDX file, raw or gzip, in the shape its header gives.

    Read as a stream: the header is checked, and the promised size weighed against the free
    memory, before the pixels are read, and never more than the header promises is
    decompressed (a 3 MB .gz of 3 GB of zeros is refused at its first bytes). The pixels are
    read a few MB at a time, each read told to `files`.
    """
    files = files or _Files([path], no_progress)
    require_file(path, "IDX")
    images = magic == _IDX_IMAGES
    ndim = magic & 0xFF
    try:
        with path.open("rb") as raw:
            # By content, not by name: a raw IDX file starts with 0x00, gzip with 0x1f 0x8b.
            compressed = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            stream = gzip.GzipFile(fileobj=raw) if compressed else raw
            header = stream.read(4 + 4 * ndim)
            if len(header) < 4:
                raise dataset_error(path, _short_header(len(header)))
            found = int.from_bytes(header[:4], "big")
            if found != magic:
                wrong = _(_WRONG_IMAGES if images else _WRONG_LABELS)
                raise dataset_error(
                    path, wrong.format(found=f"0x{found:08X}", magic=f"0x{magic:08X}")
                )
            if len(header) < 4 + 4 * ndim:
                raise dataset_error(path, _short_header(len(header)))
            shape = struct.unpack(f">{ndim}I", header[4:])
            expected = math.prod(shape)
            dims = " x ".join(map(str, shape))
            if expected == 0:
                raise dataset_error(
                    path, _("no data: the header gives shape {dims}").format(dims=dims)
                )
            require_memory(
                path,
                expected,
                N_(
                    "the {dims} images its header promises would need about {needed} of "
                    "memory; {available} is available"
                )
                if images
                else N_(
                    "the {dims} labels its header promises would need about {needed} of "
                    "memory; {available} is available"
                ),
                dims=dims,
            )
            data = _read_bytes(stream, expected, raw, files)
            # One byte more than promised is enough to know the file holds more.
            extra = stream.read(1)
    except DatasetError:
        raise
    except (OSError, EOFError, zlib.error) as error:
        raise dataset_error(path, why(error)) from None
    if len(data) != expected or extra:
        if extra:
            problem = _(
                "size mismatch: the header promises {dims} = {expected} bytes, "
                "found more than {expected}"
            )
        elif len(data) < expected:
            problem = _("truncated: the header promises {dims} = {expected} bytes, found {found}")
        else:
            problem = _(
                "size mismatch: the header promises {dims} = {expected} bytes, found {found}"
            )
        raise dataset_error(path, problem.format(dims=dims, expected=expected, found=len(data)))
    return data.reshape(shape)


def _short_header(length: int) -> str:
    return _("truncated: {length} bytes, too short for an IDX header").format(length=length)


def _idx_pair(images_path: Path, labels_path: Path, files: _Files) -> tuple[np.ndarray, np.ndarray]:
    images = _read_idx(images_path, _IDX_IMAGES, files)
    files.next_file(images_path)
    labels = _read_idx(labels_path, _IDX_LABELS, files)
    files.next_file(labels_path)
    if len(images) != len(labels):
        raise dataset_error(
            labels_path,
            _("{labels} labels but {file} holds {images} images").format(
                labels=len(labels), file=images_path.name, images=len(images)
            ),
        )
    return images, labels


def _idx_files(folder: Path, split: str, required: bool) -> tuple[Path, Path] | None:
    """The (images, labels) files of a split; both or neither, or the missing one is named."""
    images = find_file(folder, f"{split}-images", "idx3")
    labels = find_file(folder, f"{split}-labels", "idx1")
    if images and labels:
        return images, labels
    if not required and not images and not labels:
        return None
    images_name, labels_name = f"{split}-images-idx3-ubyte", f"{split}-labels-idx1-ubyte"
    if not images and not labels:
        problem = _("no {images} and no {labels} (raw or .gz)")
    elif not images:
        problem = _("no {images} (raw or .gz)")
    else:
        problem = _("no {labels} (raw or .gz)")
    raise dataset_error(folder, problem.format(images=images_name, labels=labels_name))


def read(folder: Path, progress: Progress = no_progress) -> tuple[Dataset, list[str]]:
    """The dataset in an IDX folder and notes for the user (where the test split came from)."""
    require_dir(folder)
    train_files = _idx_files(folder, "train", required=True)
    test_files = _idx_files(folder, "t10k", required=False)
    assert train_files is not None  # required=True raises instead of returning None
    files = _Files([*train_files, *(test_files or ())], progress)
    images, raw_labels = _idx_pair(*train_files, files)
    classes, labels = encode(raw_labels.astype(np.float64), train_files[1])
    image_shape = (1, int(images.shape[1]), int(images.shape[2]))
    # The pixels stay bytes (a quarter of float32's size); batches become float32 as taken.
    features = images.reshape(len(images), -1)
    notes: list[str] = []
    test_features = test_labels = None
    if test_files is not None:
        x_test, y_test = _idx_pair(*test_files, files)
        if x_test.shape[1:] != image_shape[1:]:
            size = "x".join(map(str, x_test.shape[1:]))
            train = "x".join(map(str, image_shape[1:]))
            raise dataset_error(
                test_files[0],
                _("images of {size} pixels; the training images are {train}").format(
                    size=size, train=train
                ),
            )
        test_labels = encode_test(y_test.astype(np.float64), classes, test_files[1])
        test_features = x_test.reshape(len(x_test), -1)
        notes.append(
            _("test split: {count} images from {file}").format(
                count=len(x_test), file=test_files[0].name
            )
        )
    dataset = Dataset(
        name=folder.name,
        features=features,
        labels=labels,
        class_names=class_names(classes),
        image_shape=image_shape,
        test_features=test_features,
        test_labels=test_labels,
    )
    return dataset, notes
