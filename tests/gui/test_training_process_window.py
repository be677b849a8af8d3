"""Run > Train in a separate process (issue 21): the window's run trains in a second process
and looks the same: live curves, the Inside tab, the decision boundary, Stop, the record,
Evaluate; the choice is remembered, and cannot change under a run."""

import os
import signal

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt

from tests.gui.conftest import evaluate_test, run_to_end, start_run
from tests.gui.test_decision_boundary import choose
from workbench.app import create_window
from workbench.core import RunStatus
from workbench.ui.training_place import SETTING


@pytest.fixture
def in_process(window):
    action = window.menu_actions.train_in_process
    action.setChecked(True)
    yield window
    action.setChecked(False)  # later tests' windows train in a thread again


def test_a_run_in_the_process_fills_the_window_as_a_thread_run_does(qtbot, in_process):
    window = in_process
    assert window.controller.trains_in_process
    run = start_run(qtbot, window)
    assert run.in_process
    # Where a run trains is fixed while it trains.
    assert not window.menu_actions.train_in_process.isEnabled()
    with qtbot.waitSignal(run.run_finished, timeout=60_000) as finished:
        pass
    result = finished.args[0]
    assert result.status is RunStatus.COMPLETED
    for plot in (window.loss_plot, window.accuracy_plot):
        x, _ = plot.points("validation")
        np.testing.assert_array_equal(x, [1, 2, 3])
    _, val_loss = window.loss_plot.points("validation")
    assert list(val_loss) == [m.val_loss for m in result.history]
    # Recorded by the process into the window's store, looks inside included.
    record = window.store.get_run(window.controller.last_run_id)
    assert record.status == "completed" and len(record.history) == 3
    assert len(window.controller.last_outcome.snapshots) >= 2
    assert window.menu_actions.train_in_process.isEnabled()
    # The weights came back from the process: the test set evaluates them here.
    tested = evaluate_test(qtbot, window)
    assert tested.test is not None and 0.5 < tested.test.accuracy <= 1.0


def test_stop_stops_a_run_in_the_process(qtbot, in_process):
    window = in_process
    window.form._epochs.setValue(100_000)
    run = start_run(qtbot, window)
    qtbot.waitSignal(run.epoch_finished, timeout=60_000).wait()
    with qtbot.waitSignal(run.run_finished, timeout=30_000) as finished:
        qtbot.mouseClick(window.stop_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].status is RunStatus.STOPPED
    assert window.status_text().startswith("Stopped by you")


def test_the_decision_boundary_comes_from_the_process(qtbot, in_process):
    window = in_process
    choose(window, "spiral")
    window.form._epochs.setValue(10)
    window.show()
    qtbot.waitExposed(window)
    view = window.training_tab.boundary
    window.training_tab.setCurrentWidget(view)
    result = run_to_end(qtbot, window)
    qtbot.waitUntil(lambda: getattr(view.drawn_grid(), "moment", None) == "final", timeout=5_000)
    assert view.drawn_grid().epoch == result.weights_epoch


def test_the_choice_is_remembered_by_the_next_window(qtbot, in_process):
    assert QSettings().value(SETTING) in (True, "true")
    other = create_window()
    qtbot.addWidget(other)
    try:
        assert other.menu_actions.train_in_process.isChecked()
        assert other.controller.trains_in_process
    finally:
        other.menu_actions.train_in_process.setChecked(False)
        other.close()
    assert QSettings().value(SETTING) in (False, "false")


def test_a_killed_process_fails_the_run_a_new_one_follows_and_close_ends_it(qtbot, in_process):
    window = in_process
    window.form._epochs.setValue(100_000)
    run = start_run(qtbot, window)
    qtbot.waitSignal(run.epoch_finished, timeout=60_000).wait()
    doomed = window.controller._process
    with qtbot.waitSignal(run.run_finished, timeout=30_000) as finished:
        os.kill(doomed._process.pid, signal.SIGKILL)
    result = finished.args[0]
    assert result.status is RunStatus.FAILED and result.epochs_run >= 1
    assert "the training process ended (exit code -9)" in result.error
    assert "TrainingProcessDied" not in window.status_text()
    window.form._epochs.setValue(2)
    again = run_to_end(qtbot, window)
    assert again.status is RunStatus.COMPLETED
    process = window.controller._process
    assert process is not doomed
    # Closing the window mid-run stops the run, joins its thread, then ends the process.
    window.form._epochs.setValue(100_000)
    run = start_run(qtbot, window)
    qtbot.waitSignal(run.epoch_finished, timeout=60_000).wait()
    window.close()
    assert not run.is_running()
    assert not process.is_alive()
