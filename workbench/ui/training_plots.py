"""The run's live plots together: loss (per epoch, and per batch on request), accuracy and LR.

The per-batch curve can reach millions of points, so it follows pyqtgraph's advice for large
data: growing NumPy buffers, `setData` on the filled part only, clip-to-view and peak
downsampling. Smoothing is TensorBoard's debiased exponential moving average (see
`debiased_ema`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from workbench.core import BatchProgress, EpochMetrics
from workbench.ui.live_plot import (
    PALETTE,
    REDRAW_MS,
    EpochAxis,
    GrowingColumns,
    LivePlot,
    ReadableAxis,
    RedrawBeat,
    make_series,
    set_title_with_legend,
)

# The training curve's colour, faint: context behind the epoch points.
_BATCH_PEN = pg.mkPen((*PALETTE[0], 90), width=1)
_LR_COLOUR = PALETTE[2]
_PLANNED_COLOUR = (110, 110, 110)


def debiased_ema(
    values: np.ndarray, weight: float, last: float = 0.0, count: int = 0
) -> tuple[np.ndarray, float, int]:
    """TensorBoard's scalar smoothing: an exponential moving average, debiased.

    For the k-th finite value, ``last = weight * last + (1 - weight) * value`` and the shown
    value is ``last / (1 - weight**k)``, so the first smoothed value equals the first raw one
    instead of being pulled towards zero. Non-finite values are shown as they are and do not
    enter the average, as in TensorBoard. The recurrence runs in scipy's `lfilter` (C), not
    in a Python loop (about 100 ms for 200,000 points).

    Args:
        values: The raw values, in order.
        weight: The smoothing weight, 0 (none) to below 1.
        last: The undebiased average after the values that came before `values`.
        count: How many finite values came before `values`.

    Returns:
        The smoothed values, and the `last` and `count` to pass with the values that follow.
    """
    if not 0.0 <= weight < 1.0:
        raise ValueError(f"smoothing weight must be in [0, 1), not {weight}")
    out = np.array(values, dtype=float)
    finite = np.isfinite(out)
    raw = out[finite]
    n = raw.size
    if n == 0:
        return out, last, count
    if weight == 0.0:
        return out, float(raw[-1]), count + n
    # y[k] = weight * y[k-1] + (1 - weight) * x[k], started from the carried-in average.
    # Imported here: scipy.signal costs 0.9 s at start-up, and smoothing starts later.
    from scipy.signal import lfilter

    averaged, _ = lfilter([1.0 - weight], [1.0, -weight], raw, zi=[weight * last])
    k = np.arange(count + 1, count + n + 1, dtype=float)
    # Divide by 1 - weight**k, with expm1 for precision while that is close to 0.
    out[finite] = averaged / -np.expm1(k * math.log(weight))
    return out, float(averaged[-1]), count + n


class _BatchCurve:
    """Every batch's training loss: raw and smoothed buffers and the faint curve showing them.

    Arrivals are drawn on a beat, at most `REDRAW_MS` apart: `setData` on a long
    curve costs O(n) (pyqtgraph's bounds and peak downsampling, about 6 ms at a million
    points), and a loss curve moving twice a second looks as live as one moving twenty times.
    """

    def __init__(self, plot: pg.PlotWidget) -> None:
        self.item = pg.PlotDataItem(pen=_BATCH_PEN, connect="finite")
        # Beneath the per-epoch curves and out of the legend: it is context, not a series.
        self.item.setZValue(-1)
        self.item.setVisible(False)
        plot.addItem(self.item)
        # After addItem, which imposes the plot's own clip and downsampling settings.
        self.item.setClipToView(True)
        self.item.setDownsampling(auto=True, method="peak")
        # Columns: x in epochs, raw loss, smoothed loss.
        self.buffer = GrowingColumns(3, capacity=1024)
        self.weight = 0.0
        self._last = 0.0
        self._count = 0
        # Its own beat, apart from the epoch curves': one paint with both stalled the window
        # longer (event-loop gaps p99 53-61 ms against 35-48 ms).
        self._beat = RedrawBeat(plot, REDRAW_MS)

    def extend(self, x: np.ndarray, losses: np.ndarray) -> None:
        smoothed = losses
        if self.weight > 0.0:
            # Carry the average on from where it stopped: O(new points), not O(run).
            smoothed, self._last, self._count = debiased_ema(
                losses, self.weight, self._last, self._count
            )
        self.buffer.extend(x, losses, smoothed)
        # A hidden curve costs nothing to keep current: it is redrawn when shown.
        if self.item.isVisible():
            self._beat.request(self.redraw)

    def set_weight(self, weight: float) -> None:
        self.weight = weight
        if weight > 0.0:
            # The one full recompute, when the slider moves; arrivals then carry it on.
            smoothed, self._last, self._count = debiased_ema(self.buffer.column(1), weight)
            self.buffer.column(2)[:] = smoothed
        self.redraw()

    def clear(self) -> None:
        self._beat.cancel(self.redraw)
        self.buffer.clear()
        self._last, self._count = 0.0, 0
        self.item.setData([], [])

    def redraw(self) -> None:
        """Hand the filled part of the shown column to pyqtgraph now, if the curve is shown."""
        self._beat.cancel(self.redraw)
        if not self.item.isVisible():
            return
        if self.buffer.size == 0:
            self.item.setData([], [])
            return
        y = self.buffer.column(2 if self.weight > 0.0 else 1)
        self.item.setData(self.buffer.column(0), y, connect="finite")

    def displayed(self) -> tuple[np.ndarray, np.ndarray]:
        if self._beat.waits(self.redraw):
            self.redraw()
        x, y = self.item.getOriginalDataset()
        if x is None or y is None:
            return np.empty(0), np.empty(0)
        return np.asarray(x), np.asarray(y)


class LearningRatePlot(pg.PlotWidget):
    """The learning rate per epoch as the run used it, over the dashed planned schedule."""

    def __init__(self, parent: QWidget | None = None, redraw_ms: int = REDRAW_MS) -> None:
        super().__init__(
            parent=parent,
            background="w",
            axisItems={"bottom": EpochAxis("bottom"), "left": ReadableAxis("left")},
        )
        self.setObjectName("lrPlot")
        self.setLabel("bottom", self.tr("epoch"))
        self.setLabel("left", self.tr("learning rate"))
        self.showGrid(x=True, y=True, alpha=0.25)
        self._series = {
            "planned": make_series(
                self,
                self.tr("planned"),
                _PLANNED_COLOUR,
                symbols=False,
                width=1,
                style=Qt.PenStyle.DashLine,
            ),
            "live": make_series(self, self.tr("used"), _LR_COLOUR, redraw_ms=redraw_ms),
        }
        # As on the loss and accuracy plots, the legend is in the title line, off the curves.
        set_title_with_legend(
            self,
            self.tr("Learning rate"),
            [(self.tr("used"), pg.mkPen(_LR_COLOUR, width=2))]
            + [(self.tr("planned"), self._series["planned"].item.opts["pen"])],
        )

        self._top = 0.0
        self.getAxis("left").enableAutoSIPrefix(False)

    def add_point(self, epoch: int, lr: float) -> None:
        self._series["live"].append(epoch, lr)
        self._fit_y(lr)

    def set_planned(self, values: Sequence[float]) -> None:
        """Show `values[i]` as the planned learning rate of epoch i + 1."""
        y = np.asarray(values, dtype=float)
        self._series["planned"].set(np.arange(1, y.size + 1, dtype=float), y)
        self._fit_y(float(np.nanmax(y)) if y.size else 0.0)

    def _fit_y(self, value: float) -> None:
        # Rates are never negative: the axis starts at 0. Autorange would also zoom a constant
        # rate into a meaningless band around one value.
        if np.isfinite(value) and value > self._top:
            self._top = value
            self.setYRange(0.0, self._top * 1.1, padding=0)

    def clear_points(self) -> None:
        for series in self._series.values():
            series.clear()
        self._top = 0.0

    def set_epochs(self, epochs: int) -> None:
        """The whole planned run on the x axis from the start (see `LivePlot.set_epochs`)."""
        self.setXRange(1, max(epochs, 2), padding=0.02)

    def flush(self) -> None:
        for series in self._series.values():
            series.flush()

    def points(self, series: str) -> tuple[np.ndarray, np.ndarray]:
        """The (x, y) of "live" or "planned", whatever the zoom: for tests and export."""
        return self._series[series].points()


class TrainingPlots(QWidget):
    """Loss, accuracy and learning-rate plots of one run, with the loss plot's controls."""

    # `start_run` was called: a tabbed layout turns back to the curves.
    run_started = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingPlots")
        # Each plot redraws on its own beat, so their repaints do not pile into one long
        # stall of the window's thread (measured: all of them on one beat cost no less CPU,
        # and event-loop gaps p99 went from 28-59 ms to 37-67 ms).
        self.loss_plot = LivePlot("lossPlot", self.tr("Loss"), self.tr("cross-entropy"))
        self.accuracy_plot = LivePlot(
            "accuracyPlot",
            self.tr("Accuracy"),
            self.tr("accuracy"),
            redraw_ms=REDRAW_MS + 50,
            best_label_at=0.08,  # at the top it sat on a curve near 1.0
        )
        self.lr_plot = LearningRatePlot(redraw_ms=REDRAW_MS + 100)
        # Readable together with the results panel in a 1360 x 820 window; the LR plot says
        # less, so it gets less.
        self.loss_plot.setMinimumHeight(150)
        self.accuracy_plot.setMinimumHeight(130)
        self.lr_plot.setMinimumHeight(110)
        # The three plots share their epochs: "epoch" under the lowest says it for all, and
        # the height goes to the curves (the tab is about 530 px high at 1280 x 720).
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.setLabel("bottom", None)
        self._batches = _BatchCurve(self.loss_plot)

        self.per_batch_toggle = QCheckBox(self.tr("Per-batch loss"), objectName="perBatchToggle")
        self.per_batch_toggle.setToolTip(
            self.tr("Show the training loss of every batch, faintly, behind the epoch points")
        )
        self.log_scale_toggle = QCheckBox(self.tr("Log scale"), objectName="logScaleToggle")
        self.log_scale_toggle.setToolTip(self.tr("Show the loss on a logarithmic axis"))
        self.smoothing_slider = QSlider(Qt.Orientation.Horizontal, objectName="smoothingSlider")
        self.smoothing_slider.setRange(0, 99)
        self.smoothing_slider.setMaximumWidth(180)
        self.smoothing_slider.setToolTip(
            self.tr(
                "Exponential moving average of the per-batch loss, as in TensorBoard: "
                "0 shows every batch as it was, 0.99 smooths most"
            )
        )
        self._smoothing_label = QLabel(objectName="smoothingLabel")
        self.smoothing_slider.setAccessibleName(self.tr("Smoothing"))
        self._show_smoothing(0)
        # Smoothing acts on the per-batch curve only: off with it, so nobody slides in vain.
        self.smoothing_slider.setEnabled(False)

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.per_batch_toggle)
        controls.addWidget(self.log_scale_toggle)
        controls.addSpacing(12)
        controls.addWidget(self._smoothing_label)
        controls.addWidget(self.smoothing_slider)
        controls.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(controls)
        layout.addWidget(self.loss_plot, stretch=5)
        layout.addWidget(self.accuracy_plot, stretch=5)
        layout.addWidget(self.lr_plot, stretch=4)

        self.per_batch_toggle.toggled.connect(self._on_per_batch_toggled)
        self.log_scale_toggle.toggled.connect(self._on_log_scale_toggled)
        self.smoothing_slider.valueChanged.connect(self._on_smoothing_changed)

    # -- what the main window calls ------------------------------------------------------------
    def start_run(self, epochs: int, planned_lr: Sequence[float] | None = None) -> None:
        """Forget the previous run and show the new run's planned learning rate, if known.

        Args:
            epochs: The run's planned number of epochs; a schedule longer than that is cut,
                as the run never reaches the rest.
            planned_lr: The planned learning rate of each epoch, from epoch 1, or None.
        """
        self.loss_plot.clear_points()
        self.accuracy_plot.clear_points()
        self.lr_plot.clear_points()
        self._batches.clear()
        for plot in (self.loss_plot, self.accuracy_plot, self.lr_plot):
            plot.set_epochs(epochs)
        if planned_lr is not None:
            self.lr_plot.set_planned(list(planned_lr)[: max(epochs, 0)])
        self.run_started.emit()

    @Slot(object)
    def add_epoch(self, metrics: EpochMetrics) -> None:
        """Add one finished epoch to the loss, accuracy and learning-rate plots."""
        self.loss_plot.add_point(metrics.epoch, metrics.train_loss, metrics.val_loss)
        self.accuracy_plot.add_point(metrics.epoch, metrics.train_accuracy, metrics.val_accuracy)
        self.lr_plot.add_point(metrics.epoch, metrics.lr)

    @Slot(object)
    def add_batches(self, progress: BatchProgress) -> None:
        """Record the losses of the batches since the previous event, shown or not.

        They are placed at step / batches per epoch, so batch-ends line up with the epoch
        points: the last batch of epoch k lands at x = k.
        """
        losses = np.asarray(progress.losses, dtype=float)
        if losses.size == 0 or progress.batches <= 0:
            return
        steps = np.arange(progress.step - losses.size + 1, progress.step + 1, dtype=float)
        self._batches.extend(steps / progress.batches, losses)

    def flush(self) -> None:
        """Draw every pending point now: the run has ended, nothing more will come."""
        for plot in (self.loss_plot, self.accuracy_plot, self.lr_plot):
            plot.flush()
        self._batches.redraw()

    def mark_best_epoch(self, epoch: int | None) -> None:
        """Mark the epoch whose weights were kept on the loss and accuracy plots (None: none)."""
        self.loss_plot.mark_best_epoch(epoch)
        self.accuracy_plot.mark_best_epoch(epoch)

    def set_planned_lr(self, values: Sequence[float]) -> None:
        """Show `values[i]` as the planned learning rate of epoch i + 1."""
        self.lr_plot.set_planned(values)

    # -- for tests and export ------------------------------------------------------------------
    def batch_points(self) -> tuple[np.ndarray, np.ndarray]:
        """Every recorded batch as (x in epochs, raw loss), unsmoothed, shown or not."""
        return self._batches.buffer.column(0).copy(), self._batches.buffer.column(1).copy()

    def displayed_batch_points(self) -> tuple[np.ndarray, np.ndarray]:
        """The per-batch curve's data as pyqtgraph holds it (smoothed if smoothing is on).

        A redraw still waiting for its timer is done first, so this is what the next paint shows.
        """
        return self._batches.displayed()

    def smoothing(self) -> float:
        """The EMA weight the slider sets, 0.00 to 0.99."""
        return self.smoothing_slider.value() / 100

    # -- controls ------------------------------------------------------------------------------
    @Slot(bool)
    def _on_per_batch_toggled(self, on: bool) -> None:
        self._batches.item.setVisible(on)
        self.smoothing_slider.setEnabled(on)
        self._batches.redraw()

    @Slot(bool)
    def _on_log_scale_toggled(self, on: bool) -> None:
        # The axis (a ReadableAxis) labels the decades itself, without an SI factor either way:
        # "(x0.001)" next to a loss would read as a unit.
        self.loss_plot.setLogMode(y=on)

    @Slot(int)
    def _on_smoothing_changed(self, value: int) -> None:
        self._show_smoothing(value)
        self._batches.set_weight(value / 100)

    def _show_smoothing(self, value: int) -> None:
        self._smoothing_label.setText(
            self.tr("Smoothing {weight}").format(weight=f"{value / 100:.2f}")
        )
