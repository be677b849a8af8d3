"""The image folder reader: one sub-folder of images per class, each image resized alike."""

from __future__ import annotations

import operator
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from workbench.data.dataset import Dataset
from workbench.data.importers._common import (
    Progress,
    dataset_error,
    no_progress,
    require_dir,
    why,
)
from workbench.i18n import _

IMAGE_SUFFIXES = (".bmp", ".gif", ".jpeg", ".jpg", ".png", ".webp")


def hidden(path: Path) -> bool:
    """Whether a folder entry is hidden or operating-system clutter rather than data."""
    # macOS puts "._name" twins and a __MACOSX folder into zips it makes; neither is data.
    return path.name.startswith(".") or path.name == "__MACOSX"


def _image_size(path: Path, image_size: Sequence[int]) -> tuple[int, int]:
    try:
        height, width = (operator.index(v) for v in image_size)
    except (TypeError, ValueError):
        height = width = 0
    if height <= 0 or width <= 0:
        raise dataset_error(
            path,
            _("image_size must be [height, width] in pixels, got {value}").format(
                value=repr(image_size)
            ),
        )
    return height, width


def _read_image(file: Path, mode: str, height: int, width: int) -> np.ndarray:
    """(H, W) or (H, W, 3) unsigned bytes of one image, converted and resized."""
    from PIL import Image  # only this importer needs Pillow

    # An image of 89 to 179 megapixels only warns (two lines on stderr) and is decoded into
    # hundreds of MB; as an error it is refused in one line like any larger bomb. A filter,
    # not catch_warnings: the window reads images on a worker thread, and filters are global.
    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)
    try:
        with Image.open(file) as image:
            converted = image.convert(mode)  # also loads it: decoding errors surface here
            if converted.size != (width, height):  # Pillow sizes are (width, height)
                converted = converted.resize((width, height), Image.Resampling.BILINEAR)
            return np.asarray(converted, dtype=np.uint8)
    except Exception as error:
        # Pillow's decoders raise OSError, SyntaxError, ValueError, struct.error,
        # DecompressionBombError and more for a damaged file: all mean "cannot read it".
        raise dataset_error(
            file, _("unreadable image: {reason}").format(reason=why(error))
        ) from None


def read(
    path: Path, image_size: Sequence[int], grayscale: bool, progress: Progress = no_progress
) -> tuple[Dataset, list[str]]:
    """The dataset in an image folder and notes for the user (the files that are not images)."""
    require_dir(path)
    height, width = _image_size(path, image_size)
    try:
        class_dirs = sorted(
            (p for p in path.iterdir() if p.is_dir() and not hidden(p)),
            key=lambda p: p.name,
        )
        files: list[list[Path]] = []
        skipped = 0
        for class_dir in class_dirs:
            entries = [p for p in class_dir.iterdir() if not hidden(p)]
            images = sorted(
                (p for p in entries if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()),
                key=lambda p: p.name,
            )
            if not images:
                reason = _("no images ({suffixes})").format(suffixes=", ".join(IMAGE_SUFFIXES))
                raise dataset_error(class_dir, reason)
            skipped += len(entries) - len(images)
            files.append(images)
    except OSError as error:
        raise dataset_error(getattr(error, "filename", None) or path, why(error)) from None
    if not class_dirs:
        raise dataset_error(
            path, _("no class sub-folders; expected one sub-folder of images per class")
        )
    if len(class_dirs) < 2:
        raise dataset_error(
            path,
            _("only one class sub-folder ({name}); need two or more").format(
                name=repr(class_dirs[0].name)
            ),
        )
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
            progress(row / n_images)
    notes = (
        [_("skipped {count} files that are not images").format(count=skipped)] if skipped else []
    )
    dataset = Dataset(
        name=path.name,
        features=features,
        labels=labels,
        class_names=tuple(d.name for d in class_dirs),
        image_shape=(channels, height, width),
    )
    return dataset, notes
