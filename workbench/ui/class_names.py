"""The built-in 2-D datasets' class names in the window's language.

The data, the run store and report.json keep the English names (`workbench.data.builtin`):
runs recorded in one language compare with runs recorded in another. Only what the window
shows is translated; any other class name (a CSV's labels, the digits 0-9) is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

# Listed for pyside6-lupdate, which reads translate() calls with literal text.
_FIXED = {
    "opposite": lambda: QCoreApplication.translate("ClassNames", "opposite"),
    "same sign": lambda: QCoreApplication.translate("ClassNames", "same sign"),
    "upper": lambda: QCoreApplication.translate("ClassNames", "upper"),
    "lower": lambda: QCoreApplication.translate("ClassNames", "lower"),
    "outer": lambda: QCoreApplication.translate("ClassNames", "outer"),
    "inner": lambda: QCoreApplication.translate("ClassNames", "inner"),
}
_NUMBERED = {
    "arm": lambda: QCoreApplication.translate("ClassNames", "arm {number}"),
    "blob": lambda: QCoreApplication.translate("ClassNames", "blob {number}"),
}
_NUMBERED_NAME = re.compile(r"(arm|blob) (\d+)")


def shown_class_name(name: str) -> str:
    """`name` as the window shows it: a built-in dataset's class name translated."""
    fixed = _FIXED.get(name)
    if fixed is not None:
        return fixed()
    numbered = _NUMBERED_NAME.fullmatch(name)
    if numbered is not None:
        return _NUMBERED[numbered[1]]().format(number=numbered[2])
    return name


def shown_class_names(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(shown_class_name(name) for name in names)
