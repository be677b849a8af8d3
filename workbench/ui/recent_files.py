"""The File > Open Recent menu, remembered between sessions with QSettings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

_KEY = "recentExperiments"
_MAX = 8


class RecentFiles(QObject):
    """Keeps the last few experiment files, newest first; `chosen` carries the path picked."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.menu = QMenu(self.tr("Open &Recent"), parent)
        self.menu.setObjectName("recentMenu")
        self.menu.aboutToShow.connect(self._rebuild)
        self._rebuild()

    def paths(self) -> list[str]:
        value = QSettings().value(_KEY, [])
        if isinstance(value, str):  # QSettings returns a lone string for a one-item list
            value = [value]
        return [str(p) for p in value or []]

    def add(self, path: Path) -> None:
        text = str(Path(path).resolve())
        paths = [text] + [p for p in self.paths() if p != text]
        QSettings().setValue(_KEY, paths[:_MAX])
        self._rebuild()

    @Slot()
    def _rebuild(self) -> None:
        self.menu.clear()
        paths = self.paths()
        for path in paths:
            action = QAction(Path(path).name, self.menu)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.chosen.emit(p))
            self.menu.addAction(action)
        if not paths:
            empty = QAction(self.tr("(none yet)"), self.menu)
            empty.setEnabled(False)
            self.menu.addAction(empty)
        else:
            self.menu.addSeparator()
            clear = QAction(self.tr("Clear list"), self.menu)
            clear.triggered.connect(self._clear)
            self.menu.addAction(clear)

    @Slot()
    def _clear(self) -> None:
        QSettings().setValue(_KEY, [])
        self._rebuild()
