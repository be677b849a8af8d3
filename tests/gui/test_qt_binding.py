"""Guards against known-bad Qt binding releases (see the pin in pyproject.toml)."""

import sys

import pytest
from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(object)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="True is immortal from Python 3.12")
def test_emitting_from_python_keeps_the_refcount_of_true(qapp):
    # PySide6 6.12.0 dropped a reference to True on each emit: a long run aborted Python 3.11.
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(500):
        emitter.fired.emit(1)
    assert sys.getrefcount(True) - before > -50


def test_no_widget_hides_a_qt_method_under_an_attribute(window):
    """`self.metric = QComboBox()` once hid QWidget.metric(), which Qt calls to paint."""
    import inspect

    from PySide6.QtWidgets import QWidget

    qt_methods = {name for name in dir(QWidget) if inspect.isroutine(getattr(QWidget, name))}
    shadowed = [
        f"{type(widget).__name__}.{name}"
        for widget in [window, *window.findChildren(QWidget)]
        for name, value in vars(widget).items()
        if name in qt_methods and not callable(value)
    ]
    assert shadowed == []
