"""A live per-epoch plot of one metric, train and validation, as pyqtgraph draws it fastest.

As in pyqtgraph's scrollingPlots example: one PlotDataItem per series, NumPy buffers that grow
by doubling, and `setData` on the filled part only.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWidget

_COLOURS = {"train": (31, 119, 180), "validation": (255, 127, 14)}


class GrowingColumns:
    """Equal-length float columns in one NumPy array whose capacity doubles when full.

    Doubling makes appending amortised O(1) however long a run gets, and the filled part is
    a view, so handing it to `setData` copies nothing.
    """

    def __init__(self, columns: int, capacity: int = 64) -> None:
        self._initial = capacity
        self._data = np.empty((columns, capacity))
        self.size = 0

    @property
    def capacity(self) -> int:
        """How many rows fit before the next doubling."""
        return self._data.shape[1]

    @property
    def initial_capacity(self) -> int:
        return self._initial

    def column(self, index: int) -> np.ndarray:
        """The filled part of one column, as a view."""
        return self._data[index, : self.size]

    def reserve(self, extra: int) -> None:
        """Make room for `extra` more rows, doubling until they fit."""
        needed = self.size + extra
        if needed <= self.capacity:
            return
        capacity = self.capacity
        while capacity < needed:
            capacity *= 2
        grown = np.empty((self._data.shape[0], capacity))
        grown[:, : self.size] = self._data[:, : self.size]
        self._data = grown

    def extend(self, *values: np.ndarray | float) -> slice:
        """Append rows, one array (or scalar) per column; returns where they landed."""
        count = np.size(values[0])
        self.reserve(count)
        where = slice(self.size, self.size + count)
        for index, column in enumerate(values):
            self._data[index, where] = column
        self.size += count
        return where

    def clear(self) -> None:
        """Forget every row; a long run's memory goes back too."""
        self._data = np.empty((self._data.shape[0], self._initial))
        self.size = 0


# Points arriving faster than this are drawn together: a repaint of a plot costs ~10-15 ms on
# these machines, and every second the window's thread spends painting slowed the training
# thread by about as much (measured: 1.0 s of the window's CPU at 250 ms, 0.6 s at 1,000 ms,
# run 4.6 s vs 4.1 s). Twice a second still reads as live.
REDRAW_MS = 500
MAX_SYMBOLS = 200  # beyond this many points a curve is drawn without a dot per point


class Series:
    """A curve whose points are kept in a `GrowingColumns` and redrawn from its filled part.

    `append` is cheap: the curve is redrawn at most every `REDRAW_MS`; `points` always holds
    everything appended, and `flush` draws what is pending at once.
    """

    def __init__(self, item: pg.PlotDataItem, redraw_ms: int = REDRAW_MS) -> None:
        self.item = item
        self._symbol = item.opts.get("symbol")
        self.buffer = GrowingColumns(2)
        self._pending = QTimer(item, singleShot=True, interval=redraw_ms)
        self._pending.timeout.connect(self.flush)

    def append(self, x: float, y: float) -> None:
        self.buffer.extend(x, y)
        if self.buffer.size == 1:
            self.flush()  # the first point shows at once
        elif not self._pending.isActive():
            self._pending.start()

    def flush(self) -> None:
        self._pending.stop()
        self._thin_out_symbols()
        # A diverged run's NaN or inf must not break the view: pyqtgraph skips non-finite
        # points when connect="finite".
        self.item.setData(self.buffer.column(0), self.buffer.column(1), connect="finite")

    def _thin_out_symbols(self) -> None:
        # A dot per epoch helps read 20 epochs and is clutter at 1,000, where re-laying out
        # every dot also costs tens of milliseconds per redraw: past MAX_SYMBOLS, a line.
        if self._symbol is not None and self.buffer.size > MAX_SYMBOLS:
            self.item.setSymbol(None)
        elif self._symbol is not None and self.item.opts.get("symbol") is None:
            self.item.setSymbol(self._symbol)

    def set(self, x: np.ndarray, y: np.ndarray) -> None:
        self.buffer.clear()
        self.buffer.extend(x, y)
        self._thin_out_symbols()
        self.item.setData(self.buffer.column(0), self.buffer.column(1), connect="finite")

    def clear(self) -> None:
        self._pending.stop()
        self.buffer.clear()
        self.item.setData([], [])

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        # The data given, not `getData()`: that is clipped to the view, downsampled and, in
        # log mode, log10-mapped, so it would change with zoom and the log toggle.
        return self.buffer.column(0).copy(), self.buffer.column(1).copy()


def make_series(
    plot: pg.PlotWidget,
    name: str,
    colour: tuple[int, ...],
    symbols: bool = True,
    redraw_ms: int = REDRAW_MS,
    **pen,
) -> Series:
    """A curve on `plot` that grows as `Series` appends to it, clipped and downsampled."""
    options = {"symbol": "o", "symbolSize": 5, "symbolBrush": colour, "symbolPen": None}
    item = plot.plot(
        name=name, pen=pg.mkPen(colour, **{"width": 2, **pen}), **(options if symbols else {})
    )
    item.setClipToView(True)
    item.setDownsampling(auto=True, method="peak")
    return Series(item, redraw_ms)


class LivePlot(pg.PlotWidget):
    """One metric over epochs, with a train and a validation curve."""

    def __init__(
        self,
        object_name: str,
        title: str,
        y_label: str,
        legend_at_bottom: bool = False,
        parent: QWidget | None = None,
        redraw_ms: int = REDRAW_MS,
    ):
        super().__init__(parent=parent, background="w")
        self.setObjectName(object_name)
        self.setTitle(title, color="#222")
        self.setLabel("bottom", self.tr("epoch"))
        self.setLabel("left", y_label)
        # Accuracies of 0.3 to 0.9 must read as such, not as "300 to 900 (x0.001)".
        self.getAxis("left").enableAutoSIPrefix(False)
        self.showGrid(x=True, y=True, alpha=0.25)
        # Loss falls and accuracy rises: each legend goes where its curves are not.
        self.addLegend(offset=(-10, -10) if legend_at_bottom else (-10, 10))
        self.setMinimumHeight(160)
        self._series = {
            key: make_series(self, name, _COLOURS[key], redraw_ms=redraw_ms)
            for key, name in (("train", self.tr("train")), ("validation", self.tr("validation")))
        }
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

    def set_epochs(self, epochs: int) -> None:
        """Show the whole planned run on the x axis from the start.

        The axis then stays put while the run fills it (its labels are not re-laid out at every
        epoch, which costs milliseconds per plot), and a run that stops early shows where it
        stopped in the plan.
        """
        self.setXRange(1, max(epochs, 2), padding=0.02)

    def flush(self) -> None:
        """Draw every point appended so far now (at the end of a run)."""
        for series in self._series.values():
            series.flush()

    def mark_best_epoch(self, epoch: int | None) -> None:
        """A dashed line at the epoch whose weights were kept and tested."""
        self._best.setVisible(epoch is not None)
        if epoch is not None:
            self._best.setValue(epoch)

    def best_epoch_marked(self) -> float | None:
        return self._best.value() if self._best.isVisible() else None

    def points(self, series: str) -> tuple[np.ndarray, np.ndarray]:
        """The (x, y) the curve holds now, whatever the zoom or log mode: for tests and export."""
        return self._series[series].points()
