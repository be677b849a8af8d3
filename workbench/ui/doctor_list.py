"""The run doctor's findings under the curves: what it saw, which technique to try, Apply.

A short list, most serious first, updated after every epoch. Apply puts the suggested change
into the form for the next run; it never touches the run that is going.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.core.doctor import Diagnosis

_COLOURS = {"problem": "#b00020", "warning": "#a15c00", "info": "#1f5fa8"}
# Lines of text the list shows without scrolling: a finding and a half in a laptop's centre
# column (a sixth line made the window taller than a 1280x720 screen allows).
_VISIBLE_LINES = 5


class DoctorList(QWidget):
    """The findings of the run doctor, each with Apply when it is a form change."""

    # The changes of the finding whose Apply was pressed: {experiment key path: value}.
    apply_requested = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runDoctor")
        self._diagnoses: list[Diagnosis] = []
        self._texts: list[QLabel] = []  # each row's text, in the order of `_diagnoses`
        self._rows = QVBoxLayout()
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(2)
        inner = QWidget()
        inner.setLayout(self._rows)
        self._scroll = QScrollArea()
        self._scroll.setWidget(inner)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._title = QLabel(objectName="runDoctorTitle")
        # Said in the list's place until the doctor has something to say.
        self._placeholder = QLabel(
            self.tr(
                "After each epoch the run doctor reads the curves and the looks inside the "
                "network, and names what it sees (overfitting, a learning rate too high, "
                "saturated or dead units, ...) with the technique to try."
            ),
            objectName="runDoctorPlaceholder",
        )
        self._placeholder.setWordWrap(True)
        self._placeholder.setStyleSheet("color: #555")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # The list keeps one height whatever it holds: findings appearing or going mid-run
        # made the curves above shrink and grow, and each time every plot was laid out and
        # repainted whole on the window's thread. More findings than fit scroll.
        self._scroll.setFixedHeight(self.fontMetrics().lineSpacing() * _VISIBLE_LINES + 4)
        self._placeholder.setFixedHeight(self._scroll.height())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._title)
        layout.addWidget(self._placeholder)
        layout.addWidget(self._scroll)
        self.set_diagnoses([])

    def set_diagnoses(self, diagnoses: Sequence[Diagnosis]) -> None:
        """Show these findings (most serious first, as the doctor sorts them)."""
        diagnoses = list(diagnoses)
        if diagnoses == self._diagnoses and self._rows.count():
            return  # the same verdict as last epoch: nothing to do
        if [_shape(d) for d in diagnoses] == [_shape(d) for d in self._diagnoses] and (
            self._rows.count()
        ):
            # The same findings with new numbers (most epochs): new texts in the rows there
            # are. Rebuilding the rows relaid the Training page out every epoch, which cost
            # the window's thread (and so the training thread, through the GIL) ~10 ms each.
            self._diagnoses = diagnoses
            for label, diagnosis in zip(self._texts, diagnoses, strict=True):
                label.setText(self._text(diagnosis))
            return
        self._diagnoses = diagnoses
        self._texts = []
        while self._rows.count():
            item = self._rows.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        self._title.setText(
            self.tr("Run doctor: nothing to report.")
            if not self._diagnoses
            else self.tr("Run doctor:")
        )
        for diagnosis in self._diagnoses:
            self._rows.addWidget(self._row(diagnosis))
        self._rows.addStretch(1)
        # Hide before showing: showing a widget lays its parent out at once, and with both
        # shown for that moment the curves above shrank and grew back (every plot laid out
        # and its axes redrawn twice on the window's thread, once per run).
        if self._diagnoses:
            self._placeholder.setVisible(False)
            self._scroll.setVisible(True)
        else:
            self._scroll.setVisible(False)
            self._placeholder.setVisible(True)

    def diagnoses(self) -> list[Diagnosis]:
        return list(self._diagnoses)

    def _text(self, diagnosis: Diagnosis) -> str:
        words = {"problem": self.tr("Problem"), "warning": self.tr("Warning")}
        word = words.get(diagnosis.severity, self.tr("Note"))
        colour = _COLOURS.get(diagnosis.severity, _COLOURS["info"])
        return f'<b style="color:{colour}">{word}</b> ' + self.tr("{evidence} {suggestion}").format(
            evidence=_escape(diagnosis.evidence), suggestion=_escape(diagnosis.suggestion)
        )

    def _row(self, diagnosis: Diagnosis) -> QWidget:
        row = QWidget(objectName=f"doctor_{diagnosis.id}")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(2, 0, 2, 0)
        text = QLabel()
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setText(self._text(diagnosis))
        self._texts.append(text)
        text.setToolTip(diagnosis.id)
        text.setMinimumWidth(120)  # wraps in a narrow column instead of widening the window
        layout.addWidget(text, stretch=1)
        if diagnosis.changes:
            button = QPushButton(self.tr("Apply"), objectName="doctorApplyButton")
            button.setToolTip(
                self.tr("Put this change into the form for the next run: {changes}").format(
                    changes=_changes_text(diagnosis.changes)
                )
            )
            changes = dict(diagnosis.changes)
            button.clicked.connect(lambda: self.apply_requested.emit(changes))
            layout.addWidget(button, alignment=Qt.AlignmentFlag.AlignTop)
        return row


def _shape(diagnosis: Diagnosis) -> tuple[str, str, str]:
    """What decides a row's widgets: which finding, how serious, what Apply would change."""
    return diagnosis.id, diagnosis.severity, repr(sorted((diagnosis.changes or {}).items()))


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def _changes_text(changes: Mapping[str, Any]) -> str:
    return ", ".join(f"{key} = {value}" for key, value in changes.items())
