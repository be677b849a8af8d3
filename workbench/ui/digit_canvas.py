"""A square surface to draw a digit on with the mouse, white ink on black like the datasets.

The ink lives in a fixed-size grayscale image, whatever size the widget is shown at: the
widget paints that image into the largest centred square it has and maps the mouse into
it, so a stroke is the same thickness in the ink however the layout stretches the canvas.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

_DEFAULT_SIDE = 280  # ink pixels per side; also the widget's preferred size
_PEN_FRACTION = 1 / 12  # stroke width as a share of the side
_GUIDE_FRACTION = 20 / 28  # MNIST puts a digit's box in the middle 20 of 28 pixels


class DigitCanvas(QWidget):
    """Draw with the left mouse button; right-click, Delete or Backspace clears.

    Signals:
        inkChanged: The drawing changed: emitted for every stroke segment and on clearing,
            so a listener that does real work should throttle.
    """

    inkChanged = Signal()

    def __init__(self, parent: QWidget | None = None, side: int = _DEFAULT_SIDE) -> None:
        super().__init__(parent)
        if side < 8:
            raise ValueError(f"the canvas needs at least 8 pixels a side, got {side}")
        self.setObjectName("digitCanvas")
        self._image = QImage(side, side, QImage.Format.Format_Grayscale8)
        self._image.fill(0)
        self._last: QPointF | None = None  # the stroke's previous point, in ink pixels
        self._pen = QPen(
            QColor(255, 255, 255),
            max(1.0, side * _PEN_FRACTION),
            Qt.PenStyle.SolidLine,
            Qt.PenCapStyle.RoundCap,
            Qt.PenJoinStyle.RoundJoin,
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(side // 2, side // 2)
        self.setToolTip(
            self.tr(
                "Draw a digit with the left mouse button. "
                "Right-click, Delete or Backspace clears the drawing."
            )
        )
        self.setAccessibleName(self.tr("Digit drawing canvas"))
        self.setAccessibleDescription(
            self.tr("A square to draw a single digit on, white ink on black.")
        )

    # -- the ink -------------------------------------------------------------------------

    def ink_size(self) -> QSize:
        """The size of the ink image in pixels, whatever size the widget is shown at."""
        return self._image.size()

    def ink(self) -> np.ndarray:
        """A copy of the drawing as a 2-D float32 array in 0..1 (1 = ink), rows top first."""
        return self._pixels().astype(np.float32) / np.float32(255)

    def set_ink(self, array: np.ndarray) -> None:
        """Replace the drawing with ``array`` (2-D, 0..1, 1 = ink).

        An array of another size is scaled to fit the canvas keeping its aspect ratio and
        centred. Emits `inkChanged`.

        Raises:
            ValueError: If ``array`` is not 2-D or is empty.
        """
        values = np.asarray(array, dtype=np.float64)
        if values.ndim != 2 or values.size == 0:
            raise ValueError(f"ink must be a non-empty 2-D array, got shape {values.shape}")
        pixels = np.ascontiguousarray(np.rint(np.clip(values, 0.0, 1.0) * 255), dtype=np.uint8)
        rows, columns = pixels.shape
        # QImage only borrows the buffer: copy() before `pixels` can go away.
        source = QImage(
            pixels.data, columns, rows, pixels.strides[0], QImage.Format.Format_Grayscale8
        ).copy()
        side = self._image.width()
        if source.size() != self._image.size():
            source = source.scaled(
                side,
                side,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        self._image.fill(0)
        painter = QPainter(self._image)
        painter.drawImage(
            QPointF((side - source.width()) / 2, (side - source.height()) / 2), source
        )
        painter.end()
        self._last = None
        self.update()
        self.inkChanged.emit()

    def draw_stroke(
        self, points: Sequence[tuple[float, float]], pen_width: float | None = None
    ) -> None:
        """Draw one pen stroke through ``points`` (ink pixels), as the mouse would draw it.

        For scripted drawings (the drawn-digit benchmark and tests): the same painter, pen
        and segments as a stroke drawn by hand, so they measure what a person's drawing
        gives. Emits `inkChanged` once.

        Args:
            points: (x, y) positions in ink pixels, the stroke's start first.
            pen_width: The pen's width in ink pixels for this stroke; the canvas's own pen
                when None.
        """
        if not points:
            return
        pen = self._pen
        if pen_width is not None:
            self._pen = QPen(pen)
            self._pen.setWidthF(max(1.0, float(pen_width)))
        try:
            self.blockSignals(True)
            self._last = None
            for x, y in points:
                self._stroke_to(QPointF(float(x), float(y)))
        finally:
            self.blockSignals(False)
            self._pen = pen
            self._last = None
        self.inkChanged.emit()

    def pen_width(self) -> float:
        """The width of the canvas's pen in ink pixels."""
        return self._pen.widthF()

    def is_empty(self) -> bool:
        """Whether nothing is drawn."""
        return not self._pixels().any()

    @Slot()
    def clear(self) -> None:
        """Wipe the drawing. Emits `inkChanged`."""
        self._image.fill(0)
        self._last = None
        self.update()
        self.inkChanged.emit()

    def _pixels(self) -> np.ndarray:
        """The backing image as a (height, width) uint8 copy, row padding dropped."""
        height, width = self._image.height(), self._image.width()
        stride = self._image.bytesPerLine()
        buffer = np.frombuffer(self._image.constBits(), dtype=np.uint8, count=stride * height)
        return buffer.reshape(height, stride)[:, :width].copy()

    # -- geometry ------------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self._image.size()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return width

    def _target(self) -> QRectF:
        """The centred square of the widget the ink is shown in."""
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def _to_ink(self, position: QPointF) -> QPointF:
        """A widget position in ink pixels."""
        target = self._target()
        scale = self._image.width() / max(target.width(), 1.0)
        return QPointF(
            (position.x() - target.left()) * scale, (position.y() - target.top()) * scale
        )

    # -- drawing -------------------------------------------------------------------------

    def _stroke_to(self, point: QPointF) -> None:
        """Draw from the previous point of the stroke (or a dot at its start) to ``point``."""
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self._pen)
        if self._last is None:
            painter.drawPoint(point)
        else:
            painter.drawLine(self._last, point)
        painter.end()
        self._last = point
        self.update()
        self.inkChanged.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._last = None
            self._stroke_to(self._to_ink(event.position()))
            event.accept()
        elif event.button() == Qt.MouseButton.RightButton:
            self.clear()
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.buttons() & Qt.MouseButton.LeftButton and self._last is not None:
            self._stroke_to(self._to_ink(event.position()))
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            if self._last is not None:
                point = self._to_ink(event.position())
                if point != self._last:
                    self._stroke_to(point)
            self._last = None
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear()
            event.accept()
        else:
            super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        target = self._target()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # A dotted guide: where the middle of a digit goes (MNIST's 20 of 28 pixels).
        guide = QPen(QColor(255, 255, 255, 45), 1, Qt.PenStyle.DotLine)
        painter.setPen(guide)
        inset = target.width() * (1 - _GUIDE_FRACTION) / 2
        painter.drawRect(target.adjusted(inset, inset, -inset, -inset))
        if self.is_empty():
            painter.setPen(QColor(255, 255, 255, 110))
            painter.drawText(
                target,
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.tr("Draw a digit here"),
            )
        border = QColor(self.palette().highlight().color() if self.hasFocus() else "#808080")
        border.setAlpha(200 if self.hasFocus() else 120)
        painter.setPen(QPen(border, 1))
        painter.drawRect(target.adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()


class ModelInputView(QWidget):
    """The image the model is given for the drawing, blown up pixel by pixel.

    The drawing is cropped, scaled, re-stroked and block-summed before the model sees it
    (`workbench.predict.drawing`), then held under the training data's usual value of each
    pixel (`workbench.predict.predictor.drawing_row`); showing that small grid beside the
    canvas lets a person see why a digit is misread. Drawn like the canvas (white ink on
    black), each image pixel a solid square (nearest neighbour), so 8x8 looks like the 64
    numbers it is.
    """

    def __init__(self, parent: QWidget | None = None, side: int = 112) -> None:
        super().__init__(parent)
        self.setObjectName("modelInputView")
        self._image: np.ndarray | None = None
        self.setFixedSize(side, side)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setToolTip(
            self.tr(
                "What the model is given: your drawing laid out like its training data, "
                "ink where that data (almost) never has any dimmed"
            )
        )
        self.setAccessibleName(self.tr("Model input image"))

    def set_image(self, image: np.ndarray | None) -> None:
        """Show ``image`` (2-D, 0..1, 1 = ink), or an empty square for None."""
        if image is None:
            self._image = None
        else:
            values = np.asarray(image, dtype=np.float32)
            if values.ndim != 2 or values.size == 0:
                raise ValueError(f"image must be a non-empty 2-D array, got {values.shape}")
            self._image = np.clip(np.nan_to_num(values), 0.0, 1.0)
        self.update()

    def image(self) -> np.ndarray | None:
        """The image shown, or None."""
        return None if self._image is None else self._image.copy()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0))
        if self._image is not None:
            pixels = np.ascontiguousarray(np.rint(self._image * 255), dtype=np.uint8)
            rows, columns = pixels.shape
            picture = QImage(
                pixels.data, columns, rows, pixels.strides[0], QImage.Format.Format_Grayscale8
            )
            side = min(self.width(), self.height())
            target = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
            # No smoothing: each of the model's pixels stays one visible square.
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.drawImage(target, picture)
        painter.setPen(QPen(QColor("#808080"), 1))
        painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()
