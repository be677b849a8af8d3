"""The form's "Find…" button: the range test's dialog, its sweep in a job, Use and Cancel."""

import threading

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QWidget

from workbench.config import ExperimentError
from workbench.playground import lr_find
from workbench.ui import lr_finder_dialog
from workbench.ui.lr_finder_dialog import LrFinderDialog


def _open(qtbot, window) -> LrFinderDialog:
    """Click Find… like a person; the dialog it opened."""
    button = window.form.find_lr_button
    assert button.objectName() == "findLrButton" and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.lr_finder.dialog
    assert dialog is not None and dialog.objectName() == "lrFinderDialog"
    assert dialog.isVisible() and dialog.isModal()
    return dialog


def _wait_until_ended(qtbot, dialog, timeout=30_000):
    if dialog.is_running():
        with qtbot.waitSignal(dialog.sweep_ended, timeout=timeout):
            pass


def test_find_sweeps_off_the_window_thread_and_use_sets_the_forms_rate(qtbot, window, monkeypatch):
    window.form._optimizer_combo.setCurrentIndex(window.form._optimizer_combo.findData("sgd"))
    threads = []
    real = lr_find.find_learning_rate

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(lr_find, "find_learning_rate", spy)
    dialog = _open(qtbot, window)
    # The form's experiment, as it is now, is the one swept.
    assert dialog.experiment.optimizer.name == "sgd"
    assert dialog.is_running() and dialog.cancel_button.isEnabled()
    _wait_until_ended(qtbot, dialog)

    assert threads and threads[0] is not threading.main_thread()
    result = dialog.result
    assert result is not None and result.suggestion is not None, dialog.summary.text()
    # What is drawn is the sweep: every point, the suggestion marked on a log axis.
    rates, losses = dialog.curve("raw")
    assert rates == list(result.rates) and losses == list(result.losses)
    assert dialog.curve("smoothed")[1] == list(result.smoothed)
    assert dialog.plot.getPlotItem().ctrl.logXCheck.isChecked()
    assert dialog.marked_rate() == pytest.approx(result.suggestion)
    assert f"{result.suggestion:.2g}" in dialog.summary.text()
    assert dialog.progress.value() == len(result.rates)
    if result.ended == "exploded":  # over, not stuck: a full bar that says why
        assert dialog.progress.maximum() == len(result.rates)
        assert "the loss exploded" in dialog.progress.text()
    assert not dialog.cancel_button.isEnabled() and dialog.run_button.isEnabled()

    assert dialog.use_button.isEnabled()
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.form._lr.value() == pytest.approx(result.suggestion)
    assert window.current_experiment().optimizer.lr == pytest.approx(result.suggestion)
    assert "Learning rate set to" in window.status_text()


def test_cancel_stops_the_sweep_and_keeps_what_it_drew(qtbot, window, monkeypatch):
    # A long sweep over rates too low to explode: it would take many seconds.
    monkeypatch.setattr(lr_finder_dialog, "DEFAULT_STEPS", 10_000)
    monkeypatch.setattr(lr_finder_dialog, "DEFAULT_END", 1e-5)
    lr_before = window.form._lr.value()
    dialog = _open(qtbot, window)
    qtbot.waitUntil(lambda: len(dialog.curve("raw")[0]) > 0, timeout=30_000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    _wait_until_ended(qtbot, dialog, timeout=10_000)

    result = dialog.result
    assert result is not None and result.ended == "stopped"
    assert 0 < len(result.rates) < 10_000
    assert dialog.curve("raw")[0] == list(result.rates)
    assert "Cancelled after" in dialog.summary.text()
    assert not dialog.use_button.isEnabled() and dialog.marked_rate() is None
    dialog.reject()
    assert window.form._lr.value() == lr_before  # nothing was put into the form


def test_closing_the_dialog_stops_its_sweep(qtbot, window, monkeypatch):
    monkeypatch.setattr(lr_finder_dialog, "DEFAULT_STEPS", 10_000)
    monkeypatch.setattr(lr_finder_dialog, "DEFAULT_END", 1e-5)
    dialog = _open(qtbot, window)
    qtbot.waitUntil(lambda: len(dialog.curve("raw")[0]) > 0, timeout=30_000)
    with qtbot.waitSignal(dialog.sweep_ended, timeout=10_000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert window.lr_finder.dialog is None


def test_run_again_sweeps_with_the_dialogs_settings(qtbot, window):
    dialog = _open(qtbot, window)
    _wait_until_ended(qtbot, dialog)
    dialog.steps_spin.setValue(20)
    dialog.start_spin.setValue(1e-6)
    dialog.end_spin.setValue(1e-4)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.result is None and not dialog.use_button.isEnabled()
    _wait_until_ended(qtbot, dialog)
    result = dialog.result
    assert result.steps == 20 and result.ended == "completed"
    assert result.rates[0] == pytest.approx(1e-6) and result.rates[-1] == pytest.approx(1e-4)
    assert "had not exploded" in dialog.summary.text()
    dialog.reject()


def test_a_problem_is_said_in_the_dialog(qtbot, window, monkeypatch):
    def refuse(*args, **kwargs):
        raise ExperimentError("training.device: 'cuda' was asked for")

    monkeypatch.setattr(lr_find, "find_learning_rate", refuse)
    dialog = _open(qtbot, window)
    _wait_until_ended(qtbot, dialog)
    assert "training.device" in dialog.summary.text()
    assert dialog.result is None and not dialog.use_button.isEnabled()
    dialog.reject()


def _shown_whole(widget: QWidget, top: QWidget) -> bool:
    corner = widget.mapTo(top, widget.rect().topLeft())
    inside = top.rect().contains(QRect(corner, widget.size()))
    return inside and widget.visibleRegion().boundingRect() == widget.rect()


def test_the_button_and_the_dialog_fit_a_1280x720_screen(qtbot, window):
    window.fit_to(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    form = window.form
    assert _shown_whole(form.find_lr_button, window)
    assert _shown_whole(form._lr, window) and form._lr.width() >= 72
    # Beside the learning rate, on its row.
    button_y = form.find_lr_button.mapTo(window, form.find_lr_button.rect().center()).y()
    assert abs(button_y - form._lr.mapTo(window, form._lr.rect().center()).y()) <= 2
    assert form.find_lr_button.toolTip() and form.find_lr_button.accessibleName()

    dialog = _open(qtbot, window)
    qtbot.waitExposed(dialog)
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= min(1280, screen.width())
    assert dialog.height() <= min(720, screen.height())
    controls = [
        w
        for w in dialog.findChildren(QWidget)
        if isinstance(w, QAbstractButton | QAbstractSpinBox) and w.isVisible()
    ]
    assert {w.objectName() for w in controls} >= {
        "lrFinderStart",
        "lrFinderEnd",
        "lrFinderSteps",
        "lrFinderRunButton",
        "lrFinderCancel",
        "lrFinderUseButton",
    }
    for widget in controls:
        assert _shown_whole(widget, dialog), widget.objectName()
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, widget.objectName()
    _wait_until_ended(qtbot, dialog)
    dialog.reject()
