"""Data preview: class counts per split, and a look at the samples themselves.

Images are shown as a grid, a few per class; 2-D data as a scatter plot coloured by class.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.data.dataset import Dataset
from workbench.data.split import RowsView, Split
from workbench.report.boundary import class_colour
from workbench.ui.class_names import shown_class_names

_PER_CLASS = 8  # images per class in the grid
_MAX_CLASSES = 12  # rows of the grid
_MAX_POINTS = 5000  # scatter points drawn


def image_grid(dataset: Dataset, labels: np.ndarray, features: np.ndarray | RowsView) -> np.ndarray:
    """A mosaic (rows = classes, `_PER_CLASS` columns) of the first samples of each class.

    Returns an (H, W, 3) uint8 array; each image is stretched to its own 0..255 range so
    standardised and raw pixels look alike.
    """
    channels, height, width = dataset.image_shape or (1, 1, 1)
    classes = min(dataset.n_classes, _MAX_CLASSES)
    pad = 2
    grid = np.full((classes * (height + pad), _PER_CLASS * (width + pad), 3), 255, dtype=np.uint8)
    for row in range(classes):
        for column, index in enumerate(np.flatnonzero(labels == row)[:_PER_CLASS]):
            image = features[index].reshape(channels, height, width).astype(np.float32)
            low, high = float(image.min()), float(image.max())
            scaled = (image - low) / (high - low) if high > low else np.zeros_like(image)
            pixels = (scaled * 255).astype(np.uint8).transpose(1, 2, 0)
            if channels == 1:
                # Dark digits on white read like ink on paper.
                pixels = np.repeat(255 - pixels, 3, axis=2)
            top, left = row * (height + pad), column * (width + pad)
            grid[top : top + height, left : left + width] = pixels
    return grid


class _FittedImage(QLabel):
    """A picture scaled to the room it is given, pixels kept crisp, at most 8x.

    At its natural size the digits' grid was wider than the centre column of a 1280x720
    window: the summary line was cut and a scroll bar appeared.
    """

    _MAX_SCALE = 8.0

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._image: QImage | None = None
        # The layout gives it the room left beside the counts; the picture follows.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(120, 120)

    def set_image(self, image: QImage) -> None:
        self._image = image
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._image is None or self._image.isNull():
            return
        width, height = self._image.width(), self._image.height()
        scale = min(self._MAX_SCALE, self.width() / width, self.height() / height)
        self.setPixmap(
            QPixmap.fromImage(self._image).scaled(
                max(1, round(width * scale)),
                max(1, round(height * scale)),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
        )


class DataPreview(QWidget):
    """What the loaded dataset holds, split by split."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataPreview")
        self._summary = QLabel(objectName="dataSummary")
        self._summary.setWordWrap(True)
        self._counts = QTableWidget(objectName="classCountsTable")
        self._counts.setColumnCount(3)
        self._counts.setHorizontalHeaderLabels(
            [self.tr("train"), self.tr("validation"), self.tr("test")]
        )
        self._counts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._counts.verticalHeader().setDefaultSectionSize(20)
        self._counts.setMinimumWidth(260)
        self._counts.setMaximumWidth(320)
        self._images = _FittedImage(objectName="imageGrid", alignment=Qt.AlignmentFlag.AlignCenter)
        self._scatter = pg.PlotWidget(background="w")
        self._scatter.setObjectName("dataScatter")
        self._scatter.addLegend(offset=(-10, 10))
        self._nothing = QLabel(
            self.tr("No picture for data of this shape: see the counts."),
            alignment=Qt.AlignmentFlag.AlignCenter,
        )
        self._nothing.setWordWrap(True)  # unwrapped, its line held the page wider than the tab
        self._view = QStackedWidget()
        for page in (self._images, self._scatter, self._nothing):
            self._view.addWidget(page)

        body = QHBoxLayout()
        body.addWidget(self._counts)
        body.addWidget(self._view, stretch=1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._summary)
        layout.addLayout(body, stretch=1)

    def show_dataset(self, dataset: Dataset, split: Split) -> None:
        """Show the counts of `split` and a picture of the training part."""
        parts = (split.y_train, split.y_val, split.y_test)
        self._counts.setRowCount(dataset.n_classes)
        self._counts.setVerticalHeaderLabels(list(shown_class_names(dataset.class_names)))
        for column, labels in enumerate(parts):
            counts = np.bincount(labels, minlength=dataset.n_classes)
            for row, count in enumerate(counts):
                item = QTableWidgetItem(f"{int(count):,}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self._counts.setItem(row, column, item)
        memory = dataset.features.nbytes + (
            dataset.test_features.nbytes if dataset.test_features is not None else 0
        )
        shape = (
            " x ".join(str(n) for n in dataset.image_shape)
            if dataset.image_shape
            else self.tr("{n} features").format(n=dataset.n_features)
        )
        self._summary.setText(
            self.tr(
                "{name}: {shape} per sample, {dtype}, {memory:.1f} MB in memory. "
                "Train {train:,} / validation {val:,} / test {test:,}"
                "{own}."
            ).format(
                name=dataset.name,
                shape=shape,
                dtype=dataset.features.dtype,
                memory=memory / 1e6,
                train=len(split.y_train),
                val=len(split.y_val),
                test=len(split.y_test),
                own=self.tr(" (the source's own test set)") if dataset.has_test_split else "",
            )
        )
        if dataset.image_shape is not None:
            self._show_images(dataset, split)
        elif dataset.n_features == 2:
            self._show_scatter(dataset, split)
        else:
            self._view.setCurrentWidget(self._nothing)

    def _show_images(self, dataset: Dataset, split: Split) -> None:
        # The raw rows, taken one by one: normalising the whole training part for a few dozen
        # thumbnails would copy it (60,000 images: 100+ MB). Each is stretched to its own
        # range anyway, so raw and normalised look alike.
        grid = image_grid(dataset, split.y_train, RowsView(split.features, split.train_rows))
        height, width, _ = grid.shape
        image = QImage(grid.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
        # Enlarged with nearest-neighbour scaling to the room there is: crisp squares.
        self._images.set_image(image)
        self._view.setCurrentWidget(self._images)

    def _show_scatter(self, dataset: Dataset, split: Split) -> None:
        self._scatter.clear()
        x, y = split.x_train[:_MAX_POINTS], split.y_train[:_MAX_POINTS]
        for index, name in enumerate(shown_class_names(dataset.class_names)):
            points = x[y == index]
            self._scatter.plot(
                points[:, 0],
                points[:, 1],
                pen=None,
                symbol="o",
                symbolSize=5,
                symbolPen=None,
                # The class's colour in the decision boundary and the reports too.
                symbolBrush=class_colour(index),
                name=name,
            )
        self._view.setCurrentWidget(self._scatter)

    def image_grid_shown(self) -> bool:
        return self._view.currentWidget() is self._images

    def scatter_shown(self) -> bool:
        return self._view.currentWidget() is self._scatter

    def counts(self) -> list[list[int]]:
        """The counts table as shown: a row per class, columns train, validation, test."""
        return [
            [int(self._counts.item(r, c).text().replace(",", "")) for c in range(3)]
            for r in range(self._counts.rowCount())
        ]
