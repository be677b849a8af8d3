"""Results panel: the test-set metrics and confusion matrix of the finished run.

Both tables are as tall as their rows (a 10 x 10 matrix shows all ten rows, not a scrolled
window of three), and the panel's content scrolls as a whole when the window is too small.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.config import Experiment
from workbench.core import RunResult, RunStatus, TestMetrics
from workbench.ui.class_names import shown_class_names
from workbench.ui.examples_dialog import ExamplesDialog
from workbench.ui.run_summary import describe_end


def _item(text: str, align_right: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


# A matrix of more classes than this scrolls inside its own table (a hundred rows would push
# everything else away); up to this many, every row shows.
MAX_SHOWN_CLASSES = 20


def _fit_to_rows(table: QTableWidget, max_rows: int, fit_columns: bool = False) -> None:
    """Size `table` to its header, its first `max_rows` rows and its columns.

    Then no scroll bar of its own hides a row while the panel has room for them.

    Args:
        table: The table to size.
        max_rows: The most rows shown; past that the table scrolls.
        fit_columns: Resize the columns to their contents first (they hold new values).
    """
    if fit_columns:
        table.resizeColumnsToContents()
    frame = 2 * table.frameWidth()
    header = table.horizontalHeader().sizeHint().height()
    shown = min(table.rowCount(), max_rows)
    rows = sum(table.rowHeight(row) for row in range(shown))
    scrolls = table.rowCount() > max_rows
    table.setVerticalScrollBarPolicy(
        Qt.ScrollBarPolicy.ScrollBarAsNeeded if scrolls else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    )
    width = table.verticalHeader().sizeHint().width() + frame
    width += sum(table.columnWidth(column) for column in range(table.columnCount()))
    if scrolls:
        width += table.verticalScrollBar().sizeHint().width()
    table.setFixedHeight(header + rows + frame)
    table.setFixedWidth(min(width, 720))


class ResultsPanel(QGroupBox):
    """Shows `TestMetrics`; empty with a hint until a run has ended."""

    # Test results have just been shown (the run ended with a test evaluation): a tabbed
    # layout brings them forward.
    results_shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsPanel")
        self.setTitle(self.tr("Test set (evaluated once, for the model you choose)"))
        self._message = QLabel(objectName="resultsMessage")
        self._message.setWordWrap(True)
        self._metrics = QTableWidget(8, 1, objectName="testMetricsTable")
        self._metrics.setHorizontalHeaderLabels([self.tr("value")])
        self._metrics.setVerticalHeaderLabels(
            [
                self.tr("loss"),
                self.tr("accuracy"),
                self.tr("precision (macro)"),
                self.tr("recall (macro)"),
                self.tr("F1 (macro)"),
                self.tr("F1 (weighted)"),
                self.tr("top-k accuracy"),
                self.tr("ROC-AUC"),
            ]
        )
        self._metrics.verticalHeaderItem(6).setToolTip(
            self.tr("The share of samples whose true class is among the k most likely.")
        )
        self._metrics.verticalHeaderItem(7).setToolTip(
            self.tr("Area under the ROC curve; for two classes only.")
        )
        # A value column as wide as "0.9999" and a little more: the confusion matrix beside it
        # needs the width more.
        self._metrics.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._metrics.setColumnWidth(0, self.fontMetrics().horizontalAdvance("0.00000") + 12)
        self._metrics.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._metrics.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self._confusion = QTableWidget(objectName="confusionMatrixTable")
        self._confusion.setToolTip(self.tr("Rows: true class. Columns: predicted class."))
        # Wide enough for "1,234": a stretched column would elide large counts to "1...".
        self._confusion.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        # Compact rows so a 10 x 10 matrix fits without scrolling.
        for header in (self._confusion.verticalHeader(), self._metrics.verticalHeader()):
            header.setMinimumSectionSize(16)
            header.setDefaultSectionSize(20)
        self._confusion.horizontalHeader().setMinimumSectionSize(16)

        self._confusion.setToolTip(
            self.tr(
                "Rows: true class. Columns: predicted class. Double-click a cell to see its "
                "test examples."
            )
        )
        self._confusion.cellDoubleClicked.connect(self.show_cell_examples)
        self._warning = QLabel(objectName="testSeenWarning")
        self._warning.setWordWrap(True)
        self._warning.setStyleSheet(
            "background: #fff3cd; color: #664d03; border: 1px solid #e0c36a; padding: 4px;"
        )
        self._warning.hide()
        self._mistakes_button = QPushButton(
            self.tr("Show mistakes…"), objectName="showMistakesButton"
        )
        self._mistakes_button.setToolTip(
            self.tr("The test images the model got wrong most confidently")
        )
        self._mistakes_button.clicked.connect(self.show_mistakes)
        self._roc = pg.PlotWidget(objectName="rocPlot")
        self._roc.setBackground("w")
        self._roc.setLabel("bottom", self.tr("false positive rate"))
        self._roc.setLabel("left", self.tr("true positive rate"))
        self._roc.setXRange(0, 1)
        self._roc.setYRange(0, 1)
        # Square and small: beside the metrics and a 2 x 2 matrix in a 640-pixel-wide tab.
        self._roc.setFixedSize(230, 220)
        self._roc_curve = self._roc.plot([], [], pen=pg.mkPen("#3f6fb5", width=2))
        self._roc.plot([0, 1], [0, 1], pen=pg.mkPen("#999999", style=Qt.PenStyle.DashLine))
        self._roc.hide()
        # What the last run predicted for each test sample, for the example grids.
        self._predictions: Any = None
        self._image_shape: tuple[int, int, int] | None = None
        self._class_names: tuple[str, ...] = ()
        self._dialog: ExamplesDialog | None = None

        # Each block as wide as it needs, from the left; the spare width stays on the right.
        tables = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self._metrics)
        left.addWidget(self._mistakes_button)
        left.addStretch(1)
        tables.addLayout(left)
        tables.addWidget(self._roc, alignment=Qt.AlignmentFlag.AlignTop)
        confusion_box = QVBoxLayout()
        # Two short lines, not one long one: the label must not be wider than a 2 x 2 matrix.
        confusion_box.addWidget(QLabel(self.tr("Confusion matrix\nrows true, columns predicted")))
        confusion_box.addWidget(self._confusion)
        confusion_box.addStretch(1)
        tables.addLayout(confusion_box)
        tables.addStretch(1)
        content = QWidget(objectName="resultsContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._message)
        layout.addWidget(self._warning)
        layout.addLayout(tables)
        layout.addStretch(1)
        # One scroll area round everything: in a small window the user scrolls the panel,
        # instead of each table showing a few rows of its own.
        self.scroll_area = QScrollArea(objectName="resultsScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(self.scroll_area)
        _fit_to_rows(self._metrics, self._metrics.rowCount())
        self.clear(self.tr("Train a model to see its test metrics here."))

    def clear(self, message: str) -> None:
        for row in range(self._metrics.rowCount()):
            self._metrics.setItem(row, 0, _item("–"))
        self._confusion.setRowCount(0)
        self._confusion.setColumnCount(0)
        _fit_to_rows(self._confusion, MAX_SHOWN_CLASSES)
        self._confusion.hide()  # empty, its frame was a stray dot under its title
        self._warning.hide()
        self._roc.hide()
        self._predictions = None
        self._mistakes_button.setEnabled(False)
        self.show_message(message)

    def show_training(self) -> None:
        """A run has started: what it is judged on, and that the test set waits."""
        self.clear(
            self.tr(
                "Training on the training data, judged on the validation data. The test set "
                "is left alone until you press Evaluate on test set (Ctrl+T)."
            )
        )

    def show_run_end(self, result: RunResult, experiment: Experiment, testable: bool) -> None:
        """How a run ended; its test results if it was tested, else how to test it.

        `testable`: its weights may be evaluated on the test set now (Evaluate on test set).
        """
        if result.test is not None:  # a final run, tested at its end
            self.show_tested(result, experiment, 1)
            return
        end = describe_end(result, experiment)
        failed = result.status == RunStatus.FAILED
        self.clear(end)
        untested = self.tr(
            "The test set was not used. When this is your final model, press Evaluate on "
            "test set (Ctrl+T): that is the one look at the test set that counts."
        )
        self.show_message(end if failed or not testable else end + " " + untested, error=failed)

    def show_tested(self, result: RunResult, experiment: Experiment, seen: int) -> None:
        """A run's test metrics, the weights tested, and `seen`: looks at this test set."""
        assert result.test is not None
        self.show_metrics(result.test)
        if result.weights_kept == "best":
            weights = self.tr("Tested with the weights of the best epoch ({epoch}).")
        else:
            weights = self.tr("Tested with the weights of the last epoch ({epoch}).")
        self.show_message(
            describe_end(result, experiment) + " " + weights.format(epoch=result.weights_epoch)
        )
        preprocessing = result.preprocessing
        self.show_evaluation(
            result.predictions,
            preprocessing.class_names if preprocessing else (),
            preprocessing.image_shape if preprocessing else None,
            seen,
        )

    def show_message(self, message: str, error: bool = False) -> None:
        self._message.setText(message)
        self._message.setStyleSheet("color: #b00020;" if error else "")

    def show_metrics(self, metrics: TestMetrics) -> None:
        values = (
            f"{metrics.loss:.4f}",
            f"{metrics.accuracy:.4f}",
            f"{metrics.precision_macro:.4f}",
            f"{metrics.recall_macro:.4f}",
            f"{metrics.f1_macro:.4f}",
            f"{metrics.f1_weighted:.4f}",
            f"{metrics.top_k_accuracy:.4f}",
            "–" if metrics.roc_auc is None else f"{metrics.roc_auc:.4f}",
        )
        self._metrics.verticalHeaderItem(6).setText(
            self.tr("top-{k} accuracy").format(k=metrics.top_k)
        )
        for row, text in enumerate(values):
            self._metrics.setItem(row, 0, _item(text))
        labels = list(shown_class_names(c.label for c in metrics.per_class))
        size = len(labels)
        self._confusion.show()
        self._confusion.setRowCount(size)
        self._confusion.setColumnCount(size)
        self._confusion.setHorizontalHeaderLabels(labels)
        self._confusion.setVerticalHeaderLabels(labels)
        largest = max((max(row) for row in metrics.confusion_matrix), default=1) or 1
        for i, row in enumerate(metrics.confusion_matrix):
            for j, count in enumerate(row):
                item = _item(f"{count:,}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if count:
                    # Darker cells hold more samples; the diagonal is what was right.
                    shade = int(235 - 150 * count / largest)
                    colour = QColor(shade, shade, 255) if i == j else QColor(255, shade, shade)
                    item.setBackground(QBrush(colour))
                self._confusion.setItem(i, j, item)
        _fit_to_rows(self._confusion, MAX_SHOWN_CLASSES, fit_columns=True)

        roc = metrics.roc_curve
        self._roc.setVisible(roc is not None)
        if roc is not None:
            self._roc_curve.setData(roc["fpr"], roc["tpr"])
            self._roc.setTitle(
                self.tr("ROC curve, AUC {auc:.3f}").format(auc=metrics.roc_auc), size="9pt"
            )
        self.results_shown.emit()

    def show_evaluation(
        self,
        predictions: Any,
        class_names: tuple[str, ...],
        image_shape: tuple[int, int, int] | None,
        test_evaluations: int,
    ) -> None:
        """Keep the test predictions for the example grids; warn when the test set is reused."""
        self._predictions = predictions
        self._class_names = shown_class_names(class_names)
        self._image_shape = image_shape
        images = predictions is not None and image_shape is not None
        self._mistakes_button.setEnabled(bool(images and len(predictions.worst_indices)))
        self._warning.setVisible(test_evaluations > 1)
        self._warning.setText(
            self.tr(
                "This test set has now been evaluated {n} times. Choosing hyperparameters after "
                "seeing test results makes them look better than they are: tune on validation "
                "data, and look at the test set once."
            ).format(n=test_evaluations)
        )

    def test_seen_warning(self) -> str | None:
        """The warning text when shown, for tests."""
        return self._warning.text() if self._warning.isVisibleTo(self) else None

    def roc_shown(self) -> bool:
        return self._roc.isVisibleTo(self)

    def _caption(self, index: int) -> str:
        row = self._predictions.probabilities[index]
        predicted = int(np.argmax(row))
        true = int(self._predictions.labels[index])
        return self.tr("{true} → {predicted}, {confidence:.0%}").format(
            true=self._class_names[true],
            predicted=self._class_names[predicted],
            confidence=float(row[predicted]),
        )

    def _images(self, indices: np.ndarray, inputs: np.ndarray) -> np.ndarray:
        assert self._image_shape is not None
        return np.asarray(inputs, dtype=np.float32).reshape(len(indices), *self._image_shape)

    @Slot()
    def show_mistakes(self) -> ExamplesDialog | None:
        """The most confidently wrong test images: true class → predicted, confidence."""
        p = self._predictions
        if p is None or self._image_shape is None:
            return None
        indices = np.asarray(p.worst_indices)
        return self._open(
            self.tr("Most confident mistakes"),
            self._images(indices, p.worst_inputs),
            [self._caption(i) for i in indices],
            self.tr("Each caption: true class → predicted class, and the model's confidence."),
        )

    @Slot(int, int)
    def show_cell_examples(self, true: int, predicted: int) -> ExamplesDialog | None:
        """The test examples of one confusion-matrix cell (the run just trained)."""
        p = self._predictions
        if p is None or self._image_shape is None or p.inputs is None:
            return None
        chosen = np.flatnonzero(
            (np.asarray(p.labels) == true) & (p.probabilities.argmax(axis=1) == predicted)
        )
        if not len(chosen):
            return None
        names = self._class_names
        return self._open(
            self.tr("True {true}, predicted {predicted}").format(
                true=names[true], predicted=names[predicted]
            ),
            self._images(chosen, p.inputs[chosen]),
            [self._caption(i) for i in chosen],
            self.tr("{n} test samples of class {true} predicted as {predicted}.").format(
                n=len(chosen), true=names[true], predicted=names[predicted]
            ),
        )

    def _open(self, title, images, captions, note) -> ExamplesDialog:
        if self._dialog is not None:
            self._dialog.close()
        self._dialog = ExamplesDialog(title, images, captions, note, self)
        self._dialog.show()
        return self._dialog

    def metric_texts(self) -> list[str]:
        """The eight figures as shown, top to bottom."""
        return [self._metrics.item(row, 0).text() for row in range(self._metrics.rowCount())]
