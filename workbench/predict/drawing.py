"""Turning a hand-drawn digit into an image laid out like the digit data a model learnt from.

A drawing canvas gives ink as a large 2-D array in 0..1 (1 = ink). The digit datasets were
not made by simply shrinking such a picture, so neither is a drawing:

* scikit-learn's ``digits`` (8x8, pixels 0..16) come from UCI's optdigits: NIST's programs
  normalised each digit to a 32x32 bitmap and the "on" pixels of every 4x4 block were
  counted. The data say what that normalisation did (means over the 1,797 digits):
  every digit fills the height of the frame; its ink stays inside the middle six columns
  (the outer two are blank in practically every sample, their standard deviation 0 to
  0.2 of 16, so ink there is standardised to dozens of deviations), at the top and bottom
  rows mostly inside the middle four; and every class has the same amount of ink, 19.5 of
  the 64 pixels (30.5 %), a "1" as much as an "8": the strokes were normalised too.
  So a drawing's box is scaled to 32 tall, its width by the same factor but squeezed to at
  most 16 of the 32 columns, and centred; its strokes are then thinned or thickened (a
  threshold on the signed distance to the strokes' edge) until 30.5 % of the bitmap is
  ink, which widens the digit by the stroke's growth; then the 4x4 blocks are counted.
  Measured with ``tests/benchmarks/drawn_digits.py`` (143 scripted drawings in 11 styles,
  six trained MLPs, whose held-out test digits score 95-97 %): 70 % of the drawings were
  read right when the box was only fitted into 32 x 24, 78 % with this layout.
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
# The widest a digit's box is drawn in the 32x32 bitmap before its strokes are normalised
# (which widens it): wider boxes put ink in the columns the data leave blank. Of 15 to 24,
# 20 kept the data's own digits closest when fed back through (see the module's notes).
_UCI_BOX_WIDTH = 20
# The share of the 32x32 bitmap that is ink in every class of the data (19.5 of 64 pixels).
_UCI_INK_SHARE = 0.305
# The bitmap is worked on at this many pixels per bitmap pixel, so that thinning and
# thickening the strokes moves their edges by less than a counted pixel.
_UCI_SUPERSAMPLE = 4
# A supersampled pixel at least this dark counts as ink before the strokes are normalised.
_UCI_ON = 0.3
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
    """optdigits: full height, width squeezed into the box, strokes normalised, 4x4 counts."""
    rows, columns = _UCI_SHAPE
    factor = _UCI_BLOCK * _UCI_SUPERSAMPLE
    side_h, side_w = rows * factor, columns * factor
    box_w = _UCI_BOX_WIDTH * _UCI_SUPERSAMPLE
    # The height always fills the frame; the width keeps the aspect ratio unless that is
    # wider than the box (a "1" stays narrow, a wide "7" is squeezed).
    scale = min(side_h / crop.shape[0], box_w / crop.shape[1])
    fitted_w = int(np.clip(round(crop.shape[1] * scale), 1, box_w))
    patch = _resize(crop, side_h, fitted_w, Image.Resampling.BOX)
    bitmap = np.zeros((side_h, side_w), dtype=np.float32)
    left = (side_w - fitted_w) // 2
    bitmap[:, left : left + fitted_w] = patch
    on = _normalise_strokes(bitmap > _UCI_ON, _UCI_INK_SHARE)
    # Thickened strokes may spill into the outer block columns, which the data never ink.
    on[:, :factor] = 0.0
    on[:, -factor:] = 0.0
    # The block mean of on/off pixels is optdigits' count of "on" pixels, over 16.
    return on.reshape(rows, factor, columns, factor).mean(axis=(1, 3), dtype=np.float32)


def _normalise_strokes(on: np.ndarray, share: float) -> np.ndarray:
    """Thin or thicken the strokes of a binary image until ``share`` of it is ink.

    Every pixel gets its signed distance to the strokes' edge (positive inside the ink);
    keeping the pixels above a threshold erodes (threshold > 0) or dilates (< 0) all
    strokes alike, so a thin pen and a thick one give the same image, as NIST's stroke
    width normalisation made them in the data.
    """
    if not on.any():
        return on.astype(np.float32)
    # Imported here: scipy.ndimage costs 0.3 s at the window's start-up.
    from scipy import ndimage

    signed = np.where(
        on, ndimage.distance_transform_edt(on), 1.0 - ndimage.distance_transform_edt(~on)
    )
    keep = max(1, int(round(share * on.size)))
    threshold = np.partition(signed.ravel(), on.size - keep)[on.size - keep]
    return (signed >= threshold).astype(np.float32)


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
