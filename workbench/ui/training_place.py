"""Run > Train in a separate process: where the window's runs train, remembered (QSettings).

Off (the default), a run trains in a thread of the window's process. On, it trains in a
second process (`workbench.runs.training_process`) that starts when the option is turned on
(or when the window opens with it on), so that its imports are done by the time Train is
pressed. Measured on 2 cores (README, Performance): a small model beside the window trains
faster in the process; the thread starts faster and is the default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

SETTING = "training/in_process"


def build_training_place_action(window: MainWindow) -> QAction:
    """The checkable Run menu entry; turns the controller's training process on and off."""
    translate = QCoreApplication.translate
    action = QAction(translate("MainWindow", "Train in a separate &process"), window)
    action.setCheckable(True)
    action.setToolTip(
        translate(
            "MainWindow",
            "Train in a second Python process: drawing the window no longer slows a small "
            "model down. It holds a second copy of PyTorch and of the data in memory, and "
            "the first run waits for it to load PyTorch.",
        )
    )
    action.setChecked(_stored())

    def place(on: bool) -> None:
        QSettings().setValue(SETTING, on)
        window.controller.set_training_process(on)

    action.toggled.connect(place)
    if action.isChecked():
        window.controller.set_training_process(True)
    return action


def _stored() -> bool:
    value = QSettings().value(SETTING, False)
    # QSettings' INI files give back "true"/"false" strings for what was stored as a bool.
    return value is True or str(value).lower() == "true"
