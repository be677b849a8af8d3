"""The values a comparison tries along one setting (learning rates, dropout, ...), edited first.

The Compare combo's axes that take values (`workbench.runs.compare.VALUE_AXES`, as
`workbench compare --by AXIS --values A,B,...`) each start from their defaults; "Values…"
opens this dialog, which reads the values as the command line does and says what is wrong
with them before anything trains.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.runs.compare import VALUE_AXES, WARMUP_SUFFIX, ValuesError, parse_values

translate = QCoreApplication.translate


# (name in the Compare combo, what each variant changes) per axis; batch_size has its own
# dialog (Run > Compare mini-batch sizes…), with each size's steps per epoch.
def axis_texts() -> dict[str, tuple[str, str]]:
    """The value axes the Compare combo offers, with their names and what they change."""
    return {
        "lr": (
            translate("AxisValues", "learning rates"),
            translate(
                "AxisValues", "The optimizer's learning rate: too small, about right, too large"
            ),
        ),
        "activation": (
            translate("AxisValues", "activations"),
            translate("AxisValues", "The activation function of every layer with weights"),
        ),
        "weight_scale": (
            translate("AxisValues", "weight scales"),
            translate(
                "AxisValues",
                "Initial weights drawn from a normal distribution of each standard deviation",
            ),
        ),
        "weight_decay": (
            translate("AxisValues", "weight decay"),
            translate("AxisValues", "L2 regularisation (weight decay) of every weight"),
        ),
        "l1": (
            translate("AxisValues", "L1 penalties"),
            translate("AxisValues", "L1 regularisation of every weight"),
        ),
        "dropout": (
            translate("AxisValues", "dropout"),
            translate(
                "AxisValues", "Dropout with each rate after every layer with weights (0: none)"
            ),
        ),
        "schedule": (
            translate("AxisValues", "schedules"),
            translate(
                "AxisValues", "How the learning rate changes over the run, with or without warm-up"
            ),
        ),
        "epochs": (
            translate("AxisValues", "epochs"),
            translate("AxisValues", "How many epochs the run trains"),
        ),
        "train_limit": (
            translate("AxisValues", "training samples"),
            translate(
                "AxisValues", "How many training samples the run learns from ('all': every one)"
            ),
        ),
    }


def default_text(by: str) -> str:
    """The axis' default values as a person types them: "1e-05, 0.001, 1"."""
    return ", ".join(_value_text(value) for value in VALUE_AXES[by].defaults)


def _value_text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class AxisValuesDialog(QDialog):
    """One line of values for an axis, checked as they are typed."""

    def __init__(self, by: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("axisValuesDialog")
        self._by = by
        name, detail = axis_texts()[by]
        self.setWindowTitle(self.tr("Compare {axis}").format(axis=name))
        what = QLabel(f"<b>{detail}</b>", objectName="axisValuesDetail")
        what.setWordWrap(True)
        intro = QLabel(
            self.tr(
                "The model in the form is trained once per value, from the same initial "
                "weights and the same order of samples, and the runs are overlaid in the Runs "
                "tab. The test set is not used."
            )
        )
        intro.setWordWrap(True)
        self.edit = QLineEdit(text, objectName="axisValuesEdit")
        hint = self.tr("Values separated by commas, e.g. {example}").format(
            example=default_text(by)
        )
        if by == "schedule":
            hint += self.tr(" ({suffix} adds a warm-up)").format(suffix=WARMUP_SUFFIX)
        self.edit.setToolTip(hint)
        self.edit.setPlaceholderText(default_text(by))
        form = QFormLayout()
        form.addRow(self.tr("&Values:"), self.edit)
        self.problem = QLabel(objectName="axisValuesProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Compare"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            lambda: self.edit.setText(default_text(by))
        )
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(intro)
        layout.addLayout(form)
        hint_label = QLabel(hint)
        hint_label.setWordWrap(True)
        layout.addWidget(hint_label)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.edit.textChanged.connect(self._check)
        self._check()

    def values(self) -> tuple:
        """The values typed, parsed (call once the dialog is accepted)."""
        return parse_values(self._by, self.edit.text())

    def text(self) -> str:
        return self.edit.text()

    @Slot()
    def _check(self) -> None:
        try:
            parse_values(self._by, self.edit.text())
        except ValuesError as error:
            self.problem.setText(error.detail)
            ok = False
        else:
            self.problem.setText("")
            ok = True
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
