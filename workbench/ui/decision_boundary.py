"""The Training tab's "Decision boundary": a model of 2-D data learning to split the plane.

`DecisionBoundaryView` draws the model's predicted class over the plane of the two input
features (each class in its palette colour, paler where the model is less sure) with the
data points on top: training points filled, validation points hollow, test points crosses,
each in its true class's colour. `BoundaryFollower` connects it to the window's runs: every
run gets a `workbench.core.boundary.BoundaryCallback` (through `MainWindow.add_run_view`),
which computes the grids in the training thread and hands them here as plain NumPy; the view
keeps the newest and redraws at most every `REDRAW_MS`, like the curves.

Test points are drawn only once the run has been evaluated on the test set (Evaluate on test
set): until then the learner chooses on training and validation data, and the test set is not
looked at, in a picture or otherwise.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF, QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from workbench.core.boundary_types import (
    MAX_POINTS,
    TEST,
    TRAIN,
    VALIDATION,
    BoundaryGrid,
    BoundaryPoints,
    sample_positions,
)
from workbench.report.boundary import boundary_rgb, class_colour
from workbench.ui.class_names import shown_class_names
from workbench.ui.live_plot import REDRAW_MS

if TYPE_CHECKING:
    from workbench.core import Callback
    from workbench.ui.main_window import MainWindow
    from workbench.ui.training_controller import RunEnd, Tested
    from workbench.ui.worker import TrainingRun

_POINT_SIZE = 7
# Over the regions' tints a point needs an edge: white round a filled point, the class's
# colour for a hollow one.
_EDGE = pg.mkPen(255, 255, 255, 220, width=0.8)


class DecisionBoundaryView(QWidget):
    """The model's predicted class over the plane, and the data points, for 2-D data."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionBoundaryView")
        self.caption = QLabel(objectName="boundaryCaption")
        self.caption.setWordWrap(True)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setObjectName("boundaryPlot")
        self.plot.setLabel("bottom", self.tr("feature 1"))
        self.plot.setLabel("left", self.tr("feature 2"))
        self.plot.setToolTip(
            self.tr(
                "Background: the class the model predicts at each point of the plane, paler "
                "where it is less sure (its largest softmax probability is lower). Points: "
                "the data, coloured by their true class; a point on another colour is one "
                "the model gets wrong. Drag to pan, scroll to zoom, A to fit."
            )
        )
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        self.plot.addItem(self.image)
        self.scatters = {
            TRAIN: pg.ScatterPlotItem(symbol="o", size=_POINT_SIZE, pen=_EDGE),
            VALIDATION: pg.ScatterPlotItem(symbol="o", size=_POINT_SIZE + 1, brush=None),
            TEST: pg.ScatterPlotItem(symbol="x", size=_POINT_SIZE + 2, pen=None),
        }
        for scatter in self.scatters.values():
            self.plot.addItem(scatter)
        self.legend = QLabel(objectName="boundaryLegend")
        self.legend.setToolTip(self.tr("The classes' colours: points and regions alike."))
        self.show_boxes = {
            TRAIN: self._box("boundaryTrainBox", self.tr("● Training"), True),
            VALIDATION: self._box("boundaryValidationBox", self.tr("○ Validation"), True),
            TEST: self._box("boundaryTestBox", self.tr("× Test"), True),
        }
        self.show_boxes[TRAIN].setToolTip(
            self.tr("Show the training data, which the weights were fitted to (filled circles).")
        )
        self.show_boxes[VALIDATION].setToolTip(
            self.tr(
                "Show the validation data, which the model never trains on and you choose "
                "settings by (hollow circles)."
            )
        )
        self._test_tip = self.tr(
            "Test data (crosses) appear once this run has been evaluated on the test set "
            "(Evaluate on test set): until then, choices are made on validation data and "
            "the test set is not looked at, not even in a picture."
        )
        self.show_boxes[TEST].setToolTip(self._test_tip)
        self.show_boxes[TEST].setEnabled(False)

        row = QHBoxLayout()
        row.addWidget(self.legend, stretch=1)
        for box in self.show_boxes.values():
            row.addWidget(box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.plot, stretch=1)
        layout.addLayout(row)

        self._grid: BoundaryGrid | None = None  # the newest grid received
        self._drawn: BoundaryGrid | None = None  # the grid the image shows
        self._extent: tuple[float, float, float, float] | None = None
        self._class_names: tuple[str, ...] = ()
        self._epochs = 0
        self._redraw_timer = QTimer(self, singleShot=True, interval=REDRAW_MS)
        self._redraw_timer.timeout.connect(self._redraw)
        self.clear()

    def _box(self, name: str, text: str, checked: bool) -> QCheckBox:
        box = QCheckBox(text, objectName=name)
        box.setChecked(checked)
        box.toggled.connect(self._show_chosen_parts)
        return box

    # -- what the window sends ------------------------------------------------------------------
    def clear(self, epochs: int = 0) -> None:
        """Forget the last run's picture (a run of `epochs` planned epochs begins)."""
        self._redraw_timer.stop()
        self._grid = self._drawn = None
        self._extent = None
        self._epochs = epochs
        self.image.clear()
        for scatter in self.scatters.values():
            scatter.clear()
        self.show_boxes[TEST].setEnabled(False)
        self.show_boxes[TEST].setToolTip(self._test_tip)
        self.legend.setText("")
        self.caption.setText(
            self.tr(
                "Train a model on data with two input features (spiral, moons, circles, XOR, "
                "blobs, or a CSV of two feature columns) to watch it learn to split the plane."
            )
            if epochs == 0
            else self.tr("Starting the run…")
        )

    @Slot(object)
    def set_points(self, points: BoundaryPoints) -> None:
        """The run's training and validation points (a run begins)."""
        self._class_names = shown_class_names(points.class_names)
        for part in (TRAIN, VALIDATION):
            self._set_part(part, *points.part(part))
        self.scatters[TEST].clear()
        self.legend.setText(self._legend_html())

    def set_test_points(self, features: Any, labels: np.ndarray) -> None:
        """Draw the test points (the run has been evaluated on its test set)."""
        chosen = sample_positions(len(labels), MAX_POINTS)
        self.show_boxes[TEST].setEnabled(True)  # before drawing: it decides what is shown
        self._set_part(TEST, np.asarray(features[chosen]), np.asarray(labels)[chosen])
        self.show_boxes[TEST].setToolTip(
            self.tr("Show the test data (crosses): this run has been evaluated on them.")
        )

    @Slot(object)
    def add_grid(self, grid: BoundaryGrid) -> None:
        """A new grid from the run; drawn within REDRAW_MS (the first and the last at once)."""
        self._grid = grid
        if self._drawn is None or grid.moment == "final":
            self._redraw()
        elif not self._redraw_timer.isActive():
            self._redraw_timer.start()

    # -- what it shows --------------------------------------------------------------------------
    def drawn_grid(self) -> BoundaryGrid | None:
        """The grid the picture shows now (None before any)."""
        return self._drawn

    def shown_points(self, part: int) -> np.ndarray:
        """The (n, 2) points drawn for `part` (empty when hidden or none)."""
        scatter = self.scatters[part]
        if not scatter.isVisible():
            return np.empty((0, 2))
        x, y = scatter.getData()
        return np.column_stack([x, y]) if x is not None else np.empty((0, 2))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._grid is not None and self._grid is not self._drawn:
            self._redraw()

    # -- drawing --------------------------------------------------------------------------------
    @Slot()
    def _redraw(self) -> None:
        self._redraw_timer.stop()
        grid = self._grid
        # Hidden (another tab in front): drawn when shown, so a run does not pay for it.
        if grid is None or (not self.isVisible() and self._drawn is not None):
            return
        n_classes = max(len(self._class_names), int(grid.classes.max()) + 1, 1)
        self.image.setImage(
            boundary_rgb(grid.classes, grid.confidence, n_classes),
            autoLevels=False,
            levels=(0, 255),
        )
        x_low, x_high, y_low, y_high = grid.extent
        self.image.setRect(QRectF(x_low, y_low, x_high - x_low, y_high - y_low))
        if self._extent != grid.extent:  # a new run's plane: fit the view to it once
            self._extent = grid.extent
            self.plot.setRange(xRange=(x_low, x_high), yRange=(y_low, y_high), padding=0.0)
        self._drawn = grid
        self.caption.setText(self._caption(grid))

    def _caption(self, grid: BoundaryGrid) -> str:
        if grid.moment == "initial":
            return self.tr("Before training (epoch 0): what the untrained model guesses.")
        if grid.moment == "final":
            return self.tr(
                "The run has ended: the weights it kept (epoch {epoch}), the model that is "
                "tested and exported."
            ).format(epoch=grid.epoch)
        if grid.moment == "batch":
            return self.tr("During epoch {epoch} of {epochs}.").format(
                epoch=grid.epoch, epochs=self._epochs or "?"
            )
        return self.tr("After epoch {epoch} of {epochs}.").format(
            epoch=grid.epoch, epochs=self._epochs or "?"
        )

    def _set_part(self, part: int, features: np.ndarray, labels: np.ndarray) -> None:
        features = np.asarray(features, dtype=np.float64).reshape(-1, 2)
        colours = [class_colour(int(c)) for c in range(max(len(self._class_names), 1))]
        if part == VALIDATION:
            pens = [pg.mkPen(*colour, width=1.6) for colour in colours]
            self.scatters[part].setData(
                features[:, 0], features[:, 1], pen=[pens[int(c) % len(pens)] for c in labels]
            )
        else:
            brushes = [pg.mkBrush(*colour) for colour in colours]
            self.scatters[part].setData(
                features[:, 0],
                features[:, 1],
                brush=[brushes[int(c) % len(brushes)] for c in labels],
            )
        self._show_chosen_parts()

    @Slot()
    def _show_chosen_parts(self) -> None:
        for part, scatter in self.scatters.items():
            box = self.show_boxes[part]
            scatter.setVisible(box.isChecked() and box.isEnabled())

    def _legend_html(self) -> str:
        entries = [
            f'<span style="color: #{r:02x}{g:02x}{b:02x}">■</span> {html.escape(name)}'
            for (r, g, b), name in (
                (class_colour(index), name) for index, name in enumerate(self._class_names)
            )
        ]
        return "&nbsp;&nbsp;".join(entries)


class _Relay(QObject):
    """Lives in the window's thread: the callback's calls cross threads as queued signals."""

    grid = Signal(object)  # BoundaryGrid
    points = Signal(object)  # BoundaryPoints


class BoundaryFollower(QObject):
    """Connects the decision-boundary view to the window's runs, its test evaluations and data.

    The sub-tab is enabled only while the loaded dataset has exactly two input features.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.view: DecisionBoundaryView = window.training_tab.boundary
        self._relay = _Relay(self)
        self._relay.grid.connect(self.view.add_grid)
        self._relay.points.connect(self.view.set_points)
        # The run the view shows, to tell whether a test evaluation is of it.
        self._shown: tuple[int | None, Any] | None = None
        window.add_run_view(self._callback)
        window.controller.run_started.connect(self._on_run_started)
        window.controller.run_ended.connect(self._on_run_ended)
        window.controller.tested.connect(self._on_tested)
        window.dataset_panel.changed.connect(self._on_dataset_changed)
        self._on_dataset_changed()

    def _callback(self) -> Callback:
        # Here, not at the top: torch has loaded by the time a run starts, not when the
        # window opens.
        from workbench.core.boundary import BoundaryCallback

        return BoundaryCallback(self._relay.grid.emit, self._relay.points.emit)

    @Slot(object)
    def _on_run_started(self, run: TrainingRun) -> None:
        self._shown = None
        self.view.clear(epochs=run.experiment.training.epochs)
        # A run in a training process has no view callback: its grids come as its signals.
        run.boundary_grid.connect(self.view.add_grid)
        run.boundary_points.connect(self.view.set_points)

    @Slot(object)
    def _on_run_ended(self, end: RunEnd) -> None:
        self._shown = (self._window.controller.last_run_id, end.experiment)
        if self.view.drawn_grid() is None:  # not 2-D data, or the run failed before a look
            self.view.clear()

    @Slot(object)
    def _on_tested(self, tested: Tested) -> None:
        predictions = tested.result.predictions
        if self._shown is None or predictions is None or predictions.inputs is None:
            return
        run_id, experiment = self._shown
        # The tested run is now the controller's last one; it must be the one drawn.
        same = (
            run_id == self._window.controller.last_run_id
            if run_id is not None
            else tested.experiment == experiment
        )
        if same and self.view.drawn_grid() is not None:
            self.view.set_test_points(predictions.inputs, predictions.labels)

    @Slot()
    def _on_dataset_changed(self) -> None:
        features, _classes, image_shape = self._window.dataset_panel.shape()
        self._window.training_tab.set_boundary_available(features == 2 and image_shape is None)
