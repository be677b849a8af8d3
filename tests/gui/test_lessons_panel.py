"""The Lessons tab: a lesson run in the window, its checks shown with the learner's numbers."""

import pytest
from PySide6.QtWidgets import QWidget

from workbench.app import create_window
from workbench.lessons import lesson_names


@pytest.fixture
def fresh_window(qtbot, tmp_path, monkeypatch):
    """A window on a store of its own: a search lesson run before would be resumed, done."""
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path))
    win = create_window()
    qtbot.addWidget(win)
    win.fit_to(1360, 820)
    return win


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


def test_the_test_set_lesson_tests_its_chosen_run_once_in_the_results_tab(qtbot, fresh_window):
    window = fresh_window  # no earlier test has looked at this test set
    panel = window.lessons_panel
    panel.select("test-set-once")
    panel.run_button.click()
    qtbot.waitUntil(lambda: panel.checks() is not None, timeout=120_000)
    checks = panel.checks()
    assert len(checks) == 2 and all(check.holds for check in checks), [
        check.sentence for check in checks
    ]
    runs = [run for run in window.store.list_runs() if run.name.startswith("lesson-test-set")]
    tested = [run for run in runs if run.test is not None]
    assert len(runs) == 4 and len(tested) == 1  # the chosen run alone, once
    # The Results tab shows the chosen run's test metrics, as Evaluate on test set would.
    assert window.results.metric_texts()[1] == f"{tested[0].test['accuracy']:.4f}"
    assert window.results.test_seen_warning() is None  # the first look
    assert "(the count says 1)" in checks[1].sentence
    qtbot.waitUntil(lambda: window.current_tab() is panel, timeout=5_000)


def test_the_new_data_lesson_opens_the_predict_tab_on_its_model(qtbot, window):
    window.show()  # the Predict tab loads its run when it is shown
    panel = window.lessons_panel
    panel.select("new-data")
    panel.run_button.click()
    qtbot.waitUntil(lambda: panel.checks() is not None, timeout=120_000)
    checks = panel.checks()
    assert checks[0].holds and "of the drawn digits right" in checks[0].sentence
    qtbot.waitUntil(lambda: window.current_tab() is window.predict_panel, timeout=5_000)
    # The lesson's model, tested once as a final model is, is the one the Predict tab uses.
    (run,) = [run for run in window.store.list_runs() if run.name == "lesson-new-data"]
    assert run.test is not None
    qtbot.waitUntil(lambda: window.predict_panel.run_combo.currentData() == run.id, timeout=10_000)


def test_a_search_lesson_runs_its_rounds_in_the_background(qtbot, fresh_window):
    window = fresh_window
    panel = window.lessons_panel
    panel.select("validation-search")
    assert "17 run(s)" in panel.text.toPlainText()  # 2 rounds of 8 trials, then the best
    panel.run_button.click()
    assert window.current_experiment().name == "lesson-search"
    qtbot.waitUntil(lambda: "Search round 1/2: trial" in panel.state.text(), timeout=30_000)
    qtbot.waitUntil(lambda: panel.checks() is not None, timeout=120_000)
    assert len(panel.checks()) == 3 and all(check.holds for check in panel.checks())
    runs = window.store.list_runs()
    assert len(runs) == 17 and sum(run.name.startswith("lesson-search [lr ") for run in runs) == 1
    assert len(window.store.list_searches()) == 2
    assert window.search_panel.history.count() == 3  # "new search" and the two rounds
    # The Search tab shows the narrowed round, where Apply best continues from its best.
    newest = max(search.id for search in window.store.list_searches())
    assert window.search_panel.history.currentData() == newest


def test_stop_ends_a_search_lesson_without_its_checks(qtbot, fresh_window):
    window = fresh_window
    panel = window.lessons_panel
    panel.select("validation-search")
    panel.run_button.click()
    qtbot.waitUntil(lambda: "Search round 1/2: trial" in panel.state.text(), timeout=30_000)
    panel.stop_button.click()
    qtbot.waitUntil(lambda: panel.run_button.isEnabled(), timeout=60_000)
    assert panel.checks() is None
    assert panel.state.text().startswith("The lesson ended early (stopped)")
    assert len(window.store.list_runs()) < 17


def test_lessons_run_on_images_the_learner_opened(qtbot, window, tmp_path):
    from tests.engine.test_lessons_own_data import digits_as_mnist

    panel = window.lessons_panel
    assert panel.own_data.isHidden()  # the digits: nothing else to offer
    folder = digits_as_mnist(tmp_path / "digits28")
    with qtbot.waitSignal(window.dataset_panel.changed, timeout=30_000):
        window.dataset_panel.open_path(folder)
    assert not panel.own_data.isHidden() and panel.own_data.isChecked()
    assert "(digits28)" in panel.own_data.text()
    panel.select("overfitting")
    panel.run_button.click()
    qtbot.waitUntil(lambda: panel.checks() is not None, timeout=120_000)
    run = max(
        (run for run in window.store.list_runs() if run.name == "lesson-overfitting"),
        key=lambda run: run.id,
    )
    assert run.config["data"]["path"] == str(folder) and run.config["data"]["train_limit"] == 300
    assert "Run on digits28, your data: at most 300 training samples." in panel.text.toPlainText()
    # The form now holds the lesson on the learner's data; the offer stays for the next lesson.
    assert window.current_experiment().data.path == str(folder)
    assert not panel.own_data.isHidden()
    panel.own_data.setChecked(False)
    panel.open_button.click()
    assert window.current_experiment().data.source == "digits"


def test_every_lesson_title_fits_its_row_at_any_list_width(window):
    """No title is cut: each row is as tall as its title wrapped at the width it is painted."""
    from PySide6.QtCore import QRect, Qt

    panel = window.lessons_panel
    window.show_tab(panel)
    metrics = panel.list.fontMetrics()
    for width in range(140, 232, 3):
        panel.list.setFixedWidth(width)
        panel.list.doItemsLayout()
        for row in range(panel.list.count()):
            item = panel.list.item(row)
            box = panel.list.visualItemRect(item).adjusted(3, 3, -3, -3)
            needed = metrics.boundingRect(
                QRect(0, 0, box.width(), 10_000), int(Qt.TextFlag.TextWordWrap), item.text()
            )
            assert needed.height() <= box.height(), (width, item.text())
            assert needed.width() <= box.width(), (width, item.text())


def test_a_lesson_about_the_inside_is_watched_in_the_inside_tab(qtbot, window):
    panel = window.lessons_panel
    panel.select("activation-distributions")  # views = ["inside", "runs"]
    panel.run_button.click()
    assert window.current_tab() is window.inside_panel
    qtbot.waitUntil(lambda: panel.checks() is not None, timeout=60_000)
