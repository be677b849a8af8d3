"""The learning rate each optimizer races with, edited before an optimizer race."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.runs.compare import OPTIMIZERS_RACED, RACE_LEARNING_RATES
from workbench.ui.scientific_spin import ScientificSpinBox

_NAMES = {
    "sgd": "SGD",
    "momentum": "Momentum",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSprop",
    "adam": "Adam",
}


class RaceRatesDialog(QDialog):
    """One learning-rate field per raced optimizer, filled with the current rates."""

    def __init__(self, rates: Mapping[str, float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("raceRatesDialog")
        self.setWindowTitle(self.tr("Learning rates for the optimizer race"))
        note = QLabel(
            self.tr(
                "Each optimizer races with a rate that suits its update rule. The defaults "
                "are the book's (SGD, Momentum, AdaGrad and RMSprop 0.01, Adam 0.001)."
            )
        )
        note.setWordWrap(True)
        form = QFormLayout()
        self._spins: dict[str, ScientificSpinBox] = {}
        for name in OPTIMIZERS_RACED:
            spin = ScientificSpinBox(objectName=f"raceRate_{name}")
            spin.setRange(1e-9, 100.0)
            spin.setValue(float(rates.get(name, RACE_LEARNING_RATES[name])))
            form.addRow(self.tr("{optimizer} learning rate").format(optimizer=_NAMES[name]), spin)
            self._spins[name] = spin
        reset = QPushButton(self.tr("Book's rates"), objectName="raceRatesResetButton")
        reset.clicked.connect(self.reset)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.addButton(reset, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def reset(self) -> None:
        for name, spin in self._spins.items():
            spin.setValue(RACE_LEARNING_RATES[name])

    def rates(self) -> dict[str, float]:
        return {name: spin.value() for name, spin in self._spins.items()}
