"""The Optimizer paths tab's animation bar: back to the start, play or pause, one step, speed.

It only counts steps: `step_changed(n)` asks the panel to draw every path up to step n.
The paths were computed before; playing reveals them, as the book's figure is built up.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QStyle,
    QWidget,
)

SPEEDS = (2, 5, 10, 30, 100)  # steps a second
_DEFAULT_SPEED = 10  # the book's 30 steps in 3 seconds


class PathsPlayer(QWidget):
    """Rewind, play/pause, step, a slider over the steps, "step n / N" and the speed."""

    step_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pathsPlayer")
        self._step = 0
        self._total = 0
        icon = self.style().standardIcon
        pixmaps = QStyle.StandardPixmap
        self.rewind_button = QPushButton(objectName="pathsRewindButton")
        self.rewind_button.setIcon(icon(pixmaps.SP_MediaSkipBackward))
        self.rewind_button.setToolTip(self.tr("Back to the start point (step 0)."))
        self.rewind_button.setAccessibleName(self.tr("Back to the start"))
        self.play_button = QPushButton(self.tr("Play"), objectName="pathsPlayButton")
        self.play_button.setCheckable(True)
        self.play_button.setIcon(icon(pixmaps.SP_MediaPlay))
        self.play_button.setToolTip(self.tr("Play the paths step by step, or pause them."))
        self.step_button = QPushButton(self.tr("Step"), objectName="pathsStepButton")
        self.step_button.setIcon(icon(pixmaps.SP_MediaSeekForward))
        self.step_button.setToolTip(self.tr("One optimizer step further."))
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="pathsStepSlider")
        self.slider.setToolTip(self.tr("Look at any step."))
        self.slider.setMinimumWidth(60)
        self.label = QLabel(objectName="pathsStepLabel")
        self.speed_combo = QComboBox(objectName="pathsSpeedCombo")
        for speed in SPEEDS:
            self.speed_combo.addItem(self.tr("{n}/s").format(n=speed), speed)
        self.speed_combo.setCurrentIndex(SPEEDS.index(_DEFAULT_SPEED))
        self.speed_combo.setToolTip(self.tr("How many steps a second Play shows."))
        self._timer = QTimer(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.rewind_button, self.play_button, self.step_button):
            layout.addWidget(widget)
        layout.addWidget(self.slider, stretch=1)
        layout.addWidget(self.label)
        layout.addWidget(self.speed_combo)

        self._timer.timeout.connect(self._tick)
        self.rewind_button.clicked.connect(self.rewind)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.step_button.clicked.connect(self.step)
        self.slider.valueChanged.connect(self._go)
        self.speed_combo.currentIndexChanged.connect(self._set_interval)
        self._set_interval()
        self.set_total(0)

    def step_shown(self) -> int:
        return self._step

    def is_playing(self) -> bool:
        return self.play_button.isChecked()

    def set_total(self, total: int, step: int | None = None) -> None:
        """The paths have `total` steps; show `step` (the last if None)."""
        self._total = total
        self.slider.blockSignals(True)
        self.slider.setRange(0, total)
        self.slider.blockSignals(False)
        self._go(total if step is None else min(step, total))

    def go(self, step: int) -> None:
        """Show `step` (clamped to the steps there are), as if the slider were moved there."""
        self._go(step)

    @Slot()
    def rewind(self) -> None:
        self.play_button.setChecked(False)
        self._go(0)

    @Slot()
    def step(self) -> None:
        self.play_button.setChecked(False)
        self._go(self._step + 1)

    @Slot(int)
    def _go(self, step: int) -> None:
        self._step = max(0, min(step, self._total))
        self.slider.blockSignals(True)
        self.slider.setValue(self._step)
        self.slider.blockSignals(False)
        self.label.setText(self.tr("step {n} / {total}").format(n=self._step, total=self._total))
        self.step_button.setEnabled(self._step < self._total)
        self.step_changed.emit(self._step)

    @Slot(bool)
    def _on_play_toggled(self, playing: bool) -> None:
        pixmaps = QStyle.StandardPixmap
        if playing:
            if self._step >= self._total:  # from the end, play from the start again
                self._go(0)
            self._timer.start()
        else:
            self._timer.stop()
        self.play_button.setText(self.tr("Pause") if playing else self.tr("Play"))
        self.play_button.setIcon(
            self.style().standardIcon(pixmaps.SP_MediaPause if playing else pixmaps.SP_MediaPlay)
        )

    @Slot()
    def _tick(self) -> None:
        if self._step >= self._total:
            self.play_button.setChecked(False)
            return
        self._go(self._step + 1)

    @Slot()
    def _set_interval(self) -> None:
        self._timer.setInterval(round(1000 / int(self.speed_combo.currentData())))
