"""A spin box for rates and penalties that span decades: 1e-08 is shown as 1e-08, not 0.000000.

QDoubleSpinBox rounds to its `decimals` and shows every one of them: a weight decay of 3e-7
(searched on a log scale from 1e-8) became 0.000000 in a six-decimal box. This one keeps 15
decimals, shows four significant digits (`%g`: 0.001, 3e-07), reads any float the person
types, and steps by doubling or halving, as rates are tuned by factors, not by 0.000001.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QWidget

_DECIMALS = 15  # below float32's smallest normal numbers that matter here (1e-10 epsilons)
_FIRST_STEP_UP = 1e-6  # stepping up from 0 starts here: the low end of the usual ranges


class ScientificSpinBox(QDoubleSpinBox):
    """A QDoubleSpinBox that shows `%.4g` and steps by factors of two."""

    def __init__(self, parent: QWidget | None = None, *, objectName: str = "") -> None:  # noqa: N803
        super().__init__(parent)
        if objectName:
            self.setObjectName(objectName)
        self.setDecimals(_DECIMALS)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt's name
        return f"{value:.4g}"

    def valueFromText(self, text: str) -> float:  # noqa: N802
        try:
            return float(text.strip())
        except ValueError:
            return self.value()

    def validate(self, text: str, position: int) -> object:
        stripped = text.strip()
        try:
            value = float(stripped)
        except ValueError:
            # "1e-", "-", "" and "." are on their way to a number: let the person go on.
            partial = stripped == "" or stripped[-1] in "eE-+." and stripped.count("e") <= 1
            state = QValidator.State.Intermediate if partial else QValidator.State.Invalid
            return state, text, position
        if not math.isfinite(value) or not self.minimum() <= value <= self.maximum():
            return QValidator.State.Intermediate, text, position
        return QValidator.State.Acceptable, text, position

    def stepBy(self, steps: int) -> None:  # noqa: N802
        value = self.value()
        if value <= 0:
            value = _FIRST_STEP_UP if steps > 0 else 0.0
            steps = max(0, steps - 1)
        self.setValue(min(self.maximum(), max(self.minimum(), value * 2.0**steps)))
