"""The window's status bar: one line of text, red for a problem, and the run's progress bar.

A run's epochs and batches arrive faster than anyone reads (16 epochs a second on the
digits): their texts and progress values are shown at most every `_STEADY_MS`, the newest
each time, the first at once. Every new text or progress value costs the window's thread a
relayout of the status bar or a repaint of the bar, and that thread's CPU is what slows a run
trained beside it (through Python's GIL).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

_PROBLEM_STYLE = "color: #b00020;"
_STEADY_MS = 250  # four changes a second still read as live, and a person can read each

T = TypeVar("T")


class Newest(QObject, Generic[T]):
    """Applies the newest of the values offered, at most once every `interval_ms`.

    The first value after a quiet spell is applied at once; those that come within the
    interval wait, and only the last of them is applied when it ends.
    """

    def __init__(self, apply: Callable[[T], None], interval_ms: int, parent: QObject) -> None:
        super().__init__(parent)
        self._apply = apply
        self._waiting: tuple[T] | None = None
        self._timer = QTimer(self, singleShot=True, interval=interval_ms)
        self._timer.timeout.connect(self._on_timeout)

    def offer(self, value: T) -> None:
        if self._timer.isActive():
            self._waiting = (value,)
            return
        self._apply(value)
        self._timer.start()

    def drop(self) -> None:
        """Forget a waiting value: what was applied since must stay."""
        self._waiting = None

    def _on_timeout(self) -> None:
        if self._waiting is None:
            return
        (value,), self._waiting = self._waiting, None
        self._apply(value)
        self._timer.start()


class StatusLine:
    """Puts a label and a progress bar into `bar` and keeps the label's text and colour."""

    def __init__(self, bar: QStatusBar) -> None:
        self.label = QLabel(objectName="statusLabel")
        self.progress = QProgressBar(objectName="runProgress")
        self.progress.setMaximumWidth(240)
        self.progress.setTextVisible(True)
        bar.addWidget(self.label, stretch=1)
        bar.addPermanentWidget(self.progress)
        # Shown from the first run on: before it, an empty bar looked like a broken box.
        self.progress.hide()
        self._texts = Newest[str](self._show_text, _STEADY_MS, bar)
        self._values = Newest[int](self.progress.setValue, _STEADY_MS, bar)

    def show(self, text: str, error: bool = False) -> None:
        """Show `text` now; a run's text still waiting (`show_soon`) is dropped."""
        self._texts.drop()
        self._show_text(text, error)

    def show_soon(self, text: str) -> None:
        """Show a run's progress text, the newest of them at most every `_STEADY_MS`."""
        self._texts.offer(text)

    def set_progress(self, value: int) -> None:
        """Show and set the progress bar now; drop a value still waiting (`set_progress_soon`)."""
        self._values.drop()
        self.progress.setValue(value)
        self.progress.show()

    def set_progress_soon(self, value: int) -> None:
        """Set the progress bar to the newest value at most every `_STEADY_MS`."""
        self._values.offer(value)

    def _show_text(self, text: str, error: bool = False) -> None:
        self.label.setText(text)
        # Only on a change: setting a style sheet re-polishes the label and re-lays out the
        # status bar, and this runs after every epoch.
        style = _PROBLEM_STYLE if error else ""
        if self.label.styleSheet() != style:
            self.label.setStyleSheet(style)

    def text(self) -> str:
        return self.label.text()
