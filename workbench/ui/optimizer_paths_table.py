"""The Optimizer paths tab's table: each optimizer shown or not, its rate and setting, its state.

A row per optimizer of the form: a tick box in the path's colour (the plot's legend), the
learning rate, the one setting that makes the optimizer what it is (momentum, RMSprop's
alpha, Adam's beta1, AdamW's decoupled decay), and, at the step shown, the distance to the
nearest minimum and the loss there.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QGridLayout, QLabel, QWidget

from workbench.config import OptimizerConfig
from workbench.playground.surfaces import BOOK_OPTIMIZERS, PALETTE_INDEX, optimizer_config
from workbench.report.palette import palette_hex
from workbench.ui.scientific_spin import ScientificSpinBox

_CONTEXT = "OptimizerPathsTable"
OPTIMIZER_NAMES = (
    ("sgd", "SGD"),
    ("momentum", "Momentum"),
    ("nesterov", "Nesterov"),
    ("adagrad", "AdaGrad"),
    ("rmsprop", "RMSprop"),
    ("adam", "Adam"),
    ("adamw", "AdamW"),
)
# (OptimizerConfig field, its label, lowest, highest, step). Adam's beta2 and the epsilons
# keep torch's defaults.
_SETTINGS = {
    "momentum": (
        "momentum",
        QT_TRANSLATE_NOOP("OptimizerPathsTable", "momentum"),
        0.0,
        0.999,
        0.05,
    ),
    "nesterov": (
        "momentum",
        QT_TRANSLATE_NOOP("OptimizerPathsTable", "momentum"),
        0.01,
        0.999,
        0.05,
    ),
    "rmsprop": ("alpha", QT_TRANSLATE_NOOP("OptimizerPathsTable", "alpha"), 0.01, 0.999, 0.01),
    "adam": ("beta1", QT_TRANSLATE_NOOP("OptimizerPathsTable", "β1"), 0.0, 0.999, 0.05),
    "adamw": ("weight_decay", QT_TRANSLATE_NOOP("OptimizerPathsTable", "decay"), 0.0, 10.0, 0.01),
}


class _Row:
    def __init__(self, table: QWidget, name: str, text: str) -> None:
        self.name = name
        self.check = QCheckBox(text, objectName=f"pathsCheck_{name}")
        # The path's colour: the tick boxes are the plot's legend.
        self.check.setStyleSheet(
            f"QCheckBox {{ color: {palette_hex(PALETTE_INDEX[name])}; font-weight: bold; }}"
        )
        self.check.setChecked(name in BOOK_OPTIMIZERS)
        self.check.setToolTip(
            QCoreApplication.translate("OptimizerTable", "Walk this optimizer down the function.")
        )
        self.lr = ScientificSpinBox(objectName=f"pathsLr_{name}")
        self.lr.setRange(1e-6, 100.0)
        self.lr.setMinimumWidth(self.lr.fontMetrics().horizontalAdvance("0.00015") + 32)
        self.lr.setToolTip(
            QCoreApplication.translate(
                "OptimizerTable", "Its learning rate. Each function starts with rates that suit it."
            )
        )
        self.setting_label = QLabel()
        self.setting: QDoubleSpinBox | None = None
        if name in _SETTINGS:
            _, label, low, high, step = _SETTINGS[name]
            self.setting_label.setText(QCoreApplication.translate(_CONTEXT, label))
            self.setting = QDoubleSpinBox(objectName=f"pathsSetting_{name}", decimals=3)
            self.setting.setRange(low, high)
            self.setting.setSingleStep(step)
            self.setting.setToolTip(
                QCoreApplication.translate(
                    "OptimizerTable", "This optimizer's own setting, as in the form."
                )
            )
            self.setting_label.setBuddy(self.setting)
        self.distance = QLabel(objectName=f"pathsDistance_{name}")
        self.loss = QLabel(objectName=f"pathsLoss_{name}")
        for label in (self.distance, self.loss):
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            label.setMinimumWidth(56)

    def reset(self, function: str) -> None:
        """The function's rate, and the optimizer's own setting as a path starts with it."""
        defaults = optimizer_config(self.name, function)
        self.lr.setValue(defaults.lr)
        if self.setting is not None:
            key = _SETTINGS[self.name][0]
            self.setting.setValue(defaults.betas[0] if key == "beta1" else getattr(defaults, key))

    def config(self, function: str) -> OptimizerConfig:
        settings: dict[str, Any] = {"lr": self.lr.value()}
        if self.setting is not None:
            key, value = _SETTINGS[self.name][0], self.setting.value()
            settings.update({"betas": (value, 0.999)} if key == "beta1" else {key: value})
        return optimizer_config(self.name, function, **settings)

    def inputs(self) -> list[QWidget]:
        return [self.check, self.lr] + ([self.setting] if self.setting is not None else [])


class OptimizerTable(QWidget):
    """The optimizers' rows; `changed` when a tick, a rate or a setting changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pathsTable")
        names = [(key, QCoreApplication.translate(_CONTEXT, text)) for key, text in OPTIMIZER_NAMES]
        self._rows = {name: _Row(self, name, text) for name, text in names}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(1)
        self.distance_header = QLabel(self.tr("Distance"))
        headers = [
            QLabel(self.tr("Optimizer")),
            QLabel(self.tr("Rate")),
            QLabel(self.tr("Setting")),
        ]
        headers += [self.distance_header, QLabel(self.tr("Loss"))]
        # Columns: tick box, rate, the setting's name and its box (one header), distance, loss.
        for column, header in zip((0, 1, 2, 4, 5), headers, strict=True):
            header.setStyleSheet("font-weight: bold;")
            if column >= 4:  # over right-aligned numbers
                header.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(header, 0, column, 1, 2 if column == 2 else 1)
        for row, line in enumerate(self._rows.values(), start=1):
            grid.addWidget(line.check, row, 0)
            grid.addWidget(line.lr, row, 1)
            grid.addWidget(line.setting_label, row, 2)
            if line.setting is not None:
                grid.addWidget(line.setting, row, 3)
            grid.addWidget(line.distance, row, 4)
            grid.addWidget(line.loss, row, 5)
            line.check.toggled.connect(self.changed)
            line.lr.valueChanged.connect(self.changed)
            if line.setting is not None:
                line.setting.valueChanged.connect(self.changed)
        grid.setColumnStretch(6, 1)  # the spare width right of the numbers, not between

    def row(self, name: str) -> _Row:
        return self._rows[name]

    def checked(self) -> list[str]:
        return [name for name, row in self._rows.items() if row.check.isChecked()]

    def set_checked(self, names: list[str]) -> None:
        for name, row in self._rows.items():
            row.check.setChecked(name in names)

    def configs(self, function: str) -> tuple[OptimizerConfig, ...]:
        """The ticked optimizers' configs; PathsError names a bad setting."""
        return tuple(row.config(function) for row in self._rows.values() if row.check.isChecked())

    def reset(self, function: str, has_minimum: bool) -> None:
        """The function's rates, quietly: the caller computes once afterwards."""
        widgets = [widget for row in self._rows.values() for widget in row.inputs()]
        for widget in widgets:
            widget.blockSignals(True)
        for row in self._rows.values():
            row.reset(function)
        for widget in widgets:
            widget.blockSignals(False)
        self.distance_header.setText(self.tr("Distance") if has_minimum else self.tr("From saddle"))
        self.distance_header.setToolTip(
            self.tr("How far the path is from the nearest minimum.")
            if has_minimum
            else self.tr("The saddle has no minimum: how far the path is from its saddle point.")
        )

    def show_values(self, name: str, distance: str, loss: str) -> None:
        row = self._rows[name]
        row.distance.setText(distance)
        row.loss.setText(loss)
