"""View > Language: System, English, 日本語; a change is stored and applies at a restart.

The window's widgets are built in code with their texts translated once, so a new language
shows after the window is built again: the menu stores the choice and offers to restart now
(the window closes as it does for Quit, and the same program starts again) or later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QProcess
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox

from workbench.ui import language

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


def build_language_menu(window: MainWindow) -> QMenu:
    """Add View > Language to the window's menu bar; returns the Language menu."""
    translate = QCoreApplication.translate  # with literal contexts, which lupdate needs
    view = window.menuBar().addMenu(translate("LanguageMenu", "&View"))
    view.setObjectName("viewMenu")
    menu = view.addMenu(translate("LanguageMenu", "&Language"))
    menu.setObjectName("languageMenu")
    group = QActionGroup(menu)
    group.setExclusive(True)
    chosen = language.stored_choice()
    # Each language is named in its own language, as language menus do; "System" is not one.
    for choice, text, name in (
        (language.SYSTEM, translate("LanguageMenu", "System"), "languageSystemAction"),
        (language.ENGLISH, "English", "languageEnglishAction"),
        (language.JAPANESE, "日本語", "languageJapaneseAction"),
    ):
        action = QAction(text, menu, checkable=True)
        action.setObjectName(name)
        action.setChecked(choice == chosen)
        action.setData(choice)
        group.addAction(action)
        menu.addAction(action)
    group.triggered.connect(lambda action: choose_language(window, action.data()))
    return menu


def choose_language(window: MainWindow, choice: str) -> bool:
    """Store `choice` and offer a restart; True when the window closed for one."""
    if choice == language.stored_choice():
        return False
    language.store_choice(choice)
    busy = window.training_run is not None or window.search_panel.is_running()
    return ask_restart(window, busy) and restart(window)


def ask_restart(window: MainWindow, busy: bool) -> bool:
    """Whether the person chose Restart now (never offered while something runs)."""
    box = restart_box(window, busy)
    box.exec()
    return not busy and box.clickedButton() is box.defaultButton()


def restart_box(window: MainWindow, busy: bool) -> QMessageBox:
    """The question after a change: Restart now (the default) or Later; only OK when busy."""
    translate = QCoreApplication.translate
    box = QMessageBox(window)
    box.setObjectName("languageRestartBox")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(translate("LanguageMenu", "Language"))
    box.setText(
        translate("LanguageMenu", "The new language applies when the workbench starts again.")
    )
    if busy:
        box.setInformativeText(
            translate("LanguageMenu", "A run is in progress: restart once it has finished.")
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        return box
    box.setInformativeText(
        translate(
            "LanguageMenu",
            "Restart now? The window closes and opens again on the experiment it was started "
            "with; save your changes to the experiment first to keep them.",
        )
    )
    now = box.addButton(translate("LanguageMenu", "Restart now"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(translate("LanguageMenu", "Later"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(now)
    return box


def restart(window: MainWindow) -> bool:
    """Close the window as Quit does and, once it has closed, start the program again."""
    if not window.close():
        return False
    program, arguments, folder = language.restart_command()
    QProcess.startDetached(program, arguments, folder)
    return True
