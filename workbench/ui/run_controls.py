"""The buttons under the form: Train and Stop, Compare (by what, at which rates), Evaluate, Export.

The widget holds the buttons and the comparison's choices (what varies, the learning rate each
optimizer races with); the window connects the buttons to the training controller.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from workbench.runs.compare import RACE_LEARNING_RATES, VALUE_AXES
from workbench.ui.axis_values import AxisValuesDialog, axis_texts, default_text
from workbench.ui.race_rates import RaceRatesDialog


class RunControls(QWidget):
    """Three rows of buttons, always in view under the form."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runControls")
        # The learning rate each optimizer races with (the book's until the user edits them).
        self.race_rates = dict(RACE_LEARNING_RATES)
        # The values last compared along each axis that takes values, as typed.
        self.axis_values = {by: default_text(by) for by in axis_texts()}

        self.train_button = QPushButton(self.tr("Train"), objectName="trainButton")
        self.train_button.setDefault(True)
        self.train_button.setToolTip(self.tr("Start training (Ctrl+Enter)"))
        self.stop_button = QPushButton(self.tr("Stop"), objectName="stopButton")
        self.stop_button.setToolTip(self.tr("Stop after the current batch (Ctrl+.)"))
        self.compare_button = QPushButton(self.tr("Compare"), objectName="compareOptimizersButton")
        self.compare_button.setToolTip(
            self.tr(
                "Train one run per variant, from the same initial weights and batch order, "
                "and overlay them in the Runs tab"
            )
        )
        self.compare_by = QComboBox(objectName="compareByCombo")
        for key, text, detail in (
            (
                "optimizer",
                self.tr("optimizers"),
                self.tr("SGD, Momentum, AdaGrad, RMSprop, Adam, each with its own learning rate"),
            ),
            ("init", self.tr("initialisations"), self.tr("normal std 0.01, Xavier, He")),
            ("batchnorm", self.tr("batch norm"), self.tr("without and with batch norm")),
            # Settings compared at values the person lists (asked when Compare is pressed).
            *((key, name, detail) for key, (name, detail) in axis_texts().items()),
        ):
            self.compare_by.addItem(text, key)
            self.compare_by.setItemData(
                self.compare_by.count() - 1, detail, Qt.ItemDataRole.ToolTipRole
            )
        self.race_rates_button = QPushButton(self.tr("Rates…"), objectName="raceRatesButton")
        self.race_rates_button.setToolTip(
            self.tr("The learning rate each optimizer races with (the book's by default)")
        )
        self.evaluate_button = QPushButton(
            self.tr("Evaluate on test set"), objectName="evaluateTestButton"
        )
        self.evaluate_button.setToolTip(
            self.tr(
                "Evaluate the last run's model on the test set (Ctrl+T). Do it once, for the "
                "model you have chosen: runs and comparisons while you explore use the "
                "validation data only."
            )
        )
        self.export_button = QPushButton(self.tr("Export report…"), objectName="exportReportButton")
        self.export_button.setToolTip(
            self.tr("Save the last run's test report as HTML, PDF, JSON or CSV (Ctrl+E)")
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for row in (
            (self.train_button, self.stop_button),
            (self.compare_button, self.compare_by, self.race_rates_button),
            (self.evaluate_button, self.export_button),
        ):
            line = QHBoxLayout()
            for widget in row:
                line.addWidget(widget, stretch=1 if widget is not self.race_rates_button else 0)
            layout.addLayout(line)

        self.race_rates_button.clicked.connect(self.edit_race_rates)
        self.compare_by.currentIndexChanged.connect(self._on_compare_by_changed)

    def compare_key(self) -> str:
        """What a comparison varies: "optimizer", "init", "batchnorm" or a value axis."""
        return self.compare_by.currentData()

    def ask_values(self) -> tuple | None:
        """For an axis that takes values, the values to compare (asked); None: cancelled.

        An axis without values gives the empty tuple.
        """
        by = self.compare_key()
        if by not in VALUE_AXES:
            return ()
        dialog = AxisValuesDialog(by, self.axis_values[by], self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        self.axis_values[by] = dialog.text()
        return dialog.values()

    @Slot()
    def edit_race_rates(self) -> None:
        """Let the user set the learning rate each optimizer races with."""
        dialog = RaceRatesDialog(self.race_rates, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.race_rates = dialog.rates()

    @Slot()
    def _on_compare_by_changed(self) -> None:
        self.race_rates_button.setVisible(self.compare_by.currentData() == "optimizer")
