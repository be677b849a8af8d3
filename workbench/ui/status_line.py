"""The window's status bar: one line of text, red for a problem, and the run's progress bar."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

_PROBLEM_STYLE = "color: #b00020;"


class StatusLine:
    """Puts a label and a progress bar into `bar` and keeps the label's text and colour."""

    def __init__(self, bar: QStatusBar) -> None:
        self.label = QLabel(objectName="statusLabel")
        self.progress = QProgressBar(objectName="runProgress")
        self.progress.setMaximumWidth(240)
        self.progress.setTextVisible(True)
        bar.addWidget(self.label, stretch=1)
        bar.addPermanentWidget(self.progress)

    def show(self, text: str, error: bool = False) -> None:
        self.label.setText(text)
        # Only on a change: setting a style sheet re-polishes the label and re-lays out the
        # status bar, and this runs after every epoch.
        style = _PROBLEM_STYLE if error else ""
        if self.label.styleSheet() != style:
            self.label.setStyleSheet(style)

    def text(self) -> str:
        return self.label.text()
