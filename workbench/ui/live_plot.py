"""A live per-epoch plot of one metric, train and validation, as pyqtgraph draws it fastest.

As in pyqtgraph's scrollingPlots example: one PlotDataItem per series, NumPy buffers that grow
by doubling, and `setData` on the filled part only.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF, Qt, QTimer
from PySide6.QtWidgets import QWidget

from workbench.report.palette import PALETTE, contrast_on_white  # noqa: F401 - re-exported

# Past the palette, colours repeat with another dash pattern, so no two curves look alike.
LINE_STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine)
_COLOURS = {"train": PALETTE[0], "validation": PALETTE[1]}


def palette_pen(index: int, width: float = 2) -> pg.QtGui.QPen:
    """The pen of the `index`-th curve of an overlay: a palette colour, dashed past eight."""
    colour = PALETTE[index % len(PALETTE)]
    style = LINE_STYLES[(index // len(PALETTE)) % len(LINE_STYLES)]
    return pg.mkPen(colour, width=width, style=style)


class ReadableAxis(pg.AxisItem):
    """An axis whose tick labels never overlap, with log-mode labels a person can read.

    pyqtgraph labels every minor tick of a log axis that spans less than a few decades
    ("0.3 0.4 0.5 0.6 0.8" piled onto each other), and long labels of a narrow linear axis run
    into each other too. Here a log axis labels its decades, with 2 and 5 between them when
    fewer than two decades show, or plain nice values when even less does; the other minor
    ticks stay as unlabelled marks. Whatever the mode, a label that would touch one already
    placed is left out: the first level's labels are placed first, so the coarse ones stay.
    """

    _GAP = 4  # pixels kept clear between two labels

    def __init__(self, orientation: str, **kwargs) -> None:
        super().__init__(orientation, **kwargs)
        self._log_labelled: set[float] = set()
        # Kept as a pixmap between changes: with the grid on, an axis is repainted whenever
        # a curve over it is, and replaying its labels and grid lines cost ~1 ms each time
        # (the most of any one call on the window's thread during a run). pyqtgraph calls
        # update() on every change of the axis, which renews the pixmap.
        self.setCacheMode(pg.QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph's name
        """The usual spacings, made coarser on a short vertical axis until labels fit.

        pyqtgraph picks the spacing from the axis length alone, so a 60-pixel-high plot got
        a label every 10 pixels, each 11 pixels high. Dropping every other overlapping label
        would leave uneven gaps; a coarser 1-2-5 step keeps them even.
        """
        levels = super().tickSpacing(minVal, maxVal, size)
        span = abs(maxVal - minVal)
        if not levels or self.orientation in ("top", "bottom") or size <= 0:
            return levels
        if not (math.isfinite(span) and span > 0 and levels[0][0] > 0):
            return levels
        needed = self._label_height()
        spacing = levels[0][0]
        while spacing * size / span < needed:
            spacing = _next_nice(spacing)
        if spacing == levels[0][0]:
            return levels
        return [(spacing, 0.0), (levels[0][0], 0.0)]

    def _label_height(self) -> float:
        font = self.style["tickFont"] or self.font()
        return pg.QtGui.QFontMetricsF(font).height() + self._GAP

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802, N803 - pyqtgraph's
        """Decades (or 1-2-5, or nice linear values) labelled; the rest marks only."""
        low, high = sorted((minVal, maxVal))
        if not (math.isfinite(low) and math.isfinite(high)) or high - low > 300:
            return super().logTickValues(minVal, maxVal, size, stdTicks)
        decades = [(spacing, values) for spacing, values in stdTicks if spacing and spacing >= 1.0]
        labelled = sorted({v for _, values in decades for v in values})
        if len(labelled) < 2:
            labelled = _log_values_between(low, high, (1, 2, 5))
        if len(labelled) < 2:
            labelled = _nice_values_between(self, low, high, size)
        minor = []
        if high - low <= 6:  # more decades than that and nine marks a decade are a smear
            minor = [
                v
                for v in _log_values_between(low, high, range(1, 10))
                if not any(abs(v - w) < 1e-9 for w in labelled)
            ]
        self._log_labelled = {round(v, 9) for v in labelled}
        return [(None, labelled), (None, minor)]

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        """Values as people type them ("0.001", "3e-5"), unlabelled marks as ""."""
        strings = []
        for value in values:
            if self._log_labelled and round(value, 9) not in self._log_labelled:
                strings.append("")
                continue
            strings.append(_short_number(10.0**value * scale))
        return strings

    def generateDrawSpecs(self, p):  # noqa: N802 - pyqtgraph's name
        """The usual layout of ticks and labels, less any label that would overlap another."""
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis_spec, tick_specs, text_specs = specs
        kept: list[QRectF] = []
        shown = []
        gap = self._GAP
        for spec in text_specs:
            rect, _flags, text = spec
            if not text:
                continue
            grown = rect.adjusted(-gap / 2, -gap / 2, gap / 2, gap / 2)
            if any(grown.intersects(other) for other in kept):
                continue
            kept.append(grown)
            shown.append(spec)
        return axis_spec, tick_specs, shown


class EpochAxis(ReadableAxis):
    """An x axis of epochs: ticks on whole epochs only, never 1.5 or 2.5."""

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph's name
        """The usual spacings (1, 2, 5 times a power of ten), none finer than one epoch."""
        levels = [
            (spacing, offset)
            for spacing, offset in super().tickSpacing(minVal, maxVal, size)
            if spacing >= 1.0
        ]
        return levels or [(1.0, 0.0)]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        """Whole epochs as "3", not "3.0"."""
        if self.logMode:
            return super().tickStrings(values, scale, spacing)
        return [f"{value * scale:.0f}" for value in values]


def legend_html(entries: Sequence[tuple[str, pg.QtGui.QPen]]) -> str:
    """Line samples in their pens' colours and dashes, each followed by its name, as HTML."""
    parts = []
    for name, pen in entries:
        sample = "━━" if pen.style() == Qt.PenStyle.SolidLine else "╍╍"
        parts.append(
            f'<span style="color: {pen.color().name()}; font-weight: bold">{sample}</span>'
            f"&nbsp;{html.escape(name)}"
        )
    # Breakable spaces between entries only: a long list wraps between runs, not inside one.
    return "&nbsp;&nbsp; ".join(parts)


def set_title_with_legend(
    plot: pg.PlotWidget, title: str, entries: Sequence[tuple[str, pg.QtGui.QPen]]
) -> None:
    """Put `title` and a one-line legend above the plot, where no curve can be under them."""
    text = f"<b>{html.escape(title)}</b>&nbsp;&nbsp;&nbsp;" if title else ""
    plot.setTitle(text + legend_html(entries), color="#222", size="9pt")


def _next_nice(spacing: float) -> float:
    """The next step of 1, 2, 5, 10, 20, ... after `spacing`."""
    power = 10.0 ** math.floor(math.log10(spacing) + 1e-9)
    for factor in (2.0, 5.0, 10.0):
        if factor * power > spacing * (1 + 1e-9):
            return factor * power
    return 10.0 * power


def _short_number(value: float) -> str:
    # "%g" reads as people type settings: 0.001, 0.5, 20, 1e-05 (shortened to 1e-5).
    text = f"{value:.3g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def _log_values_between(low: float, high: float, mantissas) -> list[float]:
    """log10 of mantissa x 10^k, for each k, that lie in [low, high] (log10 units)."""
    values = []
    for power in range(math.floor(low), math.ceil(high) + 1):
        for mantissa in mantissas:
            value = power + math.log10(mantissa)
            if low - 1e-9 <= value <= high + 1e-9:
                values.append(value)
    return values


def _nice_values_between(axis: pg.AxisItem, low: float, high: float, size: float) -> list[float]:
    # Less than a factor of 2.5 in view (one trial, or a few close together): nice values of
    # the numbers themselves (0.0002, 0.0003), placed at their logarithms.
    start, stop = 10.0**low, 10.0**high
    levels = pg.AxisItem.tickSpacing(axis, start, stop, size)
    if not levels:
        return [low]
    spacing = levels[0][0]
    first = math.ceil(start / spacing) * spacing
    count = int((stop - first) / spacing) + 1
    values = [first + i * spacing for i in range(max(count, 0))]
    return [math.log10(v) for v in values if v > 0]


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


class RedrawBeat(QObject):
    """One clock for curves that are redrawn together, at most every `interval_ms`.

    The curves of one plot share a beat, so the plot is painted once per beat, not once per
    curve. Separate plots keep separate beats (`TrainingPlots`): painted in one go, their
    paints made one longer stall of the window's thread.
    """

    def __init__(self, parent: QObject | None = None, interval_ms: int = REDRAW_MS) -> None:
        super().__init__(parent)
        self._waiting: dict[Callable[[], None], None] = {}  # a set that keeps its order
        self._timer = QTimer(self, singleShot=True, interval=interval_ms)
        self._timer.timeout.connect(self.beat)

    def request(self, redraw: Callable[[], None]) -> None:
        """Call `redraw` on the next beat (once, however often it is asked for)."""
        self._waiting[redraw] = None
        if not self._timer.isActive():
            self._timer.start()

    def waits(self, redraw: Callable[[], None]) -> bool:
        """Whether `redraw` is due on the next beat."""
        return redraw in self._waiting

    def cancel(self, redraw: Callable[[], None]) -> None:
        """Drop `redraw` from the next beat (it was just done, or has nothing to draw)."""
        self._waiting.pop(redraw, None)

    def beat(self) -> None:
        """Redraw everything waiting, now."""
        self._timer.stop()
        waiting, self._waiting = list(self._waiting), {}
        for redraw in waiting:
            redraw()


class Series:
    """A curve whose points are kept in a `GrowingColumns` and redrawn from its filled part.

    `append` is cheap: the curve is redrawn on the next beat of its `RedrawBeat` (its own,
    or one it shares with the curves it is drawn with); `points` always holds everything
    appended, and `flush` draws what is pending at once.
    """

    def __init__(
        self, item: pg.PlotDataItem, redraw_ms: int = REDRAW_MS, beat: RedrawBeat | None = None
    ) -> None:
        self.item = item
        self._symbol = item.opts.get("symbol")
        self.buffer = GrowingColumns(2)
        self._beat = beat if beat is not None else RedrawBeat(item, redraw_ms)

    def append(self, x: float, y: float) -> None:
        self.buffer.extend(x, y)
        if self.buffer.size == 1:
            self.flush()  # the first point shows at once
        else:
            self._beat.request(self.flush)

    def flush(self) -> None:
        self._beat.cancel(self.flush)
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
        self._beat.cancel(self.flush)
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
    beat: RedrawBeat | None = None,
    **pen,
) -> Series:
    """A curve on `plot` that grows as `Series` appends to it, clipped and downsampled."""
    options = {"symbol": "o", "symbolSize": 5, "symbolBrush": colour, "symbolPen": None}
    item = plot.plot(
        name=name, pen=pg.mkPen(colour, **{"width": 2, **pen}), **(options if symbols else {})
    )
    item.setClipToView(True)
    item.setDownsampling(auto=True, method="peak")
    return Series(item, redraw_ms, beat)


# A live plot's y range is only changed when the data leave it, or fill less than this share
# of it; it is then set to the data plus a margin, out to whole steps of a 1-2-5 tick spacing.
_FILLED_SHARE = 0.4
_MARGIN = 0.05  # of the data's span, above and below, before rounding out to a step
_STEPS_PER_SPAN = 4


class StickyViewBox(pg.ViewBox):
    """A view box whose automatic y range changes in steps instead of at every new point.

    pyqtgraph fits the range to the data at every redraw, so during a run each redraw moved
    the y axis, and a moved axis is laid out again and the plot painted twice: a redraw of the
    loss and accuracy plots cost 13-17 ms of the window's thread's CPU instead of 4-6 ms with
    the range kept (30 redraws of the default window, measured side by side), time the
    window's thread takes from training through the GIL. Here, once the x range is fixed
    (`LivePlot.set_epochs`), the
    y range stays while the data fit it well and jumps to a rounded range when they do not.
    The "A" button and a person's own zoom behave as in any pyqtgraph plot.
    """

    def updateAutoRange(self):  # noqa: N802 - pyqtgraph's name
        """Keep the y range while the data fit it; otherwise a new, rounded one."""
        x_auto, y_auto = self.state["autoRange"]
        if self._updatingRange or x_auto is not False or y_auto is False:
            return super().updateAutoRange()
        self._updatingRange = True
        try:
            bounds = self.childrenBounds()[1]
            if bounds is None or not all(math.isfinite(v) for v in bounds):
                return None
            low, high = bounds
            shown_low, shown_high = self.viewRange()[1]
            fits = shown_low <= low and high <= shown_high
            if fits and (high - low) >= _FILLED_SHARE * (shown_high - shown_low):
                return None
            self.setRange(yRange=sticky_range(low, high), padding=0.0, disableAutoRange=False)
            return None
        finally:
            self._autoRangeNeedsUpdate = False
            self._updatingRange = False


def sticky_range(low: float, high: float) -> tuple[float, float]:
    """[low, high] with a margin, rounded outwards to a 1-2-5 step of about a quarter of it."""
    span = high - low
    if span <= 0:
        span = abs(high) * 0.1 or 1.0
    step = _nice_step(span / _STEPS_PER_SPAN)
    bottom = math.floor((low - _MARGIN * span) / step) * step
    top = math.ceil((high + _MARGIN * span) / step) * step
    if low >= 0:
        # Losses and accuracies are never negative: rounding out stops at the margin below 0.
        bottom = max(bottom, min(0.0, low - _MARGIN * span))
        if high <= 1:
            # ... and an accuracy never passes 1: no "1.1" on its axis.
            top = min(top, max(1.0, high + _MARGIN * span))
    return bottom, top


def _nice_step(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^k at least `value`."""
    step = 10.0 ** math.floor(math.log10(value))
    while step < value * (1 - 1e-9):
        step = _next_nice(step)
    return step


class LivePlot(pg.PlotWidget):
    """One metric over epochs, with a train and a validation curve."""

    def __init__(
        self,
        object_name: str,
        title: str,
        y_label: str,
        parent: QWidget | None = None,
        redraw_ms: int = REDRAW_MS,
        best_label_at: float = 0.95,
    ):
        """A plot named `object_name`; `best_label_at` places the "best" line's label.

        0 is the bottom, 1 the top: the label goes where the curves are not (a loss falls away
        from the top, an accuracy rises off the bottom).
        """
        super().__init__(
            parent=parent,
            background="w",
            axisItems={"bottom": EpochAxis("bottom"), "left": ReadableAxis("left")},
            viewBox=StickyViewBox(),
        )
        self.setObjectName(object_name)
        names = {"train": self.tr("train"), "validation": self.tr("validation")}
        # The legend rides in the title line, outside the data: a legend box inside a short
        # plot sat on the curves whichever corner it took.
        set_title_with_legend(
            self, title, [(names[key], pg.mkPen(_COLOURS[key], width=2)) for key in names]
        )
        self.setLabel("bottom", self.tr("epoch"))
        self.setLabel("left", y_label)
        # Accuracies of 0.3 to 0.9 must read as such, not as "300 to 900 (x0.001)".
        self.getAxis("left").enableAutoSIPrefix(False)
        self.showGrid(x=True, y=True, alpha=0.25)
        self.setMinimumHeight(160)
        # Train and validation on one beat: the plot is painted once for both.
        self._beat = RedrawBeat(self, redraw_ms)
        self._series = {
            key: make_series(self, name, _COLOURS[key], beat=self._beat)
            for key, name in names.items()
        }
        self._best = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen((90, 90, 90), width=1, style=Qt.PenStyle.DashLine),
            label=self.tr("best"),
            labelOpts={"position": best_label_at, "color": (90, 90, 90)},
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
