"""Turning a hand-drawn digit into an image laid out like the digit data a model learnt from.

A drawing canvas gives ink as a large 2-D array in 0..1 (1 = ink). The digit datasets were
not made by simply shrinking such a picture, so neither is a drawing:

* scikit-learn's ``digits`` (8x8, pixels 0..16) come from UCI's optdigits: each digit's
  bounding box was normalised to a 32x32 bitmap and the ink in every 4x4 block counted.
  In the data every digit fills the height of the frame while its width follows its shape
  (a "1" stays narrow) and stays inside the middle six columns: the outer two are blank in
  practically every sample (their standard deviation is 0 to 0.2 of 16), so ink there would
  be standardised to dozens of deviations. The box is scaled to fit 32 tall by 24 wide
  keeping its aspect ratio and centred, then averaged over 4x4 blocks. (Measured on ten
  drawn digits with a 95% MLP: 9 of 10 right with the 24-wide box, 6 or 7 with 32.)
* MNIST (28x28, pixels 0..255): each digit's bounding box is scaled to fit 20x20 keeping
  its aspect ratio, then placed in the 28x28 frame so its centre of mass is at the centre.
  Any other image size is treated the same way, the box being 20/28 of the frame.

Nothing here knows about Qt: the canvas widget hands over a plain array.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

# Ink fainter than this (antialiased fringes, a stray speck of grey) does not widen the box.
_INK_THRESHOLD = 0.05
# optdigits: a 32x32 bitmap counted in 4x4 blocks gives the 8x8 image.
_UCI_SHAPE = (8, 8)
_UCI_BLOCK = 4
# The digits keep to the middle six of the eight columns: 24 of the 32 bitmap columns.
_UCI_BOX_WIDTH = 24
# MNIST: the digit's box is 20 pixels of the 28-pixel frame.
_MNIST_BOX_FRACTION = 20 / 28


def ink_to_image(ink: np.ndarray, height: int, width: int) -> np.ndarray:
    """Lay a drawing out the way the digit dataset of that size was made.

    Args:
        ink: The canvas as a 2-D array of any size, 0 = background and 1 = ink.
        height: Rows of the image the model expects (8 for scikit-learn's digits, 28 for
            MNIST).
        width: Columns of that image.

    Returns:
        A ``(height, width)`` float32 array in 0..1. 8x8 follows the optdigits layout, every
        other size the MNIST one. A canvas without ink gives all zeros.

    Raises:
        ValueError: If ``ink`` is not 2-D or the size is not positive.
    """
    ink = np.asarray(ink, dtype=np.float32)
    if ink.ndim != 2:
        raise ValueError(f"ink must be a 2-D array, got shape {ink.shape}")
    if height < 1 or width < 1:
        raise ValueError(f"image size must be positive, got {height}x{width}")
    ink = np.clip(np.nan_to_num(ink), 0.0, 1.0)
    crop = _crop_to_ink(ink)
    if crop is None:
        return np.zeros((height, width), dtype=np.float32)
    if (height, width) == _UCI_SHAPE:
        image = _uci_layout(crop)
    else:
        image = _mnist_layout(crop, height, width)
    return np.clip(image, 0.0, 1.0).astype(np.float32)


def image_to_raw(image01: np.ndarray, pixel_max: float) -> np.ndarray:
    """Flatten an image in 0..1 to the model's raw feature row, before any scaling it learnt.

    Args:
        image01: An image in 0..1 (from `ink_to_image`), flattened row-major as the
            datasets lay out their features (C*H*W with C = 1).
        pixel_max: The dataset's largest pixel value: 16 for scikit-learn's digits, 255
            for MNIST.

    Returns:
        A 1-D float32 array of ``image01.size`` values in 0..pixel_max.
    """
    return (np.asarray(image01, dtype=np.float32).reshape(-1) * np.float32(pixel_max)).astype(
        np.float32
    )


def _crop_to_ink(ink: np.ndarray) -> np.ndarray | None:
    """The bounding box of the ink, or None when there is none."""
    rows = np.flatnonzero((ink > _INK_THRESHOLD).any(axis=1))
    if rows.size == 0:
        return None
    columns = np.flatnonzero((ink > _INK_THRESHOLD).any(axis=0))
    return ink[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]


def _fit(crop: np.ndarray, box_height: float, box_width: float) -> tuple[int, int]:
    """The size of ``crop`` scaled to fit the box, keeping its aspect ratio."""
    scale = min(box_height / crop.shape[0], box_width / crop.shape[1])
    return (
        int(np.clip(round(crop.shape[0] * scale), 1, max(1, int(box_height)))),
        int(np.clip(round(crop.shape[1] * scale), 1, max(1, int(box_width)))),
    )


def _resize(image: np.ndarray, height: int, width: int, shrink_filter: Image.Resampling):
    """Resample a float image; ``shrink_filter`` when it gets smaller, bilinear otherwise."""
    shrinking = height <= image.shape[0] and width <= image.shape[1]
    resample = shrink_filter if shrinking else Image.Resampling.BILINEAR
    picture = Image.fromarray(np.ascontiguousarray(image, dtype=np.float32))  # mode F
    return np.asarray(picture.resize((width, height), resample=resample), dtype=np.float32)


def _uci_layout(crop: np.ndarray) -> np.ndarray:
    """optdigits: the box fitted into 32 x 24, centred in 32x32, then 4x4 block means."""
    rows, columns = _UCI_SHAPE
    side_h, side_w = rows * _UCI_BLOCK, columns * _UCI_BLOCK
    fitted_h, fitted_w = _fit(crop, side_h, _UCI_BOX_WIDTH)
    # BOX averages the area each new pixel covers: the share of ink, as optdigits counts.
    patch = _resize(crop, fitted_h, fitted_w, Image.Resampling.BOX)
    bitmap = np.zeros((side_h, side_w), dtype=np.float32)
    top, left = (side_h - fitted_h) // 2, (side_w - fitted_w) // 2
    bitmap[top : top + fitted_h, left : left + fitted_w] = patch
    return bitmap.reshape(rows, _UCI_BLOCK, columns, _UCI_BLOCK).mean(axis=(1, 3))


def _mnist_layout(crop: np.ndarray, height: int, width: int) -> np.ndarray:
    """MNIST: the box fitted into 20/28 of the frame, its centre of mass on the centre."""
    fitted_h, fitted_w = _fit(crop, height * _MNIST_BOX_FRACTION, width * _MNIST_BOX_FRACTION)
    patch = np.clip(_resize(crop, fitted_h, fitted_w, Image.Resampling.LANCZOS), 0.0, 1.0)
    frame = np.zeros((height, width), dtype=np.float32)
    if patch.sum() <= 0:
        return frame
    # Imported here: scipy.ndimage costs 0.3 s at the window's start-up.
    from scipy import ndimage

    mass_row, mass_column = ndimage.center_of_mass(patch)
    # Whole-pixel offsets keep the strokes sharp and put the centre of mass within half a
    # pixel of the frame's centre; what would fall outside the frame is cut off.
    top = int(round((height - 1) / 2 - mass_row))
    left = int(round((width - 1) / 2 - mass_column))
    _paste(frame, patch, top, left)
    return frame


def _paste(frame: np.ndarray, patch: np.ndarray, top: int, left: int) -> None:
    """Copy ``patch`` into ``frame`` with its corner at (top, left), clipped to the frame."""
    frame_top, frame_left = max(top, 0), max(left, 0)
    frame_bottom = min(top + patch.shape[0], frame.shape[0])
    frame_right = min(left + patch.shape[1], frame.shape[1])
    if frame_bottom <= frame_top or frame_right <= frame_left:
        return
    frame[frame_top:frame_bottom, frame_left:frame_right] = patch[
        frame_top - top : frame_bottom - top, frame_left - left : frame_right - left
    ]
