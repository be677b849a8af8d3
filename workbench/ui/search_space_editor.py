"""The search space as a table a person edits: one row per varied setting.

Each row is a setting's dotted path (as in the experiment file), how it varies (log-uniform,
uniform, integer range or a list of choices), its range or values as text, and, for a grid,
how many points a float range gets. `space()` turns the rows into the search file's
`[search.space]` table; the search package checks it against the experiment.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.search.space import Param, SearchError, quote_key

_COLUMNS = 4  # setting, kind, range or values, grid points
_PROBLEM = QColor(255, 220, 220)


def _kinds() -> list[tuple[str, str]]:
    return [
        ("log_uniform", QCoreApplication.translate("SearchSpaceEditor", "log-uniform range")),
        ("uniform", QCoreApplication.translate("SearchSpaceEditor", "uniform range")),
        ("int", QCoreApplication.translate("SearchSpaceEditor", "integer range")),
        ("choice", QCoreApplication.translate("SearchSpaceEditor", "choices")),
    ]


# Settings people tune first, with the classic starting ranges; any other path can be typed.
SUGGESTED: dict[str, dict[str, Any]] = {
    "optimizer.lr": {"log_uniform": [1e-6, 1e-2]},
    "optimizer.weight_decay": {"log_uniform": [1e-8, 1e-4]},
    "optimizer.name": {"choice": ["sgd", "momentum", "adam"]},
    "optimizer.momentum": {"uniform": [0.5, 0.99]},
    "training.batch_size": {"choice": [32, 64, 128, 256]},
    "model.layers.0.units": {"int": [32, 256]},
    "model.layers.0.activation": {"choice": ["sigmoid", "relu", "leaky_relu", "elu", "swish"]},
    "model.layers.1.p": {"uniform": [0.0, 0.5]},
    "optimizer.l1": {"log_uniform": [1e-7, 1e-3]},
}
DEFAULT_SPACE = ("optimizer.lr", "optimizer.weight_decay")


def _number_text(value: Any) -> str:
    return (
        f"{value:g}"
        if isinstance(value, float)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
    )


def _parse_choice(text: str) -> bool | int | float | str:
    """A choice as typed: true/false, a whole number, a number, else the text itself."""
    word = text.strip()
    if word.lower() in ("true", "false"):
        return word.lower() == "true"
    for kind in (int, float):
        try:
            value = kind(word)
        except ValueError:
            continue
        if isinstance(value, float) and not math.isfinite(value):
            break
        return value
    return word


class SearchSpaceEditor(QWidget):
    """Rows of (setting, how it varies, range or values, grid points); `changed` on edits."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchSpaceEditor")
        self.table = QTableWidget(0, _COLUMNS, objectName="searchSpaceTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Setting"), self.tr("Varies as"), self.tr("Range or values"), self.tr("Grid")]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        # The values are short ("1e-06, 0.01"): the room goes to the setting's path.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        # Room for three settings before it scrolls: the common searches fit without it.
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(
            self.table.horizontalHeader().sizeHint().height() + 3 * rows + 4
        )
        self.table.setToolTip(
            self.tr(
                "What each trial varies. Ranges are 'low, high'; choices are a comma-separated "
                "list. Grid: how many points a float range gets in a grid search."
            )
        )
        self.add_button = QPushButton(self.tr("Add setting"), objectName="searchAddParamButton")
        self.remove_button = QPushButton(self.tr("Remove"), objectName="searchRemoveParamButton")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, stretch=1)
        layout.addLayout(buttons)
        for path in DEFAULT_SPACE:
            self.add_row(path, Param.model_validate(SUGGESTED[path]))

    # -- rows ------------------------------------------------------------------------------------
    def add_row(self, path: str = "", param: Param | None = None) -> None:
        """A new row; without a path, the first suggestion not in the table yet."""
        if not path:
            used = set(self.paths())
            path = next((p for p in SUGGESTED if p not in used), "optimizer.lr")
        if param is None:
            param = Param.model_validate(SUGGESTED.get(path, {"uniform": [0.0, 1.0]}))
        row = self.table.rowCount()
        self.table.insertRow(row)
        setting = QComboBox(editable=True, objectName="searchParamPath")
        setting.addItems(list(SUGGESTED))
        setting.setCurrentText(path)
        # A path longer than the cell shows its start ("optimizer.weight_de"), not its end
        # ("mizer.weight_decay"); the whole of it is in the tooltip.
        setting.lineEdit().setCursorPosition(0)
        setting.setToolTip(path)
        setting.currentTextChanged.connect(setting.setToolTip)
        kind = QComboBox(objectName="searchParamKind")
        for key, text in _kinds():
            kind.addItem(text, key)
        kind.setCurrentIndex(max(0, kind.findData(param.kind)))
        values = QLineEdit(self._values_text(param), objectName="searchParamValues")
        steps = QSpinBox(objectName="searchParamSteps", minimum=0, maximum=1000)
        steps.setSpecialValueText(self.tr("—"))
        steps.setValue(param.steps or 0)
        steps.setToolTip(self.tr("Grid search: points across a float range (— for none)"))
        for column, widget in enumerate((setting, kind, values, steps)):
            self.table.setCellWidget(row, column, widget)
        setting.currentTextChanged.connect(self._on_path_chosen)
        kind.currentIndexChanged.connect(self._on_edited)
        values.textEdited.connect(self._on_edited)
        steps.valueChanged.connect(self._on_edited)
        self.table.setCurrentCell(row, 0)
        self.changed.emit()

    @Slot()
    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def clear(self) -> None:
        self.table.setRowCount(0)

    def set_space(self, space: dict[str, Param]) -> None:
        """Show a search's space (a loaded search, or a narrowed one)."""
        self.clear()
        for path, param in space.items():
            self.add_row(path, param)
        self.changed.emit()

    def paths(self) -> list[str]:
        return [self._widget(row, 0).currentText().strip() for row in range(self.table.rowCount())]

    # -- reading -----------------------------------------------------------------------------------
    def space(self) -> dict[str, dict[str, Any]]:
        """The rows as the file's `[search.space]` table; `SearchError` names a bad row."""
        space: dict[str, dict[str, Any]] = {}
        for row in range(self.table.rowCount()):
            path = self._widget(row, 0).currentText().strip()
            key = quote_key(path) if path else f"search.space row {row + 1}"
            if not path:
                raise SearchError(f"{key}: name the setting to vary, e.g. optimizer.lr")
            if path in space:
                raise SearchError(f"{key}: listed twice")
            kind = self._widget(row, 1).currentData()
            text = self._widget(row, 2).text()
            table = self._parse(kind, text, key)
            steps = self._widget(row, 3).value()
            if steps and kind != "choice":
                table["steps"] = steps
            space[path] = table
        return space

    def mark_problem(self, message: str | None) -> None:
        """Colour the row a `SearchError` message names (none: clear every mark)."""
        for row in range(self.table.rowCount()):
            path = self._widget(row, 0).currentText().strip()
            named = bool(message) and (
                quote_key(path) in message or f"row {row + 1}:" in message  # type: ignore[operator]
            )
            for column in (0, 2):
                widget = self._widget(row, column)
                widget.setStyleSheet(f"background: {_PROBLEM.name()};" if named else "")
                widget.setToolTip(message if named else "")

    def _parse(self, kind: str, text: str, key: str) -> dict[str, Any]:
        parts = [part for part in text.replace(";", ",").split(",") if part.strip()]
        if kind == "choice":
            if not parts:
                raise SearchError(f"{key}: list the choices, separated by commas")
            return {"choice": [_parse_choice(part) for part in parts]}
        if len(parts) != 2:
            raise SearchError(f"{key}: a range is two numbers, 'low, high' (got {text!r})")
        number = int if kind == "int" else float
        try:
            low, high = (number(part.strip()) for part in parts)
        except ValueError:
            what = "whole numbers" if kind == "int" else "numbers"
            raise SearchError(f"{key}: low and high must be {what} (got {text!r})") from None
        return {kind: [low, high]}

    @staticmethod
    def _values_text(param: Param) -> str:
        if param.kind == "choice":
            return ", ".join(_number_text(value) for value in param.values)
        return f"{_number_text(param.low)}, {_number_text(param.high)}"

    def _widget(self, row: int, column: int) -> Any:
        return self.table.cellWidget(row, column)

    @Slot(str)
    def _on_path_chosen(self, path: str) -> None:
        # A suggested setting brings its classic range, unless the row's values were typed.
        sender = self.sender()
        for row in range(self.table.rowCount()):
            if self._widget(row, 0) is sender and path in SUGGESTED:
                param = Param.model_validate(SUGGESTED[path])
                self._widget(row, 1).setCurrentIndex(self._widget(row, 1).findData(param.kind))
                self._widget(row, 2).setText(self._values_text(param))
        self.changed.emit()

    @Slot()
    def _on_edited(self, *_: object) -> None:
        self.changed.emit()
