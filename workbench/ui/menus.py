"""The window's menus and their shortcuts: File, Run and View (its Language: language_menu)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

from workbench.ui.batch_size_compare import BatchSizeComparison
from workbench.ui.language_menu import build_language_menu
from workbench.ui.training_place import build_training_place_action

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


@dataclass(frozen=True)
class Actions:
    """The menu entries the window enables and disables as runs come and go."""

    open_experiment: QAction
    open_data_file: QAction
    open_data_folder: QAction
    save: QAction
    export: QAction
    train: QAction
    stop: QAction
    evaluate: QAction
    train_in_process: QAction

    def while_running(self) -> tuple[QAction, ...]:
        """The entries a run disables: they would change the experiment it trains, or where."""
        return (
            self.open_experiment,
            self.open_data_file,
            self.open_data_folder,
            self.train_in_process,
        )


def build_menus(window: MainWindow) -> Actions:
    """Add the File, Run and View menus to `window`; shortcuts work wherever the focus is."""
    translate = QCoreApplication.translate  # spelled out so Qt's lupdate finds each string

    def action(text: str, shortcuts: Sequence[str], slot: Callable[[], object]) -> QAction:
        item = QAction(text, window)
        item.setShortcuts([QKeySequence(s) for s in shortcuts])
        item.triggered.connect(slot)
        window.addAction(item)
        return item

    files, panel, controller = window.files, window.dataset_panel, window.controller
    actions = Actions(
        open_experiment=action(
            translate("MainWindow", "&Open experiment…"), ["Ctrl+O"], files.choose_experiment
        ),
        open_data_file=action(
            translate("MainWindow", "Open &dataset file…"), ["Ctrl+Shift+O"], panel.choose_file
        ),
        open_data_folder=action(
            translate("MainWindow", "Open dataset &folder…"), [], panel.choose_folder
        ),
        save=action(
            translate("MainWindow", "&Save experiment…"), ["Ctrl+S"], files.choose_save_path
        ),
        export=action(
            translate("MainWindow", "&Export report…"), ["Ctrl+E"], files.choose_export_path
        ),
        train=action(
            translate("MainWindow", "&Train"), ["Ctrl+Return", "F5"], window.start_training
        ),
        stop=action(translate("MainWindow", "S&top"), ["Ctrl+.", "Shift+F5"], window.stop_training),
        evaluate=action(
            translate("MainWindow", "&Evaluate on test set"), ["Ctrl+T"], controller.evaluate_last
        ),
        train_in_process=build_training_place_action(window),
    )
    quit_action = action(translate("MainWindow", "&Quit"), ["Ctrl+Q"], window.close)
    # Its dialog, its table in the Runs tab and its own enabling: ui/batch_size_compare.py.
    batch_sizes = BatchSizeComparison(window)

    file_menu = window.menuBar().addMenu(translate("MainWindow", "&File"))
    file_menu.addAction(actions.open_experiment)
    file_menu.addMenu(window.recent_files.menu)
    for item in (actions.open_data_file, actions.open_data_folder, actions.save, actions.export):
        file_menu.addAction(item)
    file_menu.addSeparator()
    file_menu.addAction(quit_action)
    run_menu = window.menuBar().addMenu(translate("MainWindow", "&Run"))
    run_menu.addAction(actions.train)
    run_menu.addAction(actions.stop)
    run_menu.addSeparator()
    run_menu.addAction(batch_sizes.action)
    run_menu.addSeparator()
    run_menu.addAction(actions.evaluate)
    run_menu.addSeparator()
    run_menu.addAction(actions.train_in_process)
    run_menu.setToolTipsVisible(True)  # the entries' tooltips explain them
    build_language_menu(window)
    return actions
