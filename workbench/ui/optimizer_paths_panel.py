"""The Optimizer paths tab: torch optimizers walking down a 2-D function, step by step.

The book's figure 6-8, live: the contour lines of x²/20 + y² (or Rosenbrock, Beale, a saddle,
Himmelblau) with each ticked optimizer's path over them, each with its own learning rate and
setting (`optimizer_paths_table`); optional gradient noise (what mini-batches do) and a
learning-rate schedule. The paths are computed up front by the engine
(`workbench.playground.paths`: the same `build_optimizer` and schedules that train the
networks) in a background job, so torch never runs on the window's thread; the animation bar
(`optimizer_paths_player`) only reveals more of them. A click on the plot starts the paths
from there. Export draws the engine's matplotlib figure, as shown at the step shown.

The panel needs no dataset: it is the same whatever data the window has loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.config import OptimizerConfig
from workbench.playground.surfaces import (
    FUNCTIONS,
    PALETTE_INDEX,
    PathsError,
    contour_lines,
    schedule_for,
)
from workbench.ui.jobs import Job, JobCancelled, JobState
from workbench.ui.live_plot import PALETTE, palette_pen
from workbench.ui.optimizer_paths_player import PathsPlayer
from workbench.ui.optimizer_paths_table import OPTIMIZER_NAMES, OptimizerTable

_CONTEXT = "OptimizerPathsPanel"
_FUNCTION_NAMES = (
    ("book", QT_TRANSLATE_NOOP("OptimizerPathsPanel", "The book's x²/20 + y²")),
    ("rosenbrock", QT_TRANSLATE_NOOP("OptimizerPathsPanel", "Rosenbrock (curved valley)")),
    ("beale", QT_TRANSLATE_NOOP("OptimizerPathsPanel", "Beale (flat plateau)")),
    ("saddle", QT_TRANSLATE_NOOP("OptimizerPathsPanel", "Saddle x² − y²")),
    ("himmelblau", QT_TRANSLATE_NOOP("OptimizerPathsPanel", "Himmelblau (four minima)")),
)
_SCHEDULE_NAMES = (
    ("constant", QT_TRANSLATE_NOOP("OptimizerPathsPanel", "Constant rate")),
    ("step", QT_TRANSLATE_NOOP("OptimizerPathsPanel", "Step (halve every third)")),
    ("exponential", QT_TRANSLATE_NOOP("OptimizerPathsPanel", "Exponential decay")),
    ("cosine", QT_TRANSLATE_NOOP("OptimizerPathsPanel", "Cosine annealing")),
    ("onecycle", QT_TRANSLATE_NOOP("OptimizerPathsPanel", "One-cycle")),
    ("plateau", QT_TRANSLATE_NOOP("OptimizerPathsPanel", "Reduce on plateau")),
)
_COMPUTE_DELAY_MS = 150  # settings changing in a burst (a spin box held down) compute once
_MAX_STEPS = 2_000  # a few seconds of computing on two cores for all seven optimizers
_MAX_DOTTED_STEPS = 100


def _combo(name: str, pairs: tuple[tuple[str, str], ...]) -> QComboBox:
    combo = QComboBox(objectName=name)
    for key, text in pairs:
        combo.addItem(QCoreApplication.translate(_CONTEXT, text), key)
    # As wide as the column allows, not as the longest name: the tab must fit 1280x720.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


@dataclass(frozen=True)
class _Request:
    function: str
    configs: tuple[OptimizerConfig, ...]
    start: tuple[float, float]
    steps: int
    noise: float
    schedule: str


def _compute(request: _Request, lines_needed: bool, state: JobState) -> tuple[Any, Any]:
    """The paths (and the function's contour lines, once per function): in the job's thread."""
    from workbench.playground.paths import PathsStopped, optimizer_paths

    try:
        result = optimizer_paths(
            request.function,
            request.configs,
            start=request.start,
            steps=request.steps,
            noise=request.noise,
            schedule=schedule_for(request.schedule, request.steps),
            stop_token=state.stop_token,
        )
    except PathsStopped:
        raise JobCancelled from None
    lines = contour_lines(FUNCTIONS[request.function]) if lines_needed else None
    return result, lines


def _export(result: Any, path: Path, upto: int) -> Path:
    from workbench.atomic import atomic_write_bytes
    from workbench.playground.paths_figure import paths_figure

    fmt = "svg" if path.suffix.lower() == ".svg" else "png"
    return atomic_write_bytes(path, paths_figure(result, fmt, "overlay", upto=upto))


class OptimizerPathsPanel(QWidget):
    """The contour plot with the paths, their settings, the animation bar and the export."""

    computed = Signal(int)  # a result was drawn (its steps): tests and the window wait on it
    exported = Signal(str)  # a figure was written to this path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("optimizerPathsPanel")
        self._result: Any = None
        self._lines: dict[str, np.ndarray] = {}
        self._drawn_function: str | None = None
        self._job: Job | None = None
        self._export_job: Job | None = None
        self._pending = False
        self._dirty = True

        self.function_combo = _combo("pathsFunctionCombo", _FUNCTION_NAMES)
        self.function_combo.setToolTip(
            self.tr(
                "The function the optimizers minimise, as a loss of two weights x and y. "
                "Choosing one sets its start point, steps and learning rates."
            )
        )
        self.schedule_combo = _combo("pathsScheduleCombo", _SCHEDULE_NAMES)
        self.schedule_combo.setToolTip(
            self.tr("A learning-rate schedule of the training engine; one step is one epoch.")
        )
        # Every function's view lies within ±10; a start far outside it is soon stopped.
        self.start_x = self._number("pathsStartX", -100.0, 100.0, 0.5)
        self.start_y = self._number("pathsStartY", -100.0, 100.0, 0.5)
        self.start_x.setToolTip(self.tr("Where the paths start (x); or click the plot."))
        self.start_y.setToolTip(self.tr("Where the paths start (y); or click the plot."))
        self.steps_spin = QSpinBox(objectName="pathsStepsSpin", minimum=1, maximum=_MAX_STEPS)
        self.steps_spin.setToolTip(self.tr("How many optimizer steps each path takes."))
        self.steps_spin.setMaximumWidth(110)
        self.noise_spin = self._number("pathsNoiseSpin", 0.0, 100.0, 0.1)
        self.noise_spin.setToolTip(
            self.tr(
                "Random noise added to every gradient (its standard deviation), the same "
                "draws for every optimizer: what estimating the gradient from a mini-batch "
                "does to the path."
            )
        )
        self.reset_button = QPushButton(self.tr("Defaults"), objectName="pathsResetButton")
        self.reset_button.setToolTip(
            self.tr("Back to the function's own start point, steps and learning rates.")
        )
        self.export_button = QPushButton(self.tr("Export figure…"), objectName="pathsExport")
        self.export_button.setToolTip(self.tr("Save the paths as drawn now, as PNG or SVG."))
        self.table = OptimizerTable()
        self.player = PathsPlayer()
        self.note = QLabel(objectName="pathsNote")
        self.note.setWordWrap(True)
        self._build_plot()
        self._build_layout()
        self._wire()
        self._apply_function_defaults()

    @staticmethod
    def _number(name: str, low: float, high: float, step: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox(objectName=name, decimals=2)
        box.setRange(low, high)
        box.setSingleStep(step)
        box.setMaximumWidth(110)  # numbers of a few digits; a wide screen widens the plot
        return box

    def _build_plot(self) -> None:
        self.plot = pg.PlotWidget(background="w")
        self.plot.setObjectName("optimizerPathsPlot")
        self.plot.setMouseEnabled(x=False, y=False)  # a click sets the start; nothing pans
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setLabel("bottom", "x")
        self.plot.setLabel("left", "y")
        self.plot.setToolTip(self.tr("Click to start the paths from that point."))
        self.plot.setMinimumHeight(150)
        self._contours = self.plot.plot(pen=pg.mkPen((170, 170, 170), width=1))
        self._minima = pg.ScatterPlotItem(size=16, pen=pg.mkPen("k", width=2))
        self.plot.addItem(self._minima)
        self._items: dict[str, pg.PlotDataItem] = {}
        self._heads: dict[str, pg.ScatterPlotItem] = {}
        for name, _ in OPTIMIZER_NAMES:
            colour = PALETTE[PALETTE_INDEX[name]]
            self._items[name] = self.plot.plot(
                pen=palette_pen(PALETTE_INDEX[name], width=2),
                symbol="o",
                symbolSize=5,
                symbolBrush=pg.mkBrush(colour),
                symbolPen=None,
            )
            # Where each path is at the step shown: an open ring, a cross once it diverged.
            self._heads[name] = pg.ScatterPlotItem(
                size=12, brush=pg.mkBrush("w"), pen=pg.mkPen(colour, width=3)
            )
            self.plot.addItem(self._heads[name])
        self._start_marker = pg.ScatterPlotItem(
            symbol="star", size=16, brush=pg.mkBrush("w"), pen=pg.mkPen("k", width=1.5)
        )
        self.plot.addItem(self._start_marker)
        self.plot.scene().sigMouseClicked.connect(self._on_plot_clicked)

    def _build_layout(self) -> None:
        # Two short rows: the tab must fit the centre column of a 1280x720 window (~560 px).
        first, second = QHBoxLayout(), QHBoxLayout()
        for row, text, field in (
            (first, self.tr("Function:"), self.function_combo),
            (first, self.tr("Schedule:"), self.schedule_combo),
            (second, self.tr("Start:"), self.start_x),
            (second, None, self.start_y),
            (second, self.tr("Steps:"), self.steps_spin),
            (second, self.tr("Noise:"), self.noise_spin),
        ):
            if text is not None:
                label = QLabel(text)
                label.setBuddy(field)
                row.addWidget(label)
            row.addWidget(field, stretch=1 if isinstance(field, QComboBox) else 0)
        second.addStretch(1)
        top = QVBoxLayout()
        top.addLayout(first)
        top.addLayout(second)
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, stretch=1)
        bottom.addWidget(self.reset_button)
        bottom.addWidget(self.export_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.player)
        lower_layout.addWidget(self.table)
        lower_layout.addLayout(bottom)
        splitter = QSplitter(Qt.Orientation.Vertical, objectName="pathsSplitter")
        splitter.addWidget(self.plot)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, stretch=1)

    def _wire(self) -> None:
        self.function_combo.currentIndexChanged.connect(self._apply_function_defaults)
        self.reset_button.clicked.connect(self._apply_function_defaults)
        for box in (self.start_x, self.start_y, self.noise_spin, self.steps_spin):
            box.valueChanged.connect(self.request_compute)
        self.schedule_combo.currentIndexChanged.connect(self.request_compute)
        self.table.changed.connect(self.request_compute)
        self.player.step_changed.connect(self._draw_step)
        self.export_button.clicked.connect(self._choose_export_path)
        self._compute_timer = QTimer(self, singleShot=True, interval=_COMPUTE_DELAY_MS)
        self._compute_timer.timeout.connect(self._start_job)

    # -- settings ------------------------------------------------------------------------------
    def function(self) -> str:
        return str(self.function_combo.currentData())

    def show_setting(self, function: str, optimizers: list[str]) -> None:
        """Show `function` (its start, steps and rates) with only `optimizers` ticked.

        What a paths lesson sets up.
        """
        index = self.function_combo.findData(function)
        if index >= 0 and index != self.function_combo.currentIndex():
            self.function_combo.setCurrentIndex(index)  # its defaults follow
        else:
            self._apply_function_defaults()
        self.table.set_checked(optimizers)
        self.request_compute()

    def set_start(self, x: float, y: float) -> None:
        """Start the paths from (x, y): what a click on the plot does."""
        for box, value in ((self.start_x, x), (self.start_y, y)):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)
        self.request_compute()

    @Slot()
    def _apply_function_defaults(self) -> None:
        function = FUNCTIONS[self.function()]
        for box, value in (
            (self.start_x, function.start[0]),
            (self.start_y, function.start[1]),
            (self.steps_spin, function.steps),
        ):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)
        self.table.reset(function.key, has_minimum=bool(function.minima))
        self.request_compute()

    def _request(self) -> _Request:
        function = self.function()
        return _Request(
            function=function,
            configs=self.table.configs(function),
            start=(self.start_x.value(), self.start_y.value()),
            steps=self.steps_spin.value(),
            noise=self.noise_spin.value(),
            schedule=str(self.schedule_combo.currentData()),
        )

    # -- computing, in a background job --------------------------------------------------------
    @Slot()
    def request_compute(self) -> None:
        """Compute the paths again once the settings have stopped changing for a moment."""
        self._dirty = True
        self._compute_timer.start()

    def is_computing(self) -> bool:
        return self._job is not None or self._compute_timer.isActive()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._dirty and not self._compute_timer.isActive():
            self._start_job()

    @Slot()
    def _start_job(self) -> None:
        if not self.isVisible():  # computed when the tab is shown
            return
        if self._job is not None:  # the newest settings win: the running job gives up
            self._pending = True
            self._job.cancel()
            return
        if not self.table.checked():
            for name in self._items:
                self._items[name].setVisible(False)
                self._heads[name].setVisible(False)
                self.table.show_values(name, "", "")
            self._show_note(self.tr("Tick at least one optimizer."), error=True)
            return
        try:
            request = self._request()
        except PathsError as error:
            self._show_note(str(error), error=True)
            return
        self._dirty = False
        needed = request.function not in self._lines
        self._job = Job(
            lambda state: _compute(request, needed, state),
            expected=(PathsError,),
            name="optimizerPathsThread",
            parent=self,
        )
        self._job.succeeded.connect(self._on_computed)
        self._job.errored.connect(self._on_failed)
        self._job.finished.connect(self._on_job_finished)
        self._job.start()

    @Slot(object)
    def _on_computed(self, payload: tuple[Any, np.ndarray | None]) -> None:
        result, lines = payload
        if lines is not None:
            self._lines[result.function.key] = lines
        self.show_result(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._show_note(message, error=True)

    @Slot()
    def _on_job_finished(self) -> None:
        self._job = None
        if self._pending:
            self._pending = False
            self._start_job()

    # -- drawing -------------------------------------------------------------------------------
    def result(self) -> Any:
        """The engine's `PathsResult` drawn now, or None before the first."""
        return self._result

    def path_item(self, name: str) -> pg.PlotDataItem:
        return self._items[name]

    def show_result(self, result: Any) -> None:
        """Draw a `PathsResult`: whole, or from the step shown while playing."""
        self._result = result
        function = result.function
        if self._drawn_function != function.key:
            self._draw_function(function)
        self._start_marker.setData([result.start[0]], [result.start[1]])
        shown = {path.name for path in result.paths}
        for name, item in self._items.items():
            # A dot per step shows the step sizes; past a hundred steps they pile into a smear.
            item.setSymbol("o" if result.steps <= _MAX_DOTTED_STEPS else None)
            item.setVisible(name in shown)
            self._heads[name].setVisible(name in shown)
            if name not in shown:
                self.table.show_values(name, "", "")
        step = self.player.step_shown() if self.player.is_playing() else None
        self.player.set_total(result.steps, step)  # draws, through step_changed
        self._show_note(self.tr("Click the plot to start the paths from another point."))
        self.computed.emit(result.steps)

    def _draw_function(self, function: Any) -> None:
        lines = self._lines.get(function.key)
        if lines is None:
            lines = self._lines[function.key] = contour_lines(function)
        self._contours.setData(lines[:, 0], lines[:, 1], connect="finite")
        targets = np.array(function.minima or (function.reference,))
        symbol = "+" if function.minima else "x"
        self._minima.setData(targets[:, 0], targets[:, 1], symbol=symbol)
        x_min, x_max, y_min, y_max = function.view
        self.plot.setRange(xRange=(x_min, x_max), yRange=(y_min, y_max), padding=0)
        self._drawn_function = function.key

    def shown_step(self) -> int:
        return self.player.step_shown()

    def show_step(self, step: int) -> None:
        """Show the paths up to `step`, as the animation bar's slider does."""
        self.player.go(step)

    @Slot(int)
    def _draw_step(self, step: int) -> None:
        """Draw every path up to `step` (a stopped path up to where it stopped)."""
        result = self._result
        if result is None:
            return
        for path in result.paths:
            last = min(step, path.steps_taken)
            points = path.points[: last + 1]
            self._items[path.name].setData(points[:, 0], points[:, 1])
            stopped = path.stopped_at is not None and step >= path.stopped_at
            self._heads[path.name].setData(
                [points[-1, 0]], [points[-1, 1]], symbol="x" if stopped else "o"
            )
            distance = (
                self.tr("diverged at {n}").format(n=path.stopped_at)
                if stopped
                else f"{path.distances[last]:.4g}"
            )
            self.table.show_values(path.name, distance, f"{path.losses[last]:.4g}")

    def _show_note(self, text: str, error: bool = False) -> None:
        self.note.setText(text)
        self.note.setStyleSheet("color: #b00020;" if error else "")

    @Slot(object)
    def _on_plot_clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        view = self.plot.getPlotItem().getViewBox()
        position = event.scenePos()
        if not view.sceneBoundingRect().contains(position):
            return
        point: QPointF = view.mapSceneToView(position)
        event.accept()
        self.set_start(round(point.x(), 2), round(point.y(), 2))

    # -- export --------------------------------------------------------------------------------
    @Slot()
    def _choose_export_path(self) -> None:
        if self._result is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export figure"),
            f"paths-{self._result.function.key}.png",
            self.tr("PNG image (*.png);;SVG image (*.svg)"),
        )
        if path:
            self.export_figure(path)

    def export_figure(self, path: str | Path) -> Job | None:
        """Write the figure as drawn now (PNG, or SVG by the suffix) in a background job."""
        if self._result is None or self._export_job is not None:
            return None
        target = Path(path)
        if target.suffix.lower() not in (".png", ".svg"):
            target = target.with_suffix(".png")
        result, upto = self._result, self.shown_step()  # as shown, whatever comes next
        job = Job(
            lambda _state: _export(result, target, upto),
            expected=(OSError, ValueError),
            name="pathsExportThread",
            parent=self,
        )
        job.succeeded.connect(self._on_exported)
        job.errored.connect(self._on_failed)
        job.finished.connect(self._on_export_finished)
        self._export_job = job
        job.start()
        return job

    @Slot(object)
    def _on_exported(self, path: Path) -> None:
        self._show_note(self.tr("Saved the figure to {path}.").format(path=path))
        self.exported.emit(str(path))

    @Slot()
    def _on_export_finished(self) -> None:
        self._export_job = None
