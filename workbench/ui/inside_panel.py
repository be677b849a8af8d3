"""The Inside tab: what each hidden layer does as the run goes, as the book draws it.

One small histogram per hidden layer, side by side (the book's figures of the five hidden
layers' activations), switchable between activations, weights and gradients; a slider to
look back at any recorded epoch (0 = at initialisation); each layer's dead or saturated
share; and each layer's gradient norm over the run on a log axis, where vanishing or
exploding gradients show as lines fanning apart.

The panel only draws `ProbeSnapshot`s (workbench/core/probe_types.py); the probes run in the
training thread. Snapshots arriving during a run are drawn at most every REDRAW_MS and only
while the tab is visible, the curves' budget, so the window stays as fast as without it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.probe_types import Histogram, LayerProbe, ProbeSnapshot
from workbench.ui.doctor_list import DoctorList
from workbench.ui.live_plot import (
    PALETTE,
    REDRAW_MS,
    EpochAxis,
    ReadableAxis,
    palette_pen,
    set_title_with_legend,
)

_BAR_COLOUR = PALETTE[0]
_TICK_FONT = QFont()
# Small enough for eight narrow histograms side by side; 7 pt was hard to read at 1280x720.
_TICK_FONT.setPointSize(8)
# Above this many hidden layers the histograms would be too narrow to read side by side.
_MAX_COLUMNS = 8


def _histogram_of(layer: LayerProbe, view: str) -> Histogram | None:
    return {
        "activations": layer.activations,
        "weights": layer.weights,
        "gradients": layer.gradients,
    }[view]


class InsidePanel(QWidget):
    """Per-layer histograms at a chosen epoch, and the gradient norms over the run."""

    # "Activations at initialisation": the window probes the form's model, untrained.
    probe_requested = Signal()
    # A recorded run was chosen in the run list: the window loads its looks and diagnoses.
    run_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insidePanel")
        self._snapshots: list[ProbeSnapshot] = []
        self._live: ProbeSnapshot | None = None  # the latest look within an epoch
        self._follow = True  # the slider follows new epochs until the person moves it

        self.view_combo = QComboBox(objectName="insideViewCombo")
        for key, text in (
            ("activations", self.tr("Activations")),
            ("weights", self.tr("Weights")),
            ("gradients", self.tr("Gradients (log10)")),
        ):
            self.view_combo.addItem(text, key)
        self.view_combo.setToolTip(
            self.tr(
                "What the histograms count: each hidden layer's outputs after its activation "
                "function on 1,000 validation samples, its weights, or its weight gradients "
                "from the last training batch."
            )
        )
        self.epoch_slider = QSlider(Qt.Orientation.Horizontal, objectName="insideEpochSlider")
        self.epoch_slider.setRange(0, 0)
        self.epoch_slider.setToolTip(self.tr("Look back at any recorded epoch."))
        self.epoch_label = QLabel(objectName="insideEpochLabel")
        self.epoch_label.setMinimumWidth(120)
        self.init_button = QPushButton(self.tr("At initialisation"), objectName="probeInitButton")
        self.init_button.setToolTip(
            self.tr(
                "Build the model in the form with its initial weights and show each layer's "
                "activations, without training: the book's weight-initialisation experiment."
            )
        )
        self.init_button.clicked.connect(self.probe_requested)
        self.run_combo = QComboBox(objectName="insideRunCombo")
        self.run_combo.setToolTip(self.tr("Whose network to look inside: a recorded run."))
        self.run_combo.setMinimumWidth(80)
        self.run_combo.activated.connect(self._on_run_activated)
        self.doctor = DoctorList()

        self.histograms = pg.GraphicsLayoutWidget()
        self.histograms.setObjectName("insideHistograms")
        self.histograms.setBackground("w")
        self.histograms.setMinimumHeight(180)
        self.grad_plot = pg.PlotWidget(
            background="w", axisItems={"bottom": EpochAxis("bottom"), "left": ReadableAxis("left")}
        )
        self.grad_plot.setObjectName("insideGradNorms")
        self.grad_plot.setLogMode(x=False, y=True)
        self.grad_plot.setLabel("bottom", self.tr("epoch"))
        self.grad_plot.setLabel("left", self.tr("gradient norm"))
        self.grad_plot.getAxis("left").enableAutoSIPrefix(False)
        self._grad_title = self.tr("Gradient norm per layer (log)")
        set_title_with_legend(self.grad_plot, self._grad_title, [])
        self.grad_plot.showGrid(x=True, y=True, alpha=0.25)
        self.grad_plot.setMinimumHeight(140)
        self.empty_note = QLabel(objectName="insideEmptyNote")
        self.empty_note.setWordWrap(True)
        self.empty_note.setText(
            self.tr(
                "Train a run, or press “At initialisation”, to see inside the "
                "network: how each hidden layer's outputs, weights and gradients are spread."
            )
        )

        # Two short rows: the Inside tab must fit the centre column of a 1280x720 window.
        choices = QHBoxLayout()
        choices.addWidget(QLabel(self.tr("Run:")))
        choices.addWidget(self.run_combo, stretch=1)
        choices.addWidget(QLabel(self.tr("Show:")))
        choices.addWidget(self.view_combo, stretch=1)
        choices.addWidget(self.init_button)
        epochs = QHBoxLayout()
        epochs.addWidget(QLabel(self.tr("Epoch:")))
        epochs.addWidget(self.epoch_slider, stretch=1)
        epochs.addWidget(self.epoch_label)
        controls = QVBoxLayout()
        controls.addLayout(choices)
        controls.addLayout(epochs)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.histograms)
        splitter.addWidget(self.grad_plot)
        splitter.setSizes([320, 200])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.empty_note)
        layout.addWidget(splitter, stretch=1)
        layout.addWidget(self.doctor)

        self._redraw_timer = QTimer(self, singleShot=True, interval=REDRAW_MS)
        self._redraw_timer.timeout.connect(self._redraw)
        self.view_combo.currentIndexChanged.connect(self._redraw)
        self.epoch_slider.valueChanged.connect(self._on_slider_moved)
        self._redraw()

    # -- which run ---------------------------------------------------------------------------
    def set_runs(self, runs: Sequence[tuple[int, str]], current: int | None = None) -> None:
        """List recorded runs (id, name), newest first; `current` is the one shown."""
        self.run_combo.blockSignals(True)
        self.run_combo.clear()
        for run_id, name in runs:
            self.run_combo.addItem(self.tr("run {id}: {name}").format(id=run_id, name=name), run_id)
        if current is not None and self.run_combo.findData(current) >= 0:
            self.run_combo.setCurrentIndex(self.run_combo.findData(current))
        self.run_combo.blockSignals(False)

    def add_run(self, run_id: int, name: str, most: int) -> None:
        """List a run just recorded first and show it; keep at most `most` runs listed."""
        self.run_combo.blockSignals(True)
        found = self.run_combo.findData(run_id)
        if found >= 0:
            self.run_combo.removeItem(found)
        self.run_combo.insertItem(
            0, self.tr("run {id}: {name}").format(id=run_id, name=name), run_id
        )
        while self.run_combo.count() > most:
            self.run_combo.removeItem(self.run_combo.count() - 1)
        self.run_combo.setCurrentIndex(0)
        self.run_combo.blockSignals(False)

    @Slot(int)
    def _on_run_activated(self, index: int) -> None:
        run_id = self.run_combo.itemData(index)
        if run_id is not None:
            self.run_chosen.emit(int(run_id))

    # -- snapshots in ------------------------------------------------------------------------
    def clear(self) -> None:
        """Forget every snapshot (a new run begins)."""
        self._snapshots, self._live, self._follow = [], None, True
        self._redraw()

    def set_snapshots(self, snapshots: Sequence[ProbeSnapshot]) -> None:
        """Show a finished run's (or an untrained model's) snapshots, at the last epoch."""
        self._snapshots = [s for s in snapshots if s.final]
        self._live, self._follow = None, True
        self._redraw()

    def add_snapshot(self, snapshot: ProbeSnapshot) -> None:
        """A look taken during a run; drawn within REDRAW_MS while the tab is visible."""
        if snapshot.final:
            self._snapshots.append(snapshot)
            self._live = None
        else:
            self._live = snapshot
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def snapshots(self) -> list[ProbeSnapshot]:
        return list(self._snapshots)

    def shown_snapshot(self) -> ProbeSnapshot | None:
        """The snapshot the histograms show now (for tests and export)."""
        if not self._snapshots and self._live is None:
            return None
        if self._follow:
            return self._live if self._live is not None else self._snapshots[-1]
        index = min(self.epoch_slider.value(), len(self._snapshots) - 1)
        return self._snapshots[index] if self._snapshots else self._live

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._redraw()

    # -- drawing -----------------------------------------------------------------------------
    @Slot(int)
    def _on_slider_moved(self, value: int) -> None:
        # Back at the newest epoch, the slider follows the run again.
        self._follow = value >= self.epoch_slider.maximum()
        self._redraw()

    @Slot()
    def _redraw(self) -> None:
        if not self.isVisible() and self._snapshots:
            return  # drawn when the tab is shown: a hidden tab costs training nothing
        has_data = bool(self._snapshots) or self._live is not None
        self.empty_note.setVisible(not has_data)
        self._update_slider()
        self._draw_histograms(self.shown_snapshot())
        self._draw_grad_norms()

    def _update_slider(self) -> None:
        last = max(len(self._snapshots) - 1, 0)
        self.epoch_slider.blockSignals(True)
        self.epoch_slider.setRange(0, last)
        if self._follow:
            self.epoch_slider.setValue(last)
        self.epoch_slider.blockSignals(False)
        shown = self.shown_snapshot()
        if shown is None:
            self.epoch_label.setText("")
        elif shown.epoch == 0:
            self.epoch_label.setText(self.tr("epoch 0: at initialisation"))
        elif not shown.final:
            self.epoch_label.setText(self.tr("during epoch {epoch}").format(epoch=shown.epoch))
        else:
            self.epoch_label.setText(self.tr("after epoch {epoch}").format(epoch=shown.epoch))

    def _draw_histograms(self, snapshot: ProbeSnapshot | None) -> None:
        self.histograms.clear()
        if snapshot is None:
            return
        view = self.view_combo.currentData()
        layers = snapshot.layers[:_MAX_COLUMNS]
        for column, layer in enumerate(layers):
            plot = self.histograms.addPlot(row=0, col=column)
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            # No y axis: the bars' heights compare by eye, and five plots fit side by side.
            plot.hideAxis("left")
            plot.setMinimumWidth(40)
            plot.getAxis("bottom").setStyle(tickFont=_TICK_FONT)
            # Dark, as the other plots' titles: pyqtgraph's default grey read as disabled.
            plot.setTitle(self._layer_title(layer), size="9pt", color="#222")
            histogram = _histogram_of(layer, view)
            if histogram is None or histogram.total == 0:
                plot.addItem(
                    pg.TextItem(self.tr("none yet"), color=(90, 90, 90), anchor=(0.5, 0.5))
                )
                continue
            shares = histogram.counts / max(histogram.total, 1)
            edges = histogram.edges
            plot.addItem(
                pg.BarGraphItem(
                    x0=edges[:-1],
                    x1=edges[1:],
                    height=shares,
                    brush=pg.mkBrush(*_BAR_COLOUR, 200),
                    pen=pg.mkPen(None),
                )
            )
            plot.setXRange(float(edges[0]), float(edges[-1]), padding=0.02)
            plot.setYRange(0.0, max(float(shares.max()), 1e-9) * 1.05, padding=0)
        if len(snapshot.layers) > _MAX_COLUMNS:
            self.histograms.addLabel(
                self.tr("+{count} more layers").format(count=len(snapshot.layers) - _MAX_COLUMNS),
                row=0,
                col=len(layers),
            )

    def _layer_title(self, layer: LayerProbe) -> str:
        # "2 dense (sigmoid)" -> "2 sigmoid": the activation is what the shape depends on.
        number = layer.name.split(" ")[0]
        lines = [f"{number} {layer.activation}"]
        if layer.dead_share is not None:
            lines.append(self.tr("dead {share:.0%}").format(share=layer.dead_share))
        elif layer.saturated_share is not None:
            lines.append(self.tr("saturated {share:.0%}").format(share=layer.saturated_share))
        else:
            lines.append(
                self.tr("mean {mean:.2g}, std {std:.2g}").format(mean=layer.mean, std=layer.std)
            )
        return "<br>".join(lines)

    def _draw_grad_norms(self) -> None:
        plot = self.grad_plot.getPlotItem()
        for item in list(plot.listDataItems()):
            plot.removeItem(item)
        trained = [s for s in self._snapshots if s.epoch > 0]
        names = [layer.name for layer in trained[-1].layers] if trained else []
        # The legend rides in the title, as on the curves: inside the plot it hid the lines.
        set_title_with_legend(
            self.grad_plot,
            self._grad_title,
            # Layers by number alone ("1", "2"): five full names do not fit a laptop's width.
            [(name.split(" ")[0], palette_pen(i)) for i, name in enumerate(names)],
        )
        for index, name in enumerate(names):
            epochs, norms = [], []
            for snapshot in trained:
                layer = next((lay for lay in snapshot.layers if lay.name == name), None)
                if layer is not None and layer.grad_norm is not None and layer.grad_norm > 0:
                    epochs.append(snapshot.epoch)
                    norms.append(layer.grad_norm)
            if norms:
                plot.plot(
                    np.asarray(epochs, dtype=float),
                    np.asarray(norms, dtype=float),
                    pen=palette_pen(index),
                    name=name,
                )

    def grad_norm_lines(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Each layer's drawn (epochs, gradient norms), as given, not log-transformed: for tests."""
        return {
            item.name(): (np.asarray(item.xData), np.asarray(item.yData))
            for item in self.grad_plot.getPlotItem().listDataItems()
        }
