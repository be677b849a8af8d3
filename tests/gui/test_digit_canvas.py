"""The digit canvas: drawing with the mouse, clearing, and the ink it hands over."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from workbench.ui.digit_canvas import DigitCanvas

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def canvas(qtbot):
    widget = DigitCanvas()
    qtbot.addWidget(widget)
    widget.resize(280, 280)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _move_with_left_held(widget, point):
    """A mouse move with the left button down, sent directly: QTest's moves may not say so."""
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(point),
        widget.mapToGlobal(QPointF(point)),
        Qt.MouseButton.NoButton,
        LEFT,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def draw(qtbot, widget, points):
    """Press at the first point, drag through the others, release at the last."""
    points = [QPoint(*p) for p in points]
    qtbot.mousePress(widget, LEFT, pos=points[0])
    for point in points[1:]:
        _move_with_left_held(widget, point)
    qtbot.mouseRelease(widget, LEFT, pos=points[-1])


def test_it_starts_empty_black_and_square(canvas):
    assert canvas.objectName() == "digitCanvas"
    assert canvas.is_empty()
    ink = canvas.ink()
    assert ink.shape == (280, 280) and ink.dtype == np.float32
    assert not ink.any()
    assert canvas.sizeHint().width() == canvas.sizeHint().height() == 280
    assert canvas.toolTip() and canvas.accessibleName()


def test_drawing_puts_ink_along_the_path_and_signals(qtbot, canvas):
    changes = []
    canvas.inkChanged.connect(lambda: changes.append(True))
    # An "L": down the left, then along the bottom, in steps like a real drag.
    path = [(60, y) for y in range(60, 221, 20)] + [(x, 220) for x in range(80, 221, 20)]
    draw(qtbot, canvas, path)
    ink = canvas.ink()
    assert not canvas.is_empty()
    assert len(changes) >= len(path) - 1
    for x, y in [(60, 60), (60, 140), (60, 220), (140, 220), (220, 220)]:
        assert ink[y, x] > 0.9, (x, y)
    # Strokes are thick (about a twelfth of the side) but only where the path went.
    assert ink[140, 60 + 8] > 0.9
    assert ink[60, 220] == 0 and ink[140, 140] == 0
    assert ink.max() <= 1.0 and ink.min() >= 0.0


def test_a_fast_stroke_is_continuous(qtbot, canvas):
    draw(qtbot, canvas, [(20, 140), (260, 140)])  # one big jump between two events
    ink = canvas.ink()
    assert (ink[140, 20:261] > 0.9).all()


def test_clear_empties_and_signals(qtbot, canvas):
    draw(qtbot, canvas, [(100, 100), (180, 180)])
    assert not canvas.is_empty()
    with qtbot.waitSignal(canvas.inkChanged, timeout=1000):
        canvas.clear()
    assert canvas.is_empty()
    assert not canvas.ink().any()


def test_right_click_and_delete_clear(qtbot, canvas):
    draw(qtbot, canvas, [(100, 100), (180, 180)])
    with qtbot.waitSignal(canvas.inkChanged, timeout=1000):
        qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=QPoint(140, 140))
    assert canvas.is_empty()
    for key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
        draw(qtbot, canvas, [(100, 100), (180, 180)])
        canvas.setFocus()
        qtbot.keyClick(canvas, key)
        assert canvas.is_empty()


def test_set_ink_round_trips(canvas):
    rng = np.random.default_rng(0)
    values = rng.random((280, 280)).astype(np.float32)
    canvas.set_ink(values)
    np.testing.assert_allclose(canvas.ink(), values, atol=1 / 255)
    canvas.set_ink(np.zeros((280, 280)))
    assert canvas.is_empty()


def test_set_ink_of_another_size_is_fitted_and_centred(canvas):
    small = np.zeros((28, 14), dtype=np.float32)
    small[:, 5:9] = 1.0
    canvas.set_ink(small)
    ink = canvas.ink()
    assert ink.shape == (280, 280)
    columns = np.flatnonzero(ink.max(axis=0) > 0.5)
    assert abs((columns[0] + columns[-1]) / 2 - 139.5) < 3
    with pytest.raises(ValueError):
        canvas.set_ink(np.zeros((2, 3, 4)))


def test_ink_handles_rows_padded_in_memory(qtbot):
    # 101 grayscale pixels are stored in 104-byte rows: the padding must not leak in.
    odd = DigitCanvas(side=101)
    qtbot.addWidget(odd)
    values = np.linspace(0, 1, 101 * 101, dtype=np.float32).reshape(101, 101)
    odd.set_ink(values)
    ink = odd.ink()
    assert ink.shape == (101, 101)
    np.testing.assert_allclose(ink, values, atol=1 / 255)


def test_resizing_keeps_the_ink_scale(qtbot, canvas):
    draw(qtbot, canvas, [(70, 140), (210, 140)])
    before = canvas.ink()
    canvas.resize(560, 420)  # twice as wide, one and a half times as high
    qtbot.waitUntil(lambda: canvas.height() == 420)
    assert canvas.ink().shape == (280, 280)
    np.testing.assert_array_equal(canvas.ink(), before)  # resizing leaves the drawing alone
    canvas.clear()
    # The ink shows in a centred 420x420 square: widget (70 + 1.5 x, 1.5 y) is ink (x, y).
    draw(qtbot, canvas, [(70 + 105, 210), (70 + 315, 210)])
    after = canvas.ink()
    np.testing.assert_allclose(after, before, atol=0.05)
    # Strokes are as thick in ink pixels as before, not 1.5 times thicker.
    assert (after[:, 140] > 0.5).sum() == pytest.approx((before[:, 140] > 0.5).sum(), abs=2)


def test_painting_does_not_fail_empty_or_drawn(qtbot, canvas, tmp_path):
    assert not canvas.grab().isNull()
    draw(qtbot, canvas, [(100, 60), (180, 60), (120, 220)])
    picture = canvas.grab()
    assert picture.width() == canvas.width() * picture.devicePixelRatio()
    assert picture.save(str(tmp_path / "canvas.png"))
