"""Every text a person can read in a window: widgets, menus, headers, plots; English words in it.

`texts(root)` walks a widget and its children (every tab of every tab widget visited first)
and returns (where, text) pairs; `english(pairs)` keeps those with an English word that the
allow-list does not excuse. tests/gui/test_japanese.py runs it on the window in Japanese.
"""

from __future__ import annotations

import html
import re

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QGraphicsTextItem,
    QGraphicsView,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QSpinBox,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

# Words kept in English in Japanese text: names the book and the glossary keep
# (resources/i18n/glossary.md), names of software, formats, keys and datasets, and the
# layer types as the model builder names them.
ALLOWED = {
    # optimizers, activation functions, initialisations (glossary: kept; He is 2 letters)
    "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "AdamW",
    "ReLU", "ELU", "GELU", "SiLU", "Swish", "tanh", "softmax", "sigmoid",
    "Xavier", "Glorot", "Kaiming", "Dropout", "Affine",
    # layer types, as in PyTorch and the experiment file
    "Dense", "Conv", "MaxPool", "BatchNorm",
    # software, hardware, formats and abbreviations
    "PyTorch", "TorchScript", "TensorBoard", "CUDA", "CPU", "GPU", "RSS",
    "CSV", "NPZ", "JSON", "TOML", "PNG", "JPEG", "SVG", "PDF", "HTML", "IDX", "ONNX",
    "Optuna", "safetensors", "NaN", "MLP", "CNN", "ROC", "AUC", "log",
    "PostgreSQL", "SQLite", "URL", "Python", "Ray",
    # keys, as keyboards label them
    "Ctrl", "Shift", "Enter", "Return", "Delete", "Backspace", "Esc",
    # datasets (built-in and the book's) and functions of the Optimizer paths tab
    "MNIST", "Fashion", "CIFAR", "XOR", "digits", "iris", "moons", "circles", "spiral", "blobs",
    "Rosenbrock", "Beale", "Himmelblau",
    # typed in the comparisons: the whole training part as one batch, every training sample,
    # the schedules' names as the experiment file spells them
    "full", "all", "constant", "step", "exponential", "cosine", "onecycle", "plateau", "warmup",
}  # fmt: skip
# Any case: the names are also written as the experiment file's values ("adam", "relu").
_ALLOWED_LOWER = {word.lower() for word in ALLOWED}
# Names of more than one word, which the glossary keeps (in brackets after the Japanese),
# and the app's own name.
_ALLOWED_PHRASES = re.compile(
    r"Training Workbench|Data Augmentation|early stopping|Batch Normalization|Batch Norm"
    r"|Weight decay|Leaky ReLU|Successive Halving|top-(k|\d+)"
    r"|Max プーリング",  # the book's own term (Max pooling)
    re.IGNORECASE,
)
# Texts that are what they are in every language: the language menu names each language
# in its own (English in English).
ALLOWED_TEXTS = {"English"}
_WORD = re.compile(r"[A-Za-z]{3,}")
# Not words of a sentence: file names and paths, URLs, numbers with units and exponents.
_NOT_WORDS = re.compile(
    r"(\S*[/\\]\S*)"  # a path or URL
    r"|(\b[\w.-]+\.(toml|csv|json|png|svg|pdf|html|qm|ts|npz|idx\w*|safetensors|onnx|db)\b)"
    r"|(\b\d+(\.\d+)?(e[-+]?\d+)?\b)"  # 1e-3, 0.5
    r"|(\b(cuda|cpu|mps)(:\d+)?\b)"  # devices as torch names them
    r"|(\b(float|int|uint|bfloat)(8|16|32|64)\b)"  # data types as NumPy names them
    # Keys of the experiment file ("training.epochs = 4" as the run doctor's fix says it,
    # the search space's "optimizer.lr") and codes (a diagnosis's, in its tooltip).
    r"|(\b[a-z_][a-z0-9_]*(\.[a-z0-9_]+)+\b)|(\b[a-z0-9]+(_[a-z0-9]+)+\b)"
    # The Runs table's model column: layers as the experiment file names them ("dense100 x4").
    r"|(^((dense|conv2d|pool|bn|dropout|flatten)\d*( x\d+)?\s*)+$)|(^linear$)",
    re.IGNORECASE,
)


def _plain(text: str) -> str:
    """Rich text without its markup; '&&' as '&' and mnemonics' '&' dropped."""
    if "<" in text and ">" in text:
        text = re.sub(r"<style.*?</style>", " ", text, flags=re.S | re.I)
        text = re.sub(r"<[^<>]+>", " ", text)
    text = html.unescape(text)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def english_words(text: str) -> list[str]:
    """The English words (3+ ASCII letters) of `text` that the allow-list does not excuse."""
    text = _plain(text)
    if text.strip() in ALLOWED_TEXTS:
        return []
    text = _NOT_WORDS.sub(" ", _ALLOWED_PHRASES.sub(" ", text))
    return [word for word in _WORD.findall(text) if word.lower() not in _ALLOWED_LOWER]


def _name(item: object) -> str:
    object_name = item.objectName() if hasattr(item, "objectName") else ""
    return f"{type(item).__name__}{'#' + object_name if object_name else ''}"


def _columns(model) -> int:
    try:
        return model.columnCount()
    except TypeError:  # a list's model (QListWidget) has one column and hides the count
        return 1


def _model_texts(view: QAbstractItemView) -> list[str]:
    """Header labels and the cells' texts and tooltips (of the first rows)."""
    model = view.model()
    if model is None:
        return []
    found = []
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    for row in range(min(model.rowCount(), 20)):
        for column in range(_columns(model)):
            index = model.index(row, column)
            found += [value for role in roles if isinstance(value := model.data(index, role), str)]
    for orientation, count in (
        (Qt.Orientation.Horizontal, _columns(model)),
        (Qt.Orientation.Vertical, model.rowCount() if model.rowCount() < 50 else 0),
    ):
        for section in range(count):
            for role in roles:
                value = model.headerData(section, orientation, role)
                if isinstance(value, str):
                    found.append(value)
    return found


def _action_texts(action: QAction, where: str) -> list[tuple[str, str]]:
    pairs = [(f"{where}/{_name(action)}", action.text())]
    if action.toolTip() != action.text().replace("&", ""):  # Qt's default tooltip is its text
        pairs.append((f"{where}/{_name(action)}.toolTip", action.toolTip()))
    pairs.append((f"{where}/{_name(action)}.statusTip", action.statusTip()))
    menu = action.menu()
    if isinstance(menu, QMenu):  # a submenu: also found as a child unless made without one
        pairs.append((f"{where}/{_name(menu)}.title", menu.title()))
        for inner in menu.actions():
            pairs += _action_texts(inner, f"{where}/{_name(menu)}")
    return pairs


def _widget_texts(widget: QWidget) -> list[tuple[str, str]]:
    name = _name(widget)
    found: list[tuple[str, str]] = []

    def add(what: str, text: object) -> None:
        if isinstance(text, str) and text.strip():
            found.append((f"{name}{what}", text))

    add(".toolTip", widget.toolTip())
    add(".whatsThis", widget.whatsThis())
    add(".accessibleName", widget.accessibleName())
    if widget.isWindow():
        add(".windowTitle", widget.windowTitle())
    if isinstance(widget, QLabel):
        add("", widget.text())
    elif isinstance(widget, QAbstractButton):
        add("", widget.text())
    elif isinstance(widget, QGroupBox):
        add(".title", widget.title())
    elif isinstance(widget, QLineEdit):
        add(".placeholderText", widget.placeholderText())
    elif isinstance(widget, QTextEdit | QPlainTextEdit):
        add(".placeholderText", widget.placeholderText())
        if widget.isReadOnly():
            add("", widget.toPlainText())
    elif isinstance(widget, QComboBox):
        for index in range(widget.count()):
            add(f"[{index}]", widget.itemText(index))
            add(f"[{index}].toolTip", widget.itemData(index, Qt.ItemDataRole.ToolTipRole))
    elif isinstance(widget, QProgressBar):
        add(".format", widget.format())
    if isinstance(widget, QAbstractSpinBox):
        add(".specialValueText", widget.specialValueText())
        if isinstance(widget, QSpinBox | QDoubleSpinBox):
            add(".prefix", widget.prefix())
            add(".suffix", widget.suffix())
    if isinstance(widget, QTabBar):
        for index in range(widget.count()):
            add(f"[{index}]", widget.tabText(index))
            add(f"[{index}].toolTip", widget.tabToolTip(index))
    if isinstance(widget, QAbstractItemView):
        for text in _model_texts(widget):
            add(".model", text)
    if isinstance(widget, QGraphicsView) and widget.scene() is not None:
        for item in widget.scene().items():
            if isinstance(item, QGraphicsTextItem) and item.isVisible():
                add(f"/{type(item.parentItem()).__name__}", item.toPlainText())
            elif isinstance(item, pg.TextItem):
                add("/TextItem", item.textItem.toPlainText())
    if isinstance(widget, QMenu):
        add(".title", widget.title())
    for action in widget.actions():
        found += _action_texts(action, name)
    return found


def visit_every_tab(root: QWidget) -> None:
    """Show each page of each tab widget once, so lazily built pages are built too."""
    seen: set[int] = set()
    again = True
    while again:  # a page shown may hold tab widgets of its own
        again = False
        for tabs in root.findChildren(QTabWidget):
            if id(tabs) in seen:
                continue
            seen.add(id(tabs))
            again = True
            current = tabs.currentIndex()
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                QCoreApplication.processEvents()
            tabs.setCurrentIndex(current)


def texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every text of `root`, its children and its menu bar."""
    pairs = _widget_texts(root)
    for widget in root.findChildren(QWidget):
        pairs += _widget_texts(widget)
    return [(where, text) for where, text in pairs if text.strip()]


def english(pairs: list[tuple[str, str]]) -> list[tuple[str, str, list[str]]]:
    """The texts with English words left, each once (where first seen): (where, text, words)."""
    left, seen = [], set()
    for where, text in pairs:
        words = english_words(text)
        if words and text not in seen:
            seen.add(text)
            left.append((where, text, words))
    return left
