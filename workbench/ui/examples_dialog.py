"""A grid of test examples with what the model said: the worst mistakes, or one confusion cell.

Each image is stretched to its own 0..255 range and enlarged without smoothing, so an 8x8
digit is as legible as a 28x28 one; one-channel images are dark ink on white.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

_COLUMNS = 8
_SHOWN = 96  # a cell of thousands would take seconds to lay out; the first ones say enough
_PIXELS = 72  # each image's side on screen


def image_pixmap(image: np.ndarray, side: int = _PIXELS) -> QPixmap:
    """A (C, H, W) image of any value range as a pixmap `side` pixels tall."""
    channels = image.shape[0]
    low, high = float(image.min()), float(image.max())
    scaled = (image - low) / (high - low) if high > low else np.zeros_like(image)
    pixels = np.ascontiguousarray((scaled * 255).astype(np.uint8).transpose(1, 2, 0))
    if channels == 1:
        pixels = np.ascontiguousarray(np.repeat(255 - pixels, 3, axis=2))
    height, width = pixels.shape[:2]
    qimage = QImage(pixels.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
    return QPixmap.fromImage(qimage).scaledToHeight(side, Qt.TransformationMode.FastTransformation)


class ExamplesDialog(QDialog):
    """Images with captions ("true 3 → 8, 97%"), in a scrolling grid."""

    def __init__(
        self,
        title: str,
        images: np.ndarray,
        captions: list[str],
        note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("examplesDialog")
        self.setWindowTitle(title)
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        shown = min(len(images), _SHOWN)
        for position in range(shown):
            cell = QVBoxLayout()
            picture = QLabel()
            picture.setPixmap(image_pixmap(images[position]))
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption = QLabel(captions[position])
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cell.addWidget(picture)
            cell.addWidget(caption)
            grid.addLayout(cell, position // _COLUMNS, position % _COLUMNS)
        scroll = QScrollArea()
        scroll.setWidget(grid_widget)
        scroll.setWidgetResizable(True)
        header = QLabel(note, objectName="examplesNote")
        header.setWordWrap(True)
        if len(images) > shown:
            header.setText(
                note
                + " "
                + self.tr("The first {shown} of {total} are shown.").format(
                    shown=shown, total=len(images)
                )
            )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(scroll, stretch=1)
        layout.addWidget(buttons)
        self.shown = shown
        self.resize(min(_COLUMNS, max(shown, 1)) * (_PIXELS + 24) + 60, 520)
