"""The 8x8 layout repeats NIST's steps that made scikit-learn's digits (issue 14).

The drawings are the scripted strokes (workbench/predict/drawn_samples.py), drawn with
numpy (`draw_ink`) instead of the Qt canvas: a round pen, every pixel within half its width
of a stroke is ink. Each test but the first (about the data themselves) failed with the earlier
layout (the box fitted keeping its aspect ratio, no deslanting, no counting), whose figures
are in the comments.
"""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from workbench.predict.drawing import ink_to_image
from workbench.predict.drawn_samples import DIGITS, STYLES, draw_ink

SIDE = 280


def _style(name):
    return next(style for style in STYLES if style.name == name)


def _leftmost(row, level):
    columns = np.flatnonzero(row >= level)
    return columns[0] if columns.size else None


def _top_bottom_offset(image, level=0.25):
    """Columns between the leftmost ink of the top and of the bottom inked row."""
    rows = np.flatnonzero(image.max(axis=1) >= level)
    return _leftmost(image[rows[0]], level) - _leftmost(image[rows[-1]], level)


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def test_the_data_was_deslanted(digits):
    """Why drawings are deslanted: in the data a "7" and a "4" are lined up like a "0"."""
    for label in range(10):
        images = digits.images[digits.target == label] / 16
        offsets = np.array([_top_bottom_offset(image) for image in images])
        # 83 % ("0") to 97 % ("6") in the same column, all but 1 of 1,797 within one.
        assert np.mean(offsets == 0) > 0.8, (label, np.mean(offsets == 0))
        assert np.mean(np.abs(offsets) <= 1) > 0.99, label


@pytest.mark.parametrize(
    ("label", "variant", "style"),
    [(7, "plain", "slant left"), (7, "plain", "narrow"), (4, "open", "slant right")],
)
def test_a_drawing_is_deslanted_as_the_data_was(label, variant, style):
    # The earlier layout left these 2 columns apart at the top and bottom.
    image = ink_to_image(draw_ink(DIGITS[label][variant], _style(style)), 8, 8)
    assert _top_bottom_offset(image) == 0, image.round(2)


def test_a_slanted_bar_is_stood_up():
    upright = np.zeros((SIDE, SIDE), np.float32)
    upright[40:240, 130:150] = 1.0
    slanted = np.zeros_like(upright)
    for row in range(40, 240):  # leaning right by half its height
        left = int(180 - (row - 40) * 0.5)
        slanted[row, left : left + 20] = 1.0
    # The earlier layout: a diagonal, 0.25 from the upright bar per pixel (now 0).
    difference = np.abs(ink_to_image(slanted, 8, 8) - ink_to_image(upright, 8, 8)).mean()
    assert difference < 0.05


@pytest.mark.parametrize(("label", "variant"), [(4, "closed"), (4, "open"), (0, "oval")])
def test_a_narrow_and_a_wide_drawing_give_nearly_the_same_image(label, variant):
    """NIST zoomed every digit's box to 20 x 32: the data has no narrow "4"s or "0"s."""
    narrow, wide = (
        ink_to_image(draw_ink(DIGITS[label][variant], _style(name)), 8, 8)
        for name in ("narrow", "wide")
    )
    # The earlier layout: 0.09 ("4" closed) to 0.23 ("0") per pixel; now 0.03 to 0.07.
    assert np.abs(narrow - wide).mean() < 0.09, (narrow - wide).round(2)


@pytest.mark.parametrize(
    ("label", "variant", "style"),
    [(4, "closed", "narrow"), (7, "plain", "slant left")],
)
def test_the_issues_misread_drawings_are_nearest_their_own_class(digits, label, variant, style):
    """The earlier layout put the narrow "4" nearer the data's mean "1", the "7" nearer "3"."""
    means = np.stack([digits.data[digits.target == c].mean(axis=0) for c in range(10)])
    image = ink_to_image(draw_ink(DIGITS[label][variant], _style(style)), 8, 8)
    distances = np.linalg.norm(means - image.ravel() * 16, axis=1)
    assert distances.argmin() == label, distances.round(1)


def test_the_image_is_counted_like_optdigits():
    """Each pixel is a count of 0..16 "on" pixels of a 32x32 bitmap, as in the data."""
    image = ink_to_image(draw_ink(DIGITS[2]["swan"], _style("normal")), 8, 8)
    counts = image * 16
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-5)
    assert len(np.unique(counts)) > 3  # grey edges, not just on and off
