"""The Search tab: a search run from the window, its results, Narrow, Apply best, resume."""

import math

import pytest
from PySide6.QtCore import Qt

from workbench.app import create_window
from workbench.search.space import Param


@pytest.fixture
def searching(qtbot, tmp_path, monkeypatch):
    """A window on its own store, its Search tab set for a small, quick search."""
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "store"))
    win = create_window()
    qtbot.addWidget(win)
    win.form._device.setCurrentIndex(win.form._device.findData("cpu"))
    panel = win.search_panel
    panel.trials.setValue(5)
    panel.epochs.setValue(2)
    panel.train_limit.setValue(100)
    panel.workers.setValue(1)  # trials in the search's thread: no processes to spawn here
    win.show_tab(panel)
    return win


def run_search(qtbot, win, timeout=120_000):
    panel = win.search_panel
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert panel.is_running(), panel.message.text()
    with qtbot.waitSignal(panel.running_changed, timeout=timeout) as blocker:
        pass
    assert blocker.args == [False]
    return panel


def test_a_search_fills_the_table_the_scatter_and_the_curves(qtbot, searching):
    win = searching
    panel = run_search(qtbot, win)
    assert panel.progress.value() == panel.progress.maximum() == 5
    assert panel.table.rowCount() == 5
    scores = [panel.table.item(row, 2).text() for row in range(5)]
    numbers = [float(text) for text in scores if text]
    assert numbers == sorted(numbers, reverse=True)  # validation accuracy, best first
    lrs = [float(panel.table.item(row, 4).text()) for row in range(5)]
    assert all(1e-6 <= lr <= 1e-2 for lr in lrs)
    scored = panel.scatter.points["scored"]
    assert len(scored) == len(numbers)
    # The learning rate axis is logarithmic: pyqtgraph holds log10 of the values.
    assert panel.scatter.getPlotItem().ctrl.logXCheck.isChecked()
    assert panel.curves.shown and panel.curves.shown[0] == int(panel.table.item(0, 0).text())
    # Trials are recorded runs of the search, never tested: the test split stays sealed.
    records = win.store.search_runs(panel._search_id)
    assert len(records) == 5 and all(record.test is None for record in records)
    # ... and they stay out of the Runs tab, which lists the person's own runs.
    win.runs_panel.refresh()
    assert all(record.search_id is None for record in win.runs_panel._records.values())


def test_apply_best_loads_the_winner_into_the_form(qtbot, searching):
    win = searching
    panel = run_search(qtbot, win)
    best = panel.trial_results()[0]
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    experiment = win.current_experiment()
    assert math.isclose(experiment.optimizer.lr, best.values["optimizer.lr"], rel_tol=1e-3)
    assert math.isclose(
        experiment.optimizer.weight_decay, best.values["optimizer.weight_decay"], rel_tol=1e-3
    )
    # Only the tuned values: the search's epochs and training subset stay out of the form.
    assert experiment.training.epochs != 2 or experiment.data.train_limit != 100
    assert win.centre_tabs.currentIndex() == 0
    assert "Applied the best trial" in win.status_text()


def test_narrow_proposes_a_smaller_range_inside_the_old_one(qtbot, searching):
    win = searching
    panel = run_search(qtbot, win)
    qtbot.mouseClick(panel.narrow_button, Qt.MouseButton.LeftButton)
    narrowed = {
        path: Param.model_validate(table) for path, table in panel.space_editor.space().items()
    }
    lr = narrowed["optimizer.lr"]
    assert 1e-6 <= lr.low <= lr.high <= 1e-2
    assert math.log10(lr.high / lr.low) < 4  # narrower than the four decades searched
    assert "Narrowed" in panel.message.text()


def test_bad_space_is_refused_with_the_setting_named(qtbot, searching):
    panel = searching.search_panel
    editor = panel.space_editor
    editor._widget(0, 2).setText("1e-2, 1e-6")  # low > high
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert not panel.is_running()
    text = panel.message.text()
    assert '"optimizer.lr"' in text and "low <= high" in text
    assert editor._widget(0, 2).toolTip() == text  # the row is marked with the reason
    editor._widget(0, 2).setText("0, 1e-2")  # a log range touching 0
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert "0 < low" in panel.message.text()
    editor._widget(0, 2).setText("1e-6, 1e-2")
    editor._widget(1, 0).setCurrentText("optimizer.nonsense")
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert '"optimizer.nonsense"' in panel.message.text()
    assert "nonsense" in searching.status_text()
    assert not panel.is_running()


def test_training_is_off_while_a_search_runs(qtbot, searching):
    win = searching
    panel = win.search_panel
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert not win.train_button.isEnabled() and not panel.start_button.isEnabled()
    with qtbot.waitSignal(panel.running_changed, timeout=120_000):
        pass
    assert win.train_button.isEnabled() and panel.start_button.isEnabled()


def test_a_stored_search_is_shown_after_a_restart_and_continued(qtbot, searching):
    first = searching
    run_search(qtbot, first)
    search_id = first.search_panel._search_id
    first.close()

    again = create_window()  # the same store: what a restart finds
    qtbot.addWidget(again)
    panel = again.search_panel
    index = panel.history.findData(search_id)
    assert index > 0
    panel.history.setCurrentIndex(index)
    panel._on_history_chosen(index)
    assert panel.table.rowCount() == 5 and panel.trials.value() == 5
    panel.trials.setValue(7)  # two more trials of the same search
    run_search(qtbot, again)
    assert panel._search_id == search_id  # continued, not a new search
    assert panel.table.rowCount() == 7
    numbers = sorted(int(panel.table.item(row, 0).text()) for row in range(7))
    assert numbers == list(range(7))
