"""The 8x8 layout normalises strokes as optdigits did: a thin and a thick pen read alike."""

import numpy as np
from sklearn.datasets import load_digits

from workbench.predict.drawing import ink_to_image


def _seven(pen):
    """A "7" on a 280 canvas, drawn with square strokes ``pen`` pixels wide."""
    ink = np.zeros((280, 280), np.float32)
    ink[40 : 40 + pen, 80:200] = 1.0  # the bar
    for row in range(40, 240):  # the diagonal, down to the left
        column = int(200 - (row - 40) * 0.5)
        ink[row, column - pen : column] = 1.0
    return ink


def test_every_drawing_gets_the_datas_share_of_ink():
    data_share = load_digits().images.mean() / 16  # 0.305: the same in every class
    for pen in (4, 12, 40):
        image = ink_to_image(_seven(pen), 8, 8)
        assert abs(image.mean() - data_share) < 0.03, (pen, image.mean())


def test_a_thin_and_a_thick_pen_give_nearly_the_same_image():
    thin, usual, thick = (ink_to_image(_seven(pen), 8, 8) for pen in (4, 16, 40))
    # The canvas's own pen is 1/12 of its side: about 16 pixels on a digit 200 tall.
    assert np.abs(thin - usual).mean() < 0.08  # 0.06
    # A pen a fifth of the digit's height widens its box, which is zoomed to the data's 20
    # columns as NIST's boxes were, so its strokes sit a little further in: 0.13 (0.10 when
    # a box kept its aspect ratio, 0.24 without normalising the strokes).
    assert np.abs(thin - thick).mean() < 0.15
