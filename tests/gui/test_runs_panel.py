"""The Runs tab: runs recorded from the window, overlaid, diffed, loaded back, deleted."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from tests.gui.conftest import start_run
from workbench.app import create_window
from workbench.runs import RunStore


def window_on_store(qtbot, monkeypatch, store_dir):
    """A window whose run history lives in `store_dir`."""
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(store_dir))
    window = create_window()
    qtbot.addWidget(window)
    return window


def train(qtbot, window):
    run = start_run(qtbot, window)
    with qtbot.waitSignal(run.run_finished, timeout=60_000):
        pass
    return run.run_id


def test_two_runs_overlay_and_the_diff_names_only_what_changed(qtbot, tmp_path, monkeypatch):
    window = window_on_store(qtbot, monkeypatch, tmp_path / "store")
    window.form._epochs.setValue(3)
    first = train(qtbot, window)
    window.form._lr.setValue(0.01)
    second = train(qtbot, window)
    panel = window.runs_panel
    table = panel.findChild(QWidget, "runsTable")
    assert table.rowCount() == 2
    assert panel.selected_ids() == [second]  # the run just finished is selected
    panel.select_runs([first, second])
    curves = panel.overlaid()
    assert len(curves) == 2 and all(len(c) == 3 for c in curves.values())
    assert panel.diff_text().splitlines() == [
        "optimizer.lr",
        f"    {second}: 0.01",
        f"    {first}: 0.001",
    ]
    # Loading the first run back puts its learning rate into the form.
    panel.select_runs([first])
    panel.findChild(QWidget, "loadRunButton").click()
    assert window.current_experiment().optimizer.lr == 0.001

    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    panel.select_runs([second])
    panel.delete_selected()
    assert [r.id for r in RunStore(tmp_path / "store").list_runs()] == [first]
    assert table.rowCount() == 1


def test_a_new_run_adds_its_own_row_without_reading_every_run_again(qtbot, tmp_path, monkeypatch):
    window = window_on_store(qtbot, monkeypatch, tmp_path / "store")
    window.form._epochs.setValue(2)
    first = train(qtbot, window)
    reads = []
    every_run = window.store.list_runs
    monkeypatch.setattr(
        window.store, "list_runs", lambda *a, **k: reads.append(a) or every_run(*a, **k)
    )
    table = window.runs_panel.findChild(QWidget, "runsTable")
    table.sortItems(5, Qt.SortOrder.DescendingOrder)  # the person sorts by learning rate
    window.form._lr.setValue(0.0001)
    second = train(qtbot, window)
    assert reads == []  # neither the Runs tab nor the Inside tab's list read the whole store
    rows = {int(table.item(row, 0).text()): row for row in range(table.rowCount())}
    assert rows == {first: 0, second: 1}  # in its place by rate, not on top as the newest
    assert table.item(rows[second], 5).text() == "0.0001"
    assert table.item(rows[second], 6).text() == "completed"
    assert window.runs_panel.selected_ids() == [second]
    combo = window.inside_panel.run_combo
    assert [combo.itemData(i) for i in range(combo.count())] == [second, first]
    assert combo.currentData() == second


def test_runs_survive_a_restart_and_can_be_renamed(qtbot, tmp_path, monkeypatch):
    window = window_on_store(qtbot, monkeypatch, tmp_path / "store")
    window.form._epochs.setValue(2)
    run_id = train(qtbot, window)
    window.close()
    reopened = create_window()
    qtbot.addWidget(reopened)
    table = reopened.runs_panel.findChild(QWidget, "runsTable")
    assert table.rowCount() == 1 and table.item(0, 6).text() == "completed"
    table.item(0, 1).setText("baseline")
    assert RunStore(tmp_path / "store").get_run(run_id).name == "baseline"


def test_a_corrupt_run_store_still_lets_the_app_start(qtbot, tmp_path, monkeypatch):
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    (store_dir / "runs.sqlite3").write_bytes(b"garbage" * 200)
    window = window_on_store(qtbot, monkeypatch, store_dir)
    assert "Run history unavailable" in window.status_text()
    assert window.store is not None and window.store.folder != store_dir
    window.form._epochs.setValue(2)
    assert train(qtbot, window) is not None  # still recorded, in the temporary store


def test_one_click_races_the_five_optimizers_and_overlays_them(qtbot, tmp_path, monkeypatch):
    window = window_on_store(qtbot, monkeypatch, tmp_path / "store")
    window.form._epochs.setValue(2)
    window.form._name.setText("race")
    combo = window.findChild(QWidget, "compareByCombo")
    assert combo.currentData() == "optimizer"
    statuses = []
    original = window.run_display.on_epoch_finished

    def record(metrics):
        original(metrics)
        statuses.append(window.status_text())

    monkeypatch.setattr(window.run_display, "on_epoch_finished", record)
    qtbot.mouseClick(
        window.findChild(QWidget, "compareOptimizersButton"), Qt.MouseButton.LeftButton
    )
    window.training_run.epoch_finished.disconnect()
    window.training_run.epoch_finished.connect(record)
    qtbot.waitUntil(
        lambda: window.training_run is None and window.status_text().startswith("Comparison"),
        timeout=120_000,
    )
    assert window.current_tab() is window.runs_panel
    curves = window.runs_panel.overlaid()
    # Each optimizer raced with its own (the book's) rate, named in the legend.
    assert sorted(name.split(": ")[1] for name in curves) == [
        "race [adagrad, lr 0.01]",
        "race [adam, lr 0.001]",
        "race [momentum, lr 0.01]",
        "race [rmsprop, lr 0.01]",
        "race [sgd, lr 0.01]",
    ]
    assert "val. accuracy at best epoch" in window.status_text()
    assert "The test set was not used" in window.status_text()
    # The last variant is not "the chosen model": the window's button leaves it to the Runs
    # tab's Test… on the run the learner picks.
    assert not window.evaluate_button.isEnabled()
    assert "press Test…" in window.status_text()
    diff = window.runs_panel.diff_text()
    assert "optimizer.name" in diff and "optimizer.lr" in diff
    # The status said which variant was training; the first epoch's line names it.
    assert statuses[0].startswith("Variant 1/5 (race [sgd, lr 0.01]): Epoch 1/2"), statuses
    assert any(s.startswith("Variant 5/5 (race [adam, lr 0.001])") for s in statuses)
    assert window.progress.value() == window.progress.maximum()
    # Exploring never touched the test set: no run of the race evaluated it.
    assert all(r.test is None for r in RunStore(tmp_path / "store").list_runs())


def test_the_race_rates_can_be_edited_before_the_race(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from workbench.ui.race_rates import RaceRatesDialog

    def edit(dialog):
        dialog.findChild(QWidget, "raceRate_sgd").setValue(0.1)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RaceRatesDialog, "exec", edit)
    qtbot.mouseClick(window.findChild(QWidget, "raceRatesButton"), Qt.MouseButton.LeftButton)
    window.form._epochs.setValue(1)
    window.start_comparison()
    assert window.training_run.experiment.optimizer.lr == 0.1
    assert window.training_run.experiment.name.endswith("[sgd, lr 0.1]")
    window.stop_training()
    qtbot.waitUntil(lambda: window.training_run is None, timeout=30_000)
    # The rates button belongs to the optimizer race only.
    window.compare_by.setCurrentIndex(window.compare_by.findData("init"))
    assert window.race_rates_button.isHidden()


def test_stop_ends_the_whole_comparison(qtbot, tmp_path, monkeypatch):
    window = window_on_store(qtbot, monkeypatch, tmp_path / "store")
    window.form._epochs.setValue(10_000)
    window.form._early.setChecked(False)
    window.start_comparison()
    qtbot.waitSignal(window.training_run.epoch_finished, timeout=30_000).wait()
    window.stop_training()
    qtbot.waitUntil(lambda: window.training_run is None, timeout=30_000)
    qtbot.wait(200)
    assert window.training_run is None  # no next variant was started
    assert len(RunStore(tmp_path / "store").list_runs()) == 1


def test_tags_and_model_export_from_the_runs_tab(qtbot, tmp_path, monkeypatch):
    window = window_on_store(qtbot, monkeypatch, tmp_path / "store")
    window.form._epochs.setValue(2)
    run_id = train(qtbot, window)
    panel = window.runs_panel
    table = panel.findChild(QWidget, "runsTable")
    table.item(0, 10).setText("baseline, adam ")
    assert RunStore(tmp_path / "store").get_run(run_id).tags == ("baseline", "adam")
    panel.findChild(QWidget, "runsFilter").setText("baseline")
    assert not table.isRowHidden(0)
    panel.findChild(QWidget, "runsFilter").setText("nothing like it")
    assert table.isRowHidden(0)
    assert panel.export_model(run_id, tmp_path / "out" / "best.safetensors")
    assert (tmp_path / "out" / "best.safetensors").exists()
    assert (tmp_path / "out" / "best.toml").exists()
    assert "Model saved to" in window.status_text()
    from safetensors.torch import load_file

    weights = load_file(str(tmp_path / "out" / "best.safetensors"))
    stored = RunStore(tmp_path / "store").load_best_weights(run_id)
    assert weights.keys() == stored.keys()


def test_reports_of_one_run_and_a_comparison_from_the_runs_tab(qtbot, tmp_path, monkeypatch):
    window = window_on_store(qtbot, monkeypatch, tmp_path / "store")
    window.form._epochs.setValue(3)
    ids = [train(qtbot, window)]
    window.form._lr.setValue(0.003)
    ids.append(train(qtbot, window))
    panel = window.runs_panel
    single = tmp_path / "one.pdf"
    assert panel.write_report(ids[:1], single, "pdf")
    assert single.read_bytes().startswith(b"%PDF-")
    assert "Report saved to" in window.status_text()
    comparison = tmp_path / "both.html"
    assert panel.write_report(ids, comparison, "html")
    text = comparison.read_text()
    assert text.count(f"#{ids[0]}") >= 1 and text.count(f"#{ids[1]}") >= 1


def test_a_run_chosen_in_the_runs_tab_is_tested_once(qtbot, tmp_path, monkeypatch):
    """After comparing two runs on validation data, the chosen one (not the last) is tested."""
    window = window_on_store(qtbot, monkeypatch, tmp_path / "store")
    window.form._epochs.setValue(3)
    chosen = train(qtbot, window)
    window.form._lr.setValue(0.01)
    last = train(qtbot, window)
    panel = window.runs_panel
    button = panel.findChild(QWidget, "runsEvaluateTestButton")
    panel.select_runs([chosen, last])
    assert not button.isEnabled()  # one run at a time
    panel.select_runs([chosen])
    assert button.isEnabled()
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    with qtbot.waitSignal(window.test_evaluated, timeout=60_000) as evaluated:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    tested = evaluated.args[0]
    assert tested is not None and tested.test is not None, window.status_text()
    store = RunStore(tmp_path / "store")
    assert store.get_run(chosen).test["accuracy"] == tested.test.accuracy
    assert store.get_run(last).test is None
    # The window now stands on the tested run: its report is the one exported.
    assert window.controller.last_run_id == chosen
    assert window.current_tab() is window.training_tab
    assert f"{tested.test.accuracy:.4f}" in window.results.metric_texts()
    # Testing it again is refused: the button is off for a run that has test results.
    panel.select_runs([chosen])
    assert not button.isEnabled()
