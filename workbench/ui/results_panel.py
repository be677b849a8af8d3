"""Results panel: the test-set metrics and confusion matrix of the finished run."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core import TestMetrics


def _item(text: str, align_right: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class ResultsPanel(QGroupBox):
    """Shows `TestMetrics`; empty with a hint until a run has ended."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsPanel")
        self.setTitle(self.tr("Test set (evaluated once, when the run ends)"))
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
        self._metrics.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._metrics.setMaximumWidth(260)
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

        tables = QHBoxLayout()
        tables.addWidget(self._metrics)
        confusion_box = QVBoxLayout()
        confusion_box.addWidget(QLabel(self.tr("Confusion matrix (rows true, columns predicted)")))
        confusion_box.addWidget(self._confusion)
        tables.addLayout(confusion_box, stretch=1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._message)
        layout.addLayout(tables)
        self.clear(self.tr("Train a model to see its test metrics here."))

    def clear(self, message: str) -> None:
        for row in range(self._metrics.rowCount()):
            self._metrics.setItem(row, 0, _item("–"))
        self._confusion.setRowCount(0)
        self._confusion.setColumnCount(0)
        self.show_message(message)

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
        labels = [c.label for c in metrics.per_class]
        size = len(labels)
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

    def metric_texts(self) -> list[str]:
        """The five figures as shown, top to bottom."""
        return [self._metrics.item(row, 0).text() for row in range(self._metrics.rowCount())]
