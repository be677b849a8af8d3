"""The learning-rate range test's dialog, opened by the form's "Find…" beside the learning rate.

The sweep (`workbench.playground.lr_find`) trains a copy of the form's model in a background
job while the rate grows; the dialog draws the loss against the rate on a log axis as the
points come, marks the suggested rate, and **Use** puts it into the form. Nothing of the
form's experiment changes until Use is pressed.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.config import Experiment, ExperimentError
from workbench.playground.lr_find_cli import DEFAULT_END, DEFAULT_START, DEFAULT_STEPS
from workbench.report.palette import PALETTE
from workbench.ui.jobs import Job, JobState
from workbench.ui.live_plot import ReadableAxis, set_title_with_legend
from workbench.ui.scientific_spin import ScientificSpinBox
from workbench.ui.worker import set_torch_threads

if TYPE_CHECKING:
    from workbench.playground.lr_find import LrFindProgress, LrFindResult
    from workbench.ui.main_window import MainWindow

_RAW = (150, 150, 150)
_SMOOTHED = PALETTE[0]
_SUGGESTED = PALETTE[1]
# The dialog's size where the screen has room; a smaller screen gets its available area.
_SIZE = (760, 560)


class _Sweep:
    """The job's function: the range test, reporting its points and watching the job's cancel."""

    def __init__(self, experiment: Experiment, steps: int, start: float, end: float) -> None:
        self.experiment, self.steps, self.start, self.end = experiment, steps, start, end

    def __call__(self, state: JobState) -> LrFindResult:
        # Imported here, in the job's thread: torch may still be loading when the window opens.
        from workbench.playground.lr_find import find_learning_rate

        return find_learning_rate(
            self.experiment,
            steps=self.steps,
            start=self.start,
            end=self.end,
            progress=state.report,
            stop_token=state.stop_token,
        )


class LrFinderDialog(QDialog):
    """Runs the range test on `experiment` and offers its suggestion; see the module."""

    rate_chosen = Signal(float)  # Use: the suggested rate, for the form
    sweep_ended = Signal()  # the job has ended, however (for tests and the window)

    def __init__(self, experiment: Experiment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lrFinderDialog")
        self.setWindowTitle(self.tr("Find learning rate"))
        self.experiment = experiment
        self.result: LrFindResult | None = None
        self._job: Job | None = None

        note = QLabel(
            self.tr(
                "A copy of the model trains for a few mini-batches while the learning rate "
                "grows from very small to very large: the loss stays flat, falls, then "
                "explodes. A good rate lies where it falls. Your model and the form stay as "
                "they are until you press Use; the test data is not used."
            ),
            objectName="lrFinderNote",
        )
        note.setWordWrap(True)

        self.start_spin = ScientificSpinBox(objectName="lrFinderStart")
        self.start_spin.setRange(1e-12, 1.0)
        self.start_spin.setValue(DEFAULT_START)
        self.start_spin.setToolTip(self.tr("The rate of the first mini-batch."))
        self.end_spin = ScientificSpinBox(objectName="lrFinderEnd")
        self.end_spin.setRange(1e-9, 1000.0)
        self.end_spin.setValue(DEFAULT_END)
        self.end_spin.setToolTip(
            self.tr("The rate of the last mini-batch, if the loss has not exploded by then.")
        )
        self.steps_spin = QSpinBox(objectName="lrFinderSteps", minimum=10, maximum=10_000)
        self.steps_spin.setValue(DEFAULT_STEPS)
        self.steps_spin.setToolTip(
            self.tr("Mini-batches in the sweep: more give a smoother curve and take longer.")
        )
        self.run_button = QPushButton(self.tr("Run again"), objectName="lrFinderRunButton")
        self.run_button.setToolTip(self.tr("Sweep again with these settings."))
        self.run_button.clicked.connect(self.start)
        settings = QHBoxLayout()
        for text, widget in (
            (self.tr("From"), self.start_spin),
            (self.tr("to"), self.end_spin),
            (self.tr("Steps"), self.steps_spin),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            settings.addWidget(label)
            settings.addWidget(widget)
        settings.addStretch(1)
        settings.addWidget(self.run_button)

        self.plot = self._make_plot()

        self.summary = QLabel(objectName="lrFinderResult")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar(objectName="lrFinderProgress")
        self.progress.setFormat(self.tr("%v / %m steps"))
        self.cancel_button = QPushButton(self.tr("Cancel"), objectName="lrFinderCancel")
        self.cancel_button.setToolTip(self.tr("Stop the sweep after the current mini-batch."))
        self.cancel_button.clicked.connect(self.cancel)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, stretch=1)
        progress_row.addWidget(self.cancel_button)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.use_button = QPushButton(self.tr("Use"), objectName="lrFinderUseButton")
        self.use_button.setToolTip(self.tr("Put the suggested rate into the form's learning rate."))
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(self.use)
        buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)

        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(settings)
        layout.addWidget(self.plot, stretch=1)
        layout.addWidget(self.summary)
        layout.addLayout(progress_row)
        layout.addWidget(buttons)
        self._fit_to_screen()

    def _make_plot(self) -> pg.PlotWidget:
        plot = pg.PlotWidget(
            background="w",
            axisItems={"bottom": ReadableAxis("bottom"), "left": ReadableAxis("left")},
        )
        plot.setObjectName("lrFinderPlot")
        plot.setMinimumHeight(200)
        plot.setMenuEnabled(False)
        plot.setLogMode(x=True, y=False)
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setLabel("bottom", self.tr("learning rate"))
        plot.setLabel("left", self.tr("training loss"))
        # Rates of 1e-7 to 1e-3 must read as such, not as "0.0001 to 1 (x0.001)".
        for side in ("left", "bottom"):
            plot.getAxis(side).enableAutoSIPrefix(False)
        raw_pen = pg.mkPen(_RAW, width=1)
        smoothed_pen = pg.mkPen(_SMOOTHED, width=2)
        suggested_pen = pg.mkPen(_SUGGESTED, width=2, style=Qt.PenStyle.DashLine)
        set_title_with_legend(
            plot,
            "",
            [
                (self.tr("batch loss"), raw_pen),
                (self.tr("smoothed"), smoothed_pen),
                (self.tr("suggested"), suggested_pen),
            ],
        )
        # The explosion's losses are NaN or huge: not drawn as a line to infinity.
        self._raw_curve = plot.plot(pen=raw_pen, connect="finite")
        self._smoothed_curve = plot.plot(pen=smoothed_pen, connect="finite")
        self._marker = plot.plot(
            pen=None, symbol="o", symbolSize=10, symbolBrush=_SUGGESTED, symbolPen=None
        )
        # The lowest smoothed loss, which the suggestion is a decade below: hollow, labelled.
        self._lowest = plot.plot(
            pen=None, symbol="o", symbolSize=10, symbolBrush=None, symbolPen=smoothed_pen
        )
        self._lowest_label = pg.TextItem(self.tr("lowest"), color=_SMOOTHED, anchor=(0.5, -0.3))
        self._suggested_line = pg.InfiniteLine(angle=90, pen=suggested_pen)
        for item in (self._lowest_label, self._suggested_line):
            item.setVisible(False)
            plot.addItem(item, ignoreBounds=True)
        return plot

    def _fit_to_screen(self) -> None:
        width, height = _SIZE
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry()
            width, height = min(width, available.width()), min(height, available.height())
        self.resize(width, height)

    # -- the sweep ---------------------------------------------------------------------------
    def is_running(self) -> bool:
        return self._job is not None

    @Slot()
    def start(self) -> None:
        """Sweep with the dialog's settings in a background job (once at a time)."""
        if self._job is not None:
            return
        start, end = self.start_spin.value(), self.end_spin.value()
        if not end > start:
            self._say(self.tr("The last rate must be larger than the first."), error=True)
            return
        self.result = None
        self.use_button.setEnabled(False)
        self._clear_plot()
        steps = self.steps_spin.value()
        job = Job(
            _Sweep(self.experiment, steps, start, end),
            expected=(ExperimentError, ValueError),
            name="lrFindThread",
            setup=set_torch_threads,
            parent=self,
        )
        job.progress.connect(self._on_progress)
        job.succeeded.connect(self._on_found)
        job.errored.connect(self._on_failed)
        job.finished.connect(self._on_finished)
        self._job = job
        self.progress.setRange(0, 0)  # busy until the first points: the data is loading
        self.progress.setFormat(self.tr("loading the data…"))
        self._set_running(True)
        self._say(
            self.tr("Sweeping the learning rate from {start} to {end}…").format(
                start=f"{start:g}", end=f"{end:g}"
            )
        )
        job.start()

    @Slot()
    def cancel(self) -> None:
        """Stop the sweep after its current mini-batch; what it drew stays."""
        if self._job is not None:
            self._job.cancel()
            self.cancel_button.setEnabled(False)

    def _set_running(self, running: bool) -> None:
        self.cancel_button.setEnabled(running)
        self.run_button.setEnabled(not running)
        for spin in (self.start_spin, self.end_spin, self.steps_spin):
            spin.setEnabled(not running)

    @Slot(object)
    def _on_progress(self, progress: LrFindProgress) -> None:
        if self.progress.maximum() != progress.steps:
            self.progress.setRange(0, progress.steps)
            self.progress.setFormat(self.tr("%v / %m steps"))
        self.progress.setValue(progress.step)
        self._draw(progress.rates, progress.losses, progress.smoothed)

    @Slot(object)
    def _on_found(self, result: LrFindResult) -> None:
        self.result = result
        self._draw(result.rates, result.losses, result.smoothed)
        done = len(result.rates)
        if result.ended == "exploded":
            # The sweep is over, not stuck part-way: a full bar that says why it ended early.
            self.progress.setRange(0, max(done, 1))
            self.progress.setFormat(
                self.tr("{done} of {steps} steps: the loss exploded").format(
                    done=done, steps=result.steps
                )
            )
        elif self.progress.maximum() == 0:
            self.progress.setRange(0, result.steps)
            self.progress.setFormat(self.tr("%v / %m steps"))
        self.progress.setValue(done)
        if result.suggestion is not None and result.suggestion_index is not None:
            index = result.suggestion_index
            self._marker.setData([result.rates[index]], [result.smoothed[index]])
            self._suggested_line.setValue(math.log10(result.suggestion))
            self._suggested_line.setVisible(True)
            if result.lowest_index is not None:
                rate, loss = result.rates[result.lowest_index], result.smoothed[result.lowest_index]
                self._lowest.setData([rate], [loss])
                self._lowest_label.setPos(math.log10(rate), loss)
                self._lowest_label.setVisible(True)
            self.use_button.setEnabled(True)
            self.use_button.setDefault(True)
        self._say(self._describe(result), error=result.suggestion is None)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._say(self.tr("The sweep could not run: {error}").format(error=message), error=True)

    @Slot()
    def _on_finished(self) -> None:
        job, self._job = self._job, None
        self._set_running(False)
        if job is not None:
            job.deleteLater()
        self.sweep_ended.emit()

    def _describe(self, result: LrFindResult) -> str:
        steps, done = result.steps, len(result.rates)
        if result.ended == "stopped":
            return self.tr("Cancelled after {done} of {steps} steps: no suggestion.").format(
                done=done, steps=steps
            )
        if result.suggestion is None and result.ended != "exploded":
            return self.tr("{done} steps are too few to suggest from: take more steps.").format(
                done=done
            )
        if result.suggestion is None:
            return self.tr(
                "The loss exploded after {done} steps, at a rate of {rate}: too soon to "
                "suggest a rate. Start lower or take more steps."
            ).format(done=done, rate=f"{result.rates[-1]:.2g}")
        # fastai's names for its rules, each with what it picks (translated in Japanese).
        rule_names = {
            "valley": self.tr("valley (the middle of the longest fall)"),
            "steepest": self.tr("steepest (where the loss falls fastest)"),
        }
        others = ", ".join(
            f"{rule_names.get(name, name)} {rate:.2g}" for name, rate in result.others
        )
        text = self.tr(
            "<b>Suggested learning rate: {rate}</b>, a tenth of {lowest}, the rate at which "
            "the smoothed loss is lowest."
        ).format(rate=f"{result.suggestion:.2g}", lowest=f"{result.lowest_rate:.2g}")
        if result.ended == "exploded":
            text += " " + self.tr(
                "There it is about to explode; a decade lower it still falls fast."
            )
        else:
            text += " " + self.tr(
                "The loss had not exploded by the last rate: a larger last rate shows more."
            )
        text += " " + self.tr("fastai's other rules: {others}.").format(others=others)
        return text

    def _say(self, text: str, error: bool = False) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #b00020;" if error else "")

    # -- the plot ----------------------------------------------------------------------------
    def _clear_plot(self) -> None:
        for curve in (self._raw_curve, self._smoothed_curve, self._marker, self._lowest):
            curve.setData([], [])
        self._suggested_line.setVisible(False)
        self._lowest_label.setVisible(False)

    def _draw(self, rates, losses, smoothed) -> None:
        from workbench.playground.lr_find import loss_view  # loaded by the job already

        self._raw_curve.setData(rates, losses)
        self._smoothed_curve.setData(rates, smoothed)
        start, end = self.start_spin.value(), self.end_spin.value()
        self.plot.setXRange(math.log10(start), math.log10(end), padding=0.02)
        view = loss_view(losses, smoothed)
        if view is not None:
            self.plot.setYRange(*view, padding=0)

    def curve(self, which: str) -> tuple[list[float], list[float]]:
        """(rates, losses) drawn as "raw" or "smoothed", in linear units: for tests."""
        item = self._raw_curve if which == "raw" else self._smoothed_curve
        x, y = item.getOriginalDataset()
        return ([] if x is None else list(x)), ([] if y is None else list(y))

    def marked_rate(self) -> float | None:
        """The rate the dashed line marks, or None."""
        if not self._suggested_line.isVisible():
            return None
        return 10.0 ** self._suggested_line.value()

    # -- ending ------------------------------------------------------------------------------
    @Slot()
    def use(self) -> None:
        """Send the suggestion to the form and close."""
        if self.result is None or self.result.suggestion is None:
            return
        self.rate_chosen.emit(self.result.suggestion)
        self.accept()

    def done(self, code: int) -> None:
        # A running sweep is told to stop; the dialog is deleted once its job has ended.
        self.cancel()
        super().done(code)


class LrFinder(QObject):
    """Opens the dialog from the form's Find… button; Use puts the rate into the form."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.dialog: LrFinderDialog | None = None
        window.form.find_lr_requested.connect(self.open)

    @Slot()
    def open(self) -> LrFinderDialog | None:
        """Open the dialog on the experiment the panels describe now and start the sweep."""
        window = self._window
        try:
            experiment = window.current_experiment()
        except ValueError as error:  # pydantic's ValidationError: the form says where
            window.show_status(str(error).splitlines()[0], error=True)
            return None
        dialog = LrFinderDialog(experiment, window)
        dialog.rate_chosen.connect(self._use)
        dialog.finished.connect(self._on_closed)
        self.dialog = dialog
        dialog.open()  # modal to the window: the form cannot change under the sweep
        dialog.start()
        return dialog

    @Slot(float)
    def _use(self, rate: float) -> None:
        self._window.form.set_learning_rate(rate)
        self._window.show_status(
            self.tr("Learning rate set to {rate} by the range test: press Train to try it.").format(
                rate=f"{rate:g}"
            )
        )

    @Slot(int)
    def _on_closed(self, _code: int) -> None:
        dialog = self.sender()
        if not isinstance(dialog, LrFinderDialog):
            return
        if self.dialog is dialog:
            self.dialog = None
        # Deleted once its job has ended: a QThread destroyed while running aborts.
        if dialog.is_running():
            dialog.sweep_ended.connect(dialog.deleteLater)
        else:
            dialog.deleteLater()
