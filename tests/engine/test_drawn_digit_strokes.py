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
    thin, thick = (ink_to_image(_seven(pen), 8, 8) for pen in (4, 40))
    assert np.abs(thin - thick).mean() < 0.1
