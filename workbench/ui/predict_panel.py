"""Predict panel: a trained run's model on new data, from a file or drawn by hand.

Reading and predicting a file runs in a background thread (a folder may hold thousands of
images); a drawn digit is one forward pass of a small model and is predicted as it is drawn.
Both go through `workbench.predict.Predictor`, the code `workbench predict` uses.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.data.dataset import DatasetError
from workbench.runs.store import RunStore
from workbench.runs.trained import TrainedRunError, from_store
from workbench.ui.class_names import shown_class_names
from workbench.ui.digit_canvas import DigitCanvas, ModelInputView
from workbench.ui.jobs import Job

if TYPE_CHECKING:
    from workbench.predict.predictor import Predictions, Predictor

_WRONG = QColor("#b00020")
_CANVAS_DELAY_MS = 30  # predictions follow the pen, at most ~30 times a second


def _normalisation_name(key: str) -> str:
    """The Data panel's own name for a normalisation key, translated as it shows it."""
    names = {
        "standard": "Standardise (mean 0, std 1)",
        "scale": "Scale to [0, 1]",
        "none": "None",
    }
    return QCoreApplication.translate("DatasetPanel", names[key]) if key in names else key


class PredictionsModel(QAbstractTableModel):
    """Rows of a `Predictions`: input, predicted class, confidence and, if known, the truth."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._predictions: Predictions | None = None
        self._predicted: list[str] = []
        self._confidence = np.zeros(0)

    def set_predictions(self, predictions: Predictions | None) -> None:
        self.beginResetModel()
        self._predictions = predictions
        self._predicted = predictions.predicted if predictions is not None else []
        self._confidence = (
            predictions.probabilities.max(axis=1) if predictions is not None else np.zeros(0)
        )
        self.endResetModel()

    def _headers(self) -> list[str]:
        headers = [self.tr("input"), self.tr("predicted"), self.tr("confidence")]
        if self._predictions is not None and self._predictions.inputs.labels is not None:
            headers.append(self.tr("true class"))
        return headers

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt's name
        if parent.isValid() or self._predictions is None:
            return 0
        return len(self._predictions.inputs.names)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt's name
        return 0 if parent.isValid() else len(self._headers())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers()[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if self._predictions is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        labels = self._predictions.inputs.labels
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self._predictions.inputs.names[row]
            if column == 1:
                return self._predicted[row]
            if column == 2:
                return f"{self._confidence[row]:.1%}"
            return labels[row] if labels is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and labels is not None and column in (1, 3):
            # A wrong prediction in red, so mistakes stand out in a long list.
            return _WRONG if self._predicted[row] != labels[row] else None
        return None


class PredictPanel(QWidget):
    """Pick a recorded run, then predict on a file or a folder, or draw a digit."""

    problem = Signal(str)  # a one-line message for the window's status bar
    predictions_ready = Signal()  # a file's predictions are shown (or it failed: see problem)

    def __init__(self, store: RunStore | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("predictPanel")
        self._store = store
        self._predictor: Predictor | None = None
        self._predictions: Predictions | None = None
        self._task: Job | None = None
        self._canvas_probabilities: np.ndarray | None = None
        self._summary_text = ""
        self._pending_run: int | None = None

        self.run_combo = QComboBox(objectName="predictRunCombo")
        self.run_combo.setToolTip(self.tr("The trained run whose model predicts"))
        self.run_combo.setMinimumContentsLength(30)
        self.run_info = QLabel(objectName="predictRunInfo")
        self.run_info.setWordWrap(True)
        # Short labels, details in the tooltips: the tab must fit beside the form on a
        # 1366-pixel-wide screen (long labels made it 713 px wide and squeezed the form).
        self.file_button = QPushButton(self.tr("File…"), objectName="predictFileButton")
        self.file_button.setToolTip(self.tr("Predict on a CSV or NPZ file, or an image"))
        self.folder_button = QPushButton(self.tr("Folder…"), objectName="predictFolderButton")
        self.folder_button.setToolTip(self.tr("Predict on a folder of images"))
        self.save_button = QPushButton(self.tr("Save CSV…"), objectName="savePredictionsButton")
        self.save_button.setToolTip(self.tr("Save the predictions as a CSV file"))
        self.summary = QLabel(objectName="predictSummary")
        self.summary.setWordWrap(True)
        self.model = PredictionsModel(self)
        self.table = QTableView(objectName="predictionsTable")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(20)

        self.canvas = DigitCanvas()
        self.model_input = ModelInputView(side=72)
        self.model_input_caption = QLabel(self.tr("Model sees:"), objectName="modelInputCaption")
        self.model_input_caption.setToolTip(self.model_input.toolTip())
        self.model_input_size = QLabel(objectName="modelInputSize")
        self.clear_button = QPushButton(self.tr("Clear"), objectName="clearCanvasButton")
        self.clear_button.setToolTip(self.tr("Clear the drawing (Delete)"))
        self.canvas_result = QLabel(objectName="canvasPrediction")
        self.canvas_result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A long class name wraps instead of widening the drawing box past the tab.
        self.canvas_result.setWordWrap(True)
        # The answer is large; the "Draw a digit" prompt in its place is not (large, a
        # Japanese prompt wrapped mid-word in the narrow column: "数字を描 / く").
        self._prompt_font = self.canvas_result.font()
        self._answer_font = self.canvas_result.font()
        self._answer_font.setPointSize(self._answer_font.pointSize() + 6)
        self.canvas_result.setFont(self._answer_font)
        self.bars_plot = pg.PlotWidget(objectName="canvasProbabilities")
        self.bars_plot.setBackground("w")
        self.bars_plot.setYRange(0, 1)
        self.bars_plot.setMouseEnabled(x=False, y=False)
        self.bars_plot.setMenuEnabled(False)
        self.bars_plot.setLabel("left", self.tr("probability"))
        self.bars_plot.setMinimumHeight(150)
        self._bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush="#3f6fb5")
        self.bars_plot.addItem(self._bars)
        self.drawing_note = QLabel(objectName="drawingNote")
        self.drawing_note.setWordWrap(True)
        self._canvas_timer = QTimer(self, singleShot=True, interval=_CANVAS_DELAY_MS)

        self._build_layout()
        self.run_combo.currentIndexChanged.connect(self._on_run_chosen)
        self.file_button.clicked.connect(self.choose_file)
        self.folder_button.clicked.connect(self.choose_folder)
        self.save_button.clicked.connect(self.choose_save_path)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.canvas.inkChanged.connect(self._canvas_timer.start)
        self._canvas_timer.timeout.connect(self.predict_drawing)
        # The run list is read, and a model built, when the tab is first shown: not at start-up.
        self._stale = True
        self._runs_recorded = False  # any run at all in the store, tested or not
        self._update_enabled()
        self._show_run_info(self._no_run_text())

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Model of run:")))
        top.addWidget(self.run_combo, stretch=1)

        files = QGroupBox(self.tr("Predict on new data"))
        file_layout = QVBoxLayout(files)
        buttons = QHBoxLayout()
        for button in (self.file_button, self.folder_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        file_layout.addLayout(buttons)
        file_layout.addWidget(self.summary)
        file_layout.addWidget(self.table, stretch=1)

        self.drawing_box = QGroupBox(self.tr("Draw a digit"), objectName="drawingBox")
        drawing = QVBoxLayout(self.drawing_box)
        # As tall as it is wide: the spare height goes to the probability bars.
        policy = self.canvas.sizePolicy()
        policy.setVerticalPolicy(QSizePolicy.Policy.Preferred)
        self.canvas.setSizePolicy(policy)
        drawing.addWidget(self.canvas)
        # The model's input in the row under the canvas, beside the verdict: the drawing box
        # gets about 250 px of width in a 1280x720 window, too little for a second column.
        row = QHBoxLayout()
        seen = QVBoxLayout()
        seen.setSpacing(0)
        seen.addWidget(self.model_input_caption)
        seen.addWidget(self.model_input)
        seen.addWidget(self.model_input_size)
        row.addLayout(seen)
        # The verdict over the Clear button, not beside it: side by side, the verdict's large
        # text made the box wider than the tab at 1280x720 once a digit was drawn.
        verdict = QVBoxLayout()
        verdict.addWidget(self.canvas_result, stretch=1)
        verdict.addWidget(self.clear_button, alignment=Qt.AlignmentFlag.AlignRight)
        row.addLayout(verdict, stretch=1)
        drawing.addLayout(row)
        drawing.addWidget(self.bars_plot, stretch=1)
        drawing.addWidget(self.drawing_note)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(files)
        splitter.addWidget(self.drawing_box)
        splitter.setSizes([520, 360])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.run_info)
        layout.addWidget(splitter, stretch=1)

    # -- the run -------------------------------------------------------------------------------
    def refresh_runs(self, select: int | None = None) -> None:
        """List the recorded runs that can predict (finished, with their preprocessing)."""
        current = select if select is not None else self.run_combo.currentData()
        self.run_combo.blockSignals(True)
        self.run_combo.clear()
        runs = self._store.list_runs() if self._store is not None else []
        self._runs_recorded = bool(runs)
        for run in runs:
            if run.test is None or not self._store.evaluation_path(run.id).exists():  # type: ignore[union-attr]
                continue
            accuracy = run.test.get("accuracy")
            self.run_combo.addItem(
                self.tr("run {id} · {name} · {data} · test accuracy {accuracy:.3f}").format(
                    id=run.id,
                    name=run.name,
                    data=run.config.get("data", {}).get("source", "?"),
                    accuracy=accuracy if accuracy is not None else float("nan"),
                ),
                run.id,
            )
        self.run_combo.blockSignals(False)
        index = self.run_combo.findData(current) if current is not None else -1
        self.run_combo.setCurrentIndex(index if index >= 0 else 0 if self.run_combo.count() else -1)
        if self.run_combo.currentData() != getattr(self._predictor, "run_id", None):
            self._on_run_chosen()
        elif self.run_combo.count() == 0:  # still none: what to do has changed if runs came
            self._show_run_info(self._no_run_text())

    @Slot()
    def _on_run_chosen(self) -> None:
        run_id = self.run_combo.currentData()
        self._predictor = None
        if run_id is None or self._store is None:
            self._show_run_info(self._no_run_text())
            self._update_enabled()
            return
        try:
            from workbench.predict.predictor import Predictor  # torch: loaded by now

            predictor = Predictor(from_store(self._store, int(run_id)))
        except TrainedRunError as error:
            self._show_run_info(str(error), error=True)
            self._update_enabled()
            return
        predictor.run_id = int(run_id)  # type: ignore[attr-defined]
        self._predictor = predictor
        p = predictor.preprocessing
        shape = (
            "×".join(map(str, p.image_shape))
            if p.image_shape
            else self.tr("{n} features").format(n=p.n_features)
        )
        self._show_run_info(
            self.tr(
                "{classes} classes, input {shape}, normalised '{normalize}' with the training "
                "statistics of run {id}; weights: {kept}."
            ).format(
                classes=len(p.class_names),
                shape=shape,
                normalize=_normalisation_name(p.normalize),
                id=run_id,
                kept=self._kept_text(predictor.run.report.get("weights")),
            )
            + self._augmentation_hint(predictor)
        )
        self._update_enabled()
        self.predict_drawing()

    def _augmentation_hint(self, predictor: Predictor) -> str:
        """For a drawable model trained without augmentation: why drawings may be misread."""
        if not predictor.accepts_drawing or predictor.run.experiment.augmentation.enabled:
            return ""
        # Measured with tests/benchmarks/drawn_digits.py (digits-augmented, 10 seeds): drawings
        # read right 0.887 without augmentation, 0.945 with it, the test digits' 0.98 kept.
        return " " + self.tr(
            "Trained without data augmentation, it reads new handwriting less well than the "
            "test digits; Shift, Rotation and Slant in the form train one that reads it better."
        )

    def _kept_text(self, weights: dict | None) -> str:
        if not weights:
            return self.tr("as saved")
        if weights.get("kept") == "best":
            return self.tr("best epoch {epoch}").format(epoch=weights.get("epoch"))
        return self.tr("last epoch {epoch}").format(epoch=weights.get("epoch"))

    def _no_run_text(self) -> str:
        # Only runs evaluated on the test set predict: the model a learner chose on the
        # validation data, measured once. A run just trained is not one yet, so say so.
        if self._runs_recorded:
            return self.tr(
                "No run evaluated on the test set yet: press Evaluate on test set after a run "
                "(or Test… in the Runs tab), then predict with it here."
            )
        return self.tr(
            "No trained run yet: train a model and evaluate it on the test set, then predict "
            "with it here."
        )

    def _show_run_info(self, text: str, error: bool = False) -> None:
        self.run_info.setText(text)
        self.run_info.setStyleSheet("color: #b00020;" if error else "")

    def select_run(self, run_id: int) -> None:
        """Offer this run (the one just trained); loaded when the tab is next shown."""
        if self.isVisible():
            self.refresh_runs(select=run_id)
        else:
            # Building the model and reading its weights at the end of every run would stall
            # the window for nothing while the Predict tab is not looked at.
            self._pending_run, self._stale = run_id, True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._stale:
            run_id, self._pending_run, self._stale = self._pending_run, None, False
            self.refresh_runs(select=run_id)
        super().showEvent(event)

    @property
    def predictor(self) -> Predictor | None:
        return self._predictor

    def _update_enabled(self) -> None:
        ready = self._predictor is not None and self._task is None
        self.file_button.setEnabled(ready)
        self.folder_button.setEnabled(ready)
        self.save_button.setEnabled(self._predictions is not None)
        drawable = self._predictor is not None and self._predictor.accepts_drawing
        self.canvas.setEnabled(drawable)
        self.clear_button.setEnabled(drawable)
        if self._predictor is None:
            self.drawing_note.setText(self.tr("Pick a trained run to draw for it."))
        elif drawable:
            _, height, width = self._predictor.preprocessing.image_shape  # type: ignore[misc]
            self.drawing_note.setText(
                self.tr(
                    "Your drawing is cropped, scaled to {height}×{width} and centred the way the "
                    "training images were, then normalised like them."
                ).format(height=height, width=width)
            )
        else:
            self.drawing_note.setText(
                self.tr("Drawing works with models of one-channel images, such as digits.")
            )

    # -- files ---------------------------------------------------------------------------------
    @Slot()
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Predict on a file"),
            "",
            self.tr(
                "Data files (*.csv *.npz *.png *.jpg *.jpeg *.bmp *.gif *.webp);;All files (*)"
            ),
        )
        if path:
            self.predict_path(path)

    @Slot()
    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Predict on a folder of images"))
        if path:
            self.predict_path(path)

    def predict_path(self, path: str | Path) -> None:
        """Read and predict in the background; `predictions_ready` follows."""
        if self._predictor is None or self._task is not None:
            return
        predictor = self._predictor
        self._task = Job.calling(
            partial(predictor.predict_path, path),
            expected=(DatasetError, TrainedRunError),
            name="predictThread",
            parent=self,
        )
        self._task.succeeded.connect(self._on_predicted)
        self._task.errored.connect(self._on_failed)
        self.summary.setText(self.tr("Reading and predicting {path}…").format(path=path))
        self.summary.setStyleSheet("")
        self._update_enabled()
        self._task.start()

    @Slot(object)
    def _on_predicted(self, predictions: Predictions) -> None:
        self._task = None
        self._predictions = predictions
        self.model.set_predictions(predictions)
        text = self.tr("{n} predictions.").format(n=f"{len(predictions.inputs.names):,}")
        if predictions.accuracy is not None:
            text += " " + self.tr("Accuracy against the file's own labels: {accuracy:.4f}.").format(
                accuracy=predictions.accuracy
            )
        self._summary_text = text
        self.summary.setText(text)
        self._update_enabled()
        self.predictions_ready.emit()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        # The predictions already shown stay: a bad file loses nothing.
        self._task = None
        self.summary.setText(message)
        self.summary.setStyleSheet("color: #b00020;")
        self._update_enabled()
        self.problem.emit(message)
        self.predictions_ready.emit()

    @property
    def predictions(self) -> Predictions | None:
        return self._predictions

    @Slot()
    def choose_save_path(self) -> None:
        if self._predictions is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save predictions"), "predictions.csv", self.tr("CSV file (*.csv)")
        )
        if path:
            self.save_predictions(path)

    def save_predictions(self, path: str | Path) -> Path | None:
        if self._predictions is None:
            return None
        try:
            written = self._predictions.write_csv(path)
        except OSError as error:
            self.problem.emit(
                self.tr("Cannot write {path}: {error}").format(path=path, error=error)
            )
            return None
        self.summary.setText(
            self._summary_text + " " + self.tr("Saved to {path}.").format(path=written)
        )
        return written

    # -- drawing -------------------------------------------------------------------------------
    @Slot()
    def predict_drawing(self) -> None:
        """Predict the canvas now (the timer calls this while the person draws)."""
        predictor = self._predictor
        if predictor is None or not predictor.accepts_drawing or self.canvas.is_empty():
            self._canvas_probabilities = None
            self._bars.setOpts(x=[], height=[])
            self.canvas_result.setFont(self._prompt_font)
            self.canvas_result.setText(self.tr("Draw a digit") if predictor else "")
            self.model_input.set_image(None)
            self.model_input_size.setText("")
            return
        raw = predictor.drawing_input(self.canvas.ink())
        _, height, width = predictor.preprocessing.image_shape  # type: ignore[misc]
        # The raw row is the image scaled to the data's pixel range: undo that to show it.
        self.model_input.set_image(
            raw.reshape(height, width) / max(float(predictor.preprocessing.pixel_max), 1e-12)
        )
        self.model_input_size.setText(
            self.tr("{height}×{width} pixels").format(height=height, width=width)
        )
        probabilities = predictor.probabilities(raw)[0]
        self._canvas_probabilities = probabilities
        names = shown_class_names(predictor.class_names)
        best = int(np.argmax(probabilities))
        self.canvas_result.setFont(self._answer_font)
        self.canvas_result.setText(
            self.tr("{name}  ({confidence:.0%})").format(
                name=names[best], confidence=float(probabilities[best])
            )
        )
        self._bars.setOpts(x=np.arange(len(names)), height=probabilities)
        self.bars_plot.getAxis("bottom").setTicks([list(enumerate(names))])

    def canvas_probabilities(self) -> np.ndarray | None:
        return self._canvas_probabilities
