"""GUI fixtures: the real window, and a check that no test leaves a QThread running."""

import inspect
from weakref import WeakKeyDictionary

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from workbench.app import create_window


@pytest.fixture(autouse=True)
def _dangling_qthreads(monkeypatch, qtbot):
    """Fail any test that leaves a QThread running (napari's fixture of the same name)."""
    started = WeakKeyDictionary()
    base_start = QThread.start

    def start_and_remember(self, priority=QThread.Priority.InheritPriority):
        caller = inspect.stack()[1]
        started[self] = f"{caller.filename}:{caller.lineno} ({self.objectName() or 'unnamed'})"
        base_start(self, priority)

    monkeypatch.setattr(QThread, "start", start_and_remember)
    yield
    # A window may still be working when a test ends (a preview's split a timer started):
    # closing it is what joins its jobs, as for a person. A thread left after that leaks.
    for widget in QApplication.topLevelWidgets():
        widget.close()
    running = []
    for thread, where in list(started.items()):
        try:
            if thread.isRunning():
                running.append(where)
                thread.quit()
                thread.wait(10_000)
        except RuntimeError:  # the C++ object is gone: it is not running
            pass
    if running:
        pytest.fail(f"QThread(s) still running after the test, started at: {running}")


@pytest.fixture
def window(qtbot):
    win = create_window()
    qtbot.addWidget(win)
    # The offscreen screen is 800x600, and the window fits itself to its screen: tests see
    # the size a desktop screen gives (the 1280x720 tests resize it themselves).
    win.fit_to(1360, 820)
    # Small and fast by default; tests that need more set it.
    win.form._epochs.setValue(3)
    win.form._batch_size.setValue(64)
    win.form._device.setCurrentIndex(win.form._device.findData("cpu"))
    return win


def start_run(qtbot, window):
    """Click Train like a person and return the run it started."""
    qtbot.mouseClick(window.train_button, _left())
    run = window.training_run
    assert run is not None, window.status_text()
    return run


def run_to_end(qtbot, window, timeout_ms=60_000):
    """Click Train and wait for the run to end; returns its RunResult."""
    run = start_run(qtbot, window)
    with qtbot.waitSignal(run.run_finished, timeout=timeout_ms) as finished:
        pass
    return finished.args[0]


def evaluate_test(qtbot, window):
    """Click Evaluate on test set like a person; return the tested RunResult."""
    assert window.evaluate_button.isEnabled(), window.status_text()
    with qtbot.waitSignal(window.test_evaluated, timeout=60_000) as evaluated:
        qtbot.mouseClick(window.evaluate_button, _left())
    assert evaluated.args[0] is not None, window.status_text()
    return evaluated.args[0]


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
