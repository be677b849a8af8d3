"""A live per-epoch plot of one metric, train and validation, as pyqtgraph draws it fastest.

As in pyqtgraph's scrollingPlots example: one PlotDataItem per series, NumPy buffers that grow
by doubling, and `setData` on the filled part only.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

_COLOURS = {"train": (31, 119, 180), "validation": (255, 127, 14)}


class _Series:
    def __init__(self, item: pg.PlotDataItem) -> None:
        self.item = item
        self.x = np.empty(64)
        self.y = np.empty(64)
        self.n = 0

    def append(self, x: float, y: float) -> None:
        if self.n == self.x.size:
            self.x = np.resize(self.x, self.x.size * 2)
            self.y = np.resize(self.y, self.y.size * 2)
        self.x[self.n], self.y[self.n] = x, y
        self.n += 1
        # A diverged run's NaN or inf must not break the view: pyqtgraph skips non-finite
        # points when connect="finite".
        self.item.setData(self.x[: self.n], self.y[: self.n], connect="finite")

    def clear(self) -> None:
        self.n = 0
        self.item.setData([], [])


class LivePlot(pg.PlotWidget):
    """One metric over epochs, with a train and a validation curve."""

    def __init__(
        self,
        object_name: str,
        title: str,
        y_label: str,
        legend_at_bottom: bool = False,
        parent: QWidget | None = None,
    ):
        super().__init__(parent=parent, background="w")
        self.setObjectName(object_name)
        self.setTitle(title, color="#222")
        self.setLabel("bottom", self.tr("epoch"))
        self.setLabel("left", y_label)
        self.showGrid(x=True, y=True, alpha=0.25)
        # Loss falls and accuracy rises: each legend goes where its curves are not.
        self.addLegend(offset=(-10, -10) if legend_at_bottom else (-10, 10))
        self.setMinimumHeight(160)
        self._series: dict[str, _Series] = {}
        for key, name in (("train", self.tr("train")), ("validation", self.tr("validation"))):
            item = self.plot(
                name=name,
                pen=pg.mkPen(_COLOURS[key], width=2),
                symbol="o",
                symbolSize=5,
                symbolBrush=_COLOURS[key],
                symbolPen=None,
            )
            item.setClipToView(True)
            item.setDownsampling(auto=True, method="peak")
            self._series[key] = _Series(item)
        self._best = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen((90, 90, 90), width=1, style=Qt.PenStyle.DashLine),
            label=self.tr("best"),
            labelOpts={"position": 0.95, "color": (90, 90, 90)},
        )
        self._best.setVisible(False)
        self.addItem(self._best, ignoreBounds=True)

    def add_point(self, epoch: int, train: float, validation: float) -> None:
        self._series["train"].append(epoch, train)
        self._series["validation"].append(epoch, validation)

    def clear_points(self) -> None:
        for series in self._series.values():
            series.clear()
        self._best.setVisible(False)

    def mark_best_epoch(self, epoch: int | None) -> None:
        """A dashed line at the epoch whose weights were kept and tested."""
        self._best.setVisible(epoch is not None)
        if epoch is not None:
            self._best.setValue(epoch)

    def best_epoch_marked(self) -> float | None:
        return self._best.value() if self._best.isVisible() else None

    def points(self, series: str) -> tuple[np.ndarray, np.ndarray]:
        """The (x, y) the curve holds now, as drawn: for tests and export."""
        x, y = self._series[series].item.getData()
        if x is None:
            return np.empty(0), np.empty(0)
        return np.asarray(x), np.asarray(y)
