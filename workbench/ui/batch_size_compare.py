"""The window's mini-batch size comparison: the Run menu's entry, its dialog and its table.

**Compare mini-batch sizes…** asks for the sizes (`BatchSizeDialog`), trains them through the
training controller's comparison queue like any comparison (the Runs tab overlays their
curves), and follows each run with a `workbench.runs.batch_stats.BatchStats` callback, so the
table under the Runs tab's curves (`BatchSizeTable`) shows the numbers
`workbench compare --by batch_size` prints, measured the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.config import Experiment, format_validation_error
from workbench.core import Callback, RunStatus
from workbench.runs import batch_stats
from workbench.runs.batch_stats import BatchSizeStats, BatchStats, batches_per_epoch
from workbench.runs.compare import FULL_BATCH, ValuesError, comparison_group, parse_values
from workbench.ui.jobs import Job, JobState
from workbench.ui.status_names import status_name
from workbench.ui.training_controller import RunEnd
from workbench.ui.worker import set_torch_threads

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

DEFAULT_SIZES = "1, 32, 256, full"
# Past this many steps in all (every size, every epoch) the dialog warns that it will take
# minutes. The defaults on the digits make 22,340 in 20 epochs (size 1: 21,540 of them),
# 25 s here on one core; size 1 on MNIST's 48,000 training images, 960,000.
MANY_STEPS = 100_000


class BatchSizeDialog(QDialog):
    """Asks which mini-batch sizes to compare; says how many steps an epoch each takes."""

    def __init__(self, text: str, n_train: int, epochs: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("batchSizeDialog")
        self.setWindowTitle(self.tr("Compare mini-batch sizes"))
        self._n_train, self._epochs = n_train, epochs
        self._values: tuple[Any, ...] = ()
        intro = QLabel(
            self.tr(
                "Trains the model in the form once per mini-batch size, {epochs} epochs each, "
                "from the same initial weights and the same order of samples. 'full' is the "
                "whole training part ({n:,} samples) in every step: batch gradient descent. "
                "The test set is not used."
            ).format(epochs=epochs, n=n_train)
        )
        intro.setWordWrap(True)
        self.edit = QLineEdit(text, objectName="batchSizesEdit")
        self.edit.setToolTip(
            self.tr("Sizes separated by commas: whole numbers of at least 1, or 'full'")
        )
        form = QFormLayout()
        form.addRow(self.tr("Mini-batch &sizes:"), self.edit)
        self.steps = QLabel(objectName="batchSizeSteps")
        self.steps.setWordWrap(True)
        self.problem = QLabel(objectName="batchSizeProblem")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Compare"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.steps)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.edit.textChanged.connect(self._check)
        self._check()

    def values(self) -> tuple[Any, ...]:
        """The sizes as `workbench.runs.compare.parse_values` reads them."""
        return self._values

    @Slot()
    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        try:
            self._values = parse_values("batch_size", self.edit.text())
        except ValuesError as error:
            self._values = ()
            self.steps.setText("")
            self._say(error.detail, "#b00020")
            ok.setEnabled(False)
            return
        ok.setEnabled(True)
        counts = [
            (
                value,
                batches_per_epoch(self._n_train, self._n_train if value == FULL_BATCH else value),
            )
            for value in self._values
        ]
        self.steps.setText(
            self.tr("Steps per epoch: {steps}").format(
                steps=", ".join(f"{value} \u2192 {count:,}" for value, count in counts)
            )
        )
        total = sum(count for _, count in counts) * self._epochs
        if total > MANY_STEPS:
            value, most = max(counts, key=lambda pair: pair[1])
            self._say(
                self.tr(
                    "{total:,} steps in all: expect this to take minutes. Size {size} alone "
                    "makes {steps:,} steps an epoch."
                ).format(total=total, size=value, steps=most),
                "#8a5a00",
            )
        else:
            self._say("", "")

    def _say(self, text: str, colour: str) -> None:
        self.problem.setText(text)
        self.problem.setStyleSheet(f"color: {colour};" if colour else "")
        self.problem.setVisible(bool(text))


def _number(value: float | None, form: str) -> str:
    return "–" if value is None else format(value, form)


class BatchSizeTable(QWidget):
    """The sizes side by side, a column each: what each cost and how noisy its steps were.

    Measures are rows and sizes columns: the Runs tab's centre column is narrow on a
    1280-pixel screen, and nine measures across did not fit beside the form.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchSizePanel")
        title = QLabel(self.tr("<b>Mini-batch sizes</b>: cost and noise, measured"))
        title.setToolTip(
            self.tr(
                "Every size starts from the same initial weights and takes the samples in "
                "the same order. Hover a row's name for how it is measured."
            )
        )
        hide = QPushButton(self.tr("Hide"), objectName="batchSizeHideButton")
        hide.setToolTip(self.tr("Hide this table until the next mini-batch size comparison"))
        hide.clicked.connect(self.hide)
        measures = (
            (self.tr("Epochs"), self.tr("Epochs trained (early stopping can end a run sooner)")),
            (self.tr("Steps/epoch"), self.tr("Optimizer steps (mini-batches) in an epoch")),
            (
                self.tr("Time/epoch (s)"),
                self.tr("Mean time of an epoch: the training and the validation pass"),
            ),
            (
                self.tr("Samples/s"),
                self.tr("Training samples per second, in the training passes alone"),
            ),
            (
                self.tr("Peak memory"),
                self.tr(
                    "How far memory rose above what was in use when the run began: the "
                    "process's resident memory (RSS) on the CPU, allocated tensors on CUDA"
                ),
            ),
            (
                self.tr("Loss std"),
                self.tr("Standard deviation of the per-batch training loss in the last epoch"),
            ),
            (
                self.tr("Loss noise"),
                self.tr(
                    "Loss std as a share of the mean batch loss: the fair comparison, as a "
                    "size that has trained further has smaller losses, which vary less"
                ),
            ),
            (self.tr("Val. accuracy"), self.tr("Validation accuracy after the last epoch")),
        )
        self.table = QTableWidget(len(measures), 0, objectName="batchSizeTable")
        for row, (text, tip) in enumerate(measures):
            item = QTableWidgetItem(text)
            item.setToolTip(tip)
            self.table.setVerticalHeaderItem(row, item)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        head = QHBoxLayout()
        head.addWidget(title, stretch=1)
        head.addWidget(hide)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.table)

    def start(self) -> None:
        """Empty the table for a new comparison, and show it."""
        self.table.setColumnCount(0)
        self.show()

    def add(self, end: RunEnd, stats: BatchSizeStats | None) -> None:
        """A column for a finished run (stats None: it failed before training)."""
        result = end.result
        epochs = str(stats.epochs if stats is not None else result.epochs_run)
        if result.status != RunStatus.COMPLETED:
            epochs += f" ({status_name(result.status).replace('_', ' ')})"
        if stats is None:
            size = str(end.experiment.training.batch_size)
            cells = [epochs] + ["–"] * 7
        else:
            size = batch_stats.size_label(stats)
            cells = [
                epochs,
                f"{stats.steps_per_epoch:,}",
                _number(stats.seconds_per_epoch, ".3g"),
                _number(stats.samples_per_second, ",.0f"),
                batch_stats.memory_text(stats),
                _number(stats.loss_noise, ".3g"),
                _number(stats.relative_noise, ".0%"),
                _number(stats.final_val_accuracy, ".4f"),
            ]
        column = self.table.columnCount()
        self.table.insertColumn(column)
        header = QTableWidgetItem(size)
        header.setToolTip(end.experiment.name)
        self.table.setHorizontalHeaderItem(column, header)
        for row, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if row == 4 and stats is not None:
                item.setToolTip(stats.memory_kind)
            self.table.setItem(row, column, item)

    def rows(self) -> list[list[str]]:
        """Each size as shown, one list per size: its name, then its measures (for tests)."""
        table = self.table
        return [
            [table.horizontalHeaderItem(column).text()]
            + [table.item(row, column).text() for row in range(table.rowCount())]
            for column in range(table.columnCount())
        ]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Every measure in view, and no more: the curves above take the rest of the height.
        # Room is kept for the scroll bar that many sizes side by side bring.
        table = self.table
        height = table.horizontalHeader().height() + 20 * table.rowCount() + 2 * table.frameWidth()
        table.setFixedHeight(height + table.horizontalScrollBar().sizeHint().height())


class _WarmUp:
    """The job's function: pay the process's one-time costs before the first measured size."""

    def __init__(self, experiment: Experiment, values: tuple[Any, ...]) -> None:
        self._experiment, self._values = experiment, values

    def __call__(self, state: JobState) -> None:
        group = comparison_group(self._experiment, "batch_size", values=self._values)
        batch_stats.warm_up(group, state.stop_token)  # the window closing stops it


class BatchSizeComparison(QObject):
    """The Run menu's "Compare mini-batch sizes…": dialog, comparison queue, table."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("batchSizeComparison")
        self._window = window
        self._controller = controller = window.controller
        self.action = QAction(self.tr("Compare mini-batch si&zes…"), window)
        self.action.setObjectName("compareBatchSizesAction")
        self.action.setStatusTip(
            self.tr(
                "Train the model once per mini-batch size and compare time, memory, "
                "loss noise and accuracy"
            )
        )
        self.action.triggered.connect(self.choose)
        self.table = BatchSizeTable()
        self.table.hide()
        window.runs_panel.add_comparison_view(self.table)
        self._text = DEFAULT_SIZES
        self._values: tuple[Any, ...] = ()  # the sizes of the comparison asked for last
        self._stats: BatchStats | None = None  # following the variant in training
        self._fresh = False  # a comparison was asked for: its first run empties the table
        self._warming: Job | None = None
        controller.add_run_view(self._view)
        controller.run_started.connect(self._on_run_started)
        controller.run_ended.connect(self._on_run_ended)
        window.search_panel.running_changed.connect(self._on_search_running)

    @Slot()
    def choose(self) -> None:
        """Ask for the sizes, then compare them."""
        if self._busy():
            return
        window = self._window
        try:
            experiment = window.current_experiment()
        except ValidationError as error:
            window.show_status(
                self.tr("Cannot compare: {error}").format(error=format_validation_error(error)),
                error=True,
            )
            return
        n_train = window.dataset_panel.split_sizes()[0]
        dialog = BatchSizeDialog(self._text, n_train, experiment.training.epochs, window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._text = dialog.edit.text()
        self.start(dialog.values())

    def start(self, values: tuple[Any, ...]) -> None:
        """Compare `values` (parsed sizes), after a warm-up in the background if needed."""
        if self._busy():
            return
        self._values = values
        if batch_stats.is_warmed_up():
            self._compare()
            return
        try:
            experiment = self._window.current_experiment()
        except ValidationError:
            self._compare()  # the controller says what is wrong
            return
        self._warming = Job(
            _WarmUp(experiment, values),
            name="batchSizeWarmUpThread",
            setup=set_torch_threads,
            parent=self,
        )
        # Whatever the warm-up met, the comparison itself says it (or starts).
        self._warming.finished.connect(self._on_warmed_up)
        self._window.show_status(self.tr("Preparing the mini-batch size comparison…"))
        self._update_enabled()
        self._warming.start()

    @Slot()
    def _on_warmed_up(self) -> None:
        warming, self._warming = self._warming, None
        if warming is None:
            return
        warming.deleteLater()
        if not warming.cancelled:  # cancelled: the window is closing
            self._compare()
        self._update_enabled()

    def _compare(self) -> None:
        self._fresh = True
        self._controller.compare("batch_size", {}, self._values)

    def _busy(self) -> bool:
        return (
            self._controller.run is not None
            or self._warming is not None
            or self._window.search_panel.is_running()
        )

    def _view(self) -> Callback:
        """The callback following each run the controller starts (a no-op outside ours)."""
        if self._controller.comparing != "batch_size":
            self._stats = None
            return Callback()
        if self._fresh or self.table.isHidden():
            self._fresh = False
            self.table.start()
        self._stats = BatchStats()
        return self._stats

    @Slot(object)
    def _on_run_ended(self, end: RunEnd) -> None:
        if self._stats is not None:
            # The run's thread has been joined: its callback is read on this thread safely.
            self.table.add(end, self._stats.stats)
            self._stats = None
        self._update_enabled()

    @Slot(object)
    def _on_run_started(self, run: object) -> None:
        self._update_enabled()

    @Slot(bool)
    def _on_search_running(self, running: bool) -> None:
        self._update_enabled()

    def _update_enabled(self) -> None:
        self.action.setEnabled(not self._busy())
