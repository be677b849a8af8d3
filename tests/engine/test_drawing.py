"""A drawing is laid out like the digit data: optdigits for 8x8, MNIST for 28x28 and others."""

import numpy as np
import pytest
from scipy import ndimage
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

from workbench.predict.drawing import image_to_raw, ink_to_image


def _canvas(side=280):
    return np.zeros((side, side), dtype=np.float32)


def _stroke(ink, top, left, bottom, right):
    ink[top:bottom, left:right] = 1.0
    return ink


def _upscaled(image8, side=256):
    """An 8x8 scikit-learn digit in 0..1 blown up with nearest neighbour, as canvas ink."""
    factor = side // image8.shape[0]
    return np.kron(image8, np.ones((factor, factor), dtype=np.float32))


@pytest.fixture(scope="module")
def digits():
    return load_digits()


@pytest.mark.parametrize("size", [(8, 8), (28, 28), (16, 12)])
def test_shape_range_and_dtype(size):
    ink = _stroke(_canvas(), 40, 100, 240, 130)
    ink[60:70, 60:200] = 0.5
    image = ink_to_image(ink, *size)
    assert image.shape == size
    assert image.dtype == np.float32
    assert image.min() >= 0.0 and image.max() <= 1.0
    assert image.max() > 0.5


@pytest.mark.parametrize("size", [(8, 8), (28, 28)])
def test_an_empty_canvas_gives_zeros(size):
    image = ink_to_image(_canvas(), *size)
    assert image.shape == size and image.dtype == np.float32
    assert not image.any()


def test_ink_out_of_range_is_clipped_and_bad_shapes_refused():
    ink = _stroke(_canvas(64), 10, 10, 50, 20) * 3.0
    assert ink_to_image(ink, 28, 28).max() <= 1.0
    with pytest.raises(ValueError):
        ink_to_image(np.zeros((3, 4, 5)), 28, 28)
    with pytest.raises(ValueError):
        ink_to_image(_canvas(), 0, 28)


def test_a_stroke_in_the_corner_comes_out_centred():
    # A small "L" right up in the top-left corner of the canvas.
    ink = _canvas()
    ink[5:80, 5:20] = 1.0
    ink[65:80, 5:60] = 1.0
    image = ink_to_image(ink, 28, 28)
    row, column = ndimage.center_of_mass(image)
    assert abs(row - 13.5) <= 1.0 and abs(column - 13.5) <= 1.0
    # The digit's box is 20 pixels on its longer side, as in MNIST.
    rows = np.flatnonzero(image.max(axis=1) > 0.05)
    assert 19 <= rows[-1] - rows[0] + 1 <= 21


def test_the_8x8_layout_centres_the_box():
    ink = _canvas()
    ink[10:100, 200:270] = 1.0
    image = ink_to_image(ink, 8, 8)
    rows = np.flatnonzero(image.max(axis=1) > 0.1)
    assert rows[0] == 0 and rows[-1] == 7  # the height fills the frame, as in optdigits
    _, column = ndimage.center_of_mass(image)
    assert abs(column - 3.5) <= 0.25  # and it sits in the middle, though drawn at the right
    assert image[:, 0].max() < 0.5 and image[:, 7].max() < 0.5  # keeping its aspect ratio


@pytest.mark.parametrize("size", [(8, 8), (28, 28)])
def test_a_tall_thin_one_stays_thin(size):
    ink = _stroke(_canvas(), 30, 130, 250, 150)  # 220 tall, 20 wide
    image = ink_to_image(ink, *size)
    rows = np.flatnonzero(image.max(axis=1) > 0.05)
    columns = np.flatnonzero(image.max(axis=0) > 0.05)
    height, width = rows[-1] - rows[0] + 1, columns[-1] - columns[0] + 1
    assert height >= size[0] * 0.7
    if size == (8, 8):
        # optdigits' strokes are thick (every class is 30 % ink): its "1"s are 4 to 6 of
        # the 8 columns wide, and a drawn bar is thickened to match, but stays a bar.
        assert width <= 4 and image[:, 3:5].min() > 0.9, image.round(2)
    else:
        assert width <= max(3, height // 4), image.round(2)


def test_image_to_raw_flattens_row_major_and_scales():
    image = np.arange(6, dtype=np.float32).reshape(2, 3) / 5
    raw = image_to_raw(image, 255)
    assert raw.dtype == np.float32 and raw.shape == (6,)
    np.testing.assert_allclose(raw, [0, 51, 102, 153, 204, 255], atol=1e-4)
    assert image_to_raw(np.ones((8, 8)), 16).max() == 16


def test_8x8_round_trip_keeps_sklearn_digits_close(digits):
    originals = digits.images[:100].astype(np.float32) / 16
    round_trips = np.stack([ink_to_image(_upscaled(image), 8, 8) for image in originals])
    correlations = [
        np.corrcoef(a.ravel(), b.ravel())[0, 1] for a, b in zip(originals, round_trips, strict=True)
    ]
    assert np.mean(correlations) > 0.85


def test_8x8_round_trip_is_still_recognised(digits):
    train, held_out = slice(0, 1000), slice(1000, 1200)
    model = LogisticRegression(max_iter=2000).fit(digits.data[train], digits.target[train])
    images = digits.images[held_out].astype(np.float32) / 16
    raw = np.stack([image_to_raw(ink_to_image(_upscaled(image), 8, 8), 16) for image in images])
    accuracy = (model.predict(raw) == digits.target[held_out]).mean()
    assert accuracy >= 0.8


def test_28x28_round_trip_is_centred_and_fills_the_box(digits):
    for image in digits.images[:50].astype(np.float32) / 16:
        ink = np.zeros((280, 280), dtype=np.float32)
        ink[:256, 20:276] = _upscaled(image)  # off-centre on the canvas
        result = ink_to_image(ink, 28, 28)
        row, column = ndimage.center_of_mass(result)
        assert abs(row - 13.5) <= 1.0 and abs(column - 13.5) <= 1.0
        rows = np.flatnonzero(result.max(axis=1) > 0.05)
        assert 18 <= rows[-1] - rows[0] + 1 <= 22  # 8 rows of digit scaled to 20


def test_a_wide_drawing_keeps_out_of_the_blank_outer_columns_of_the_8x8_digits():
    """scikit-learn's digits never ink columns 0 and 7; standardised ink there would explode."""
    ink = np.zeros((280, 280), np.float32)
    ink[60:80, 20:260] = 1.0  # a wide top bar
    ink[80:240, 130:150] = 1.0  # and a stem
    image = ink_to_image(ink, 8, 8)
    assert image[:, 0].max() == 0 and image[:, 7].max() == 0
    assert image[1].max() > 0.2  # the bar is still there, in the middle six columns
