"""The Lessons tab: a lesson run in the window, its checks shown with the learner's numbers."""

from PySide6.QtWidgets import QWidget

from workbench.lessons import lesson_names


def test_the_lessons_tab_lists_every_lesson(window):
    panel = window.findChild(QWidget, "lessonsPanel")
    assert panel is window.lessons_panel
    names = [panel.list.item(i).data(256) for i in range(panel.list.count())]
    assert names == lesson_names()
    assert "The learning rate decides" in panel.text.toPlainText()  # the first, shown


def test_run_lesson_trains_its_runs_and_shows_what_they_show(qtbot, window):
    panel = window.lessons_panel
    panel.select("overfitting")
    panel.run_button.click()
    assert not panel.run_button.isEnabled() and panel.stop_button.isEnabled()
    assert window.current_tab() is window.training_tab  # the curves, live
    assert window.current_experiment().name == "lesson-overfitting"  # the form: its settings
    qtbot.waitUntil(lambda: panel.checks() is not None, timeout=60_000)
    checks = panel.checks()
    assert len(checks) == 2 and all(check.holds for check in checks)
    text = panel.text.toPlainText()
    assert "What your runs show" in text and "of its 300 training samples right" in text
    assert panel.progress.value() == panel.progress.maximum()
    assert panel.state.text() == "Done: 2 of 2 of the lesson's points hold on your runs."
    assert panel.run_button.isEnabled() and not panel.stop_button.isEnabled()
    qtbot.waitUntil(lambda: window.current_tab() is panel, timeout=5_000)
    runs = [run for run in window.store.list_runs() if run.name == "lesson-overfitting"]
    assert len(runs) == 1 and runs[0].test is None  # recorded; the test set untouched


def test_stop_ends_the_lesson_without_its_checks(qtbot, window):
    panel = window.lessons_panel
    panel.select("optimizers")
    panel.run_button.click()
    qtbot.waitUntil(lambda: window.training_run is not None, timeout=30_000)
    panel.stop_button.click()
    qtbot.waitUntil(lambda: panel.run_button.isEnabled(), timeout=60_000)
    assert panel.checks() is None
    assert panel.state.text().startswith("The lesson ended early (stopped)")
    raced = [run for run in window.store.list_runs() if run.name.startswith("lesson-optimizers")]
    assert len(raced) == 1  # the other four variants never started


def test_open_in_form_puts_the_lessons_experiment_in_the_form(window):
    panel = window.lessons_panel
    panel.select("overfitting")
    panel.open_button.click()
    experiment = window.current_experiment()
    assert experiment.name == "lesson-overfitting" and experiment.data.train_limit == 300
    assert experiment.training.epochs == 100


def test_a_paths_lesson_sets_up_the_paths_tab_and_checks_its_walks(qtbot, window):
    panel = window.lessons_panel
    panel.select("optimizer-paths")
    panel.run_button.click()
    assert window.current_tab() is window.paths_panel
    assert "4 run(s)" in panel.text.toPlainText()  # the four optimizers' paths
    assert window.paths_panel.function() == "book"
    assert window.paths_panel.table.checked() == ["sgd", "momentum", "adagrad", "adam"]
    qtbot.waitUntil(lambda: panel.checks() is not None, timeout=30_000)
    checks = panel.checks()
    assert len(checks) == 2 and all(check.holds for check in checks)
    assert checks[0].sentence.startswith("SGD's step in y changed direction 29 times")
