"""The final evaluation in the window: reports, mistakes, test-set reuse, and predicting."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import evaluate_test, start_run
from workbench.__main__ import main
from workbench.data.builtin import load_dataset
from workbench.predict.drawing import image_to_raw, ink_to_image


def finish_run(qtbot, window):
    """Train, then evaluate the model on the test set: the learner's final step."""
    run = start_run(qtbot, window)
    with qtbot.waitSignal(run.run_finished, timeout=60_000):
        pass
    evaluate_test(qtbot, window)
    return run


@pytest.fixture
def trained(qtbot, tmp_path, monkeypatch):
    """The window, on an empty run store of its own, after one finished digits run."""
    from workbench.app import create_window

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "store"))
    window = create_window()
    qtbot.addWidget(window)
    window.form._epochs.setValue(4)
    window.form._batch_size.setValue(64)
    window.form._device.setCurrentIndex(window.form._device.findData("cpu"))
    finish_run(qtbot, window)
    return window


def test_a_second_run_on_the_same_test_set_carries_a_visible_warning(qtbot, trained):
    assert trained.results.test_seen_warning() is None
    assert trained.controller.last_report["test_evaluations_on_split"] == 1
    trained.form._lr.setValue(0.002)  # tuning after seeing the test results
    finish_run(qtbot, trained)
    warning = trained.results.test_seen_warning()
    assert warning is not None and "2 times" in warning
    assert trained.controller.last_report["test_evaluations_on_split"] == 2


def test_runs_made_while_exploring_do_not_count_as_looks_at_the_test_set(qtbot, trained):
    for rate in (0.002, 0.003):  # tuning by hand: validation data only
        trained.form._lr.setValue(rate)
        run = start_run(qtbot, trained)
        with qtbot.waitSignal(run.run_finished, timeout=60_000):
            pass
        assert trained.evaluate_button.isEnabled()
        assert trained.controller.last_report["test"] is None
    trained.form._lr.setValue(0.004)
    finish_run(qtbot, trained)  # the chosen model, evaluated on purpose
    assert trained.controller.last_report["test_evaluations_on_split"] == 2  # not 4
    assert "2 times" in trained.results.test_seen_warning()
    assert not trained.evaluate_button.isEnabled()


def test_the_results_say_which_weights_were_tested(trained):
    assert "Tested with the weights of the best epoch" in trained.results._message.text()


def test_exported_html_and_pdf_reports(trained, tmp_path):
    html = trained.export_report(tmp_path / "report.html").read_text()
    assert 'id="misclassified"' in html and "data:image/png;base64," in html
    pdf = trained.export_report(tmp_path / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


def test_mistakes_and_a_confusion_cell_open_their_examples(trained):
    dialog = trained.results.show_mistakes()
    entries = trained.controller.last_report["misclassified"]
    assert dialog is not None and dialog.shown == len(entries) > 0
    dialog.close()
    matrix = trained.controller.last_result.test.confusion_matrix
    true, predicted = next(
        (i, j) for i, row in enumerate(matrix) for j, count in enumerate(row) if i != j and count
    )
    table = trained.results._confusion
    table.cellDoubleClicked.emit(true, predicted)
    dialog = trained.results._dialog
    assert dialog is not None and dialog.shown == min(matrix[true][predicted], 96)
    dialog.close()


def open_predict_tab(window):
    """Show the window on its Predict tab, as a person would to predict."""
    window.show()
    window.show_tab(window.predict_panel)
    return window.predict_panel


def predict_file(qtbot, panel, path):
    with qtbot.waitSignal(panel.predictions_ready, timeout=30_000):
        panel.predict_path(path)


def test_predictions_in_the_window_equal_the_command_line(qtbot, trained, tmp_path):
    panel = open_predict_tab(trained)
    run_id = trained.training_run.run_id if trained.training_run else trained.controller.last_run_id
    assert panel.run_combo.currentData() == run_id
    digits = load_dataset("digits")
    inputs = tmp_path / "new.npz"
    np.savez(inputs, x=digits.features[:30], y=digits.labels[:30])
    predict_file(qtbot, panel, inputs)
    assert panel.model.rowCount() == 30
    window_csv = tmp_path / "window.csv"
    panel.save_predictions(window_csv)
    cli_csv = tmp_path / "cli.csv"
    assert main(["predict", str(run_id), str(inputs), "--out", str(cli_csv)]) == 0
    assert window_csv.read_text() == cli_csv.read_text()
    assert "Accuracy against the file's own labels" in panel.summary.text()

    # A bad file: one line in red, and the predictions shown stay.
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    predict_file(qtbot, panel, bad)
    assert "bad.csv" in panel.summary.text() and "64" in panel.summary.text()
    assert panel.model.rowCount() == 30


def test_a_drawn_digit_reaches_the_model_with_trainings_preprocessing(qtbot, trained):
    panel = open_predict_tab(trained)
    predictor = panel.predictor
    assert predictor is not None and predictor.accepts_drawing and panel.canvas.isEnabled()
    seen = []
    predictor.model.register_forward_pre_hook(lambda module, args: seen.append(args[0].clone()))
    # A "1": a vertical bar, drawn with real mouse events.
    canvas = panel.canvas
    canvas.resize(280, 280)
    side = canvas.width()
    for kind, y in [
        (QMouseEvent.Type.MouseButtonPress, 0.2),
        (QMouseEvent.Type.MouseMove, 0.5),
        (QMouseEvent.Type.MouseMove, 0.8),
        (QMouseEvent.Type.MouseButtonRelease, 0.8),
    ]:
        point = QPointF(side * 0.5, side * y)
        buttons = (
            Qt.MouseButton.NoButton
            if kind == QMouseEvent.Type.MouseButtonRelease
            else (Qt.MouseButton.LeftButton)
        )
        event = QMouseEvent(
            kind, point, point, Qt.MouseButton.LeftButton, buttons, Qt.KeyboardModifier.NoModifier
        )
        QApplication.sendEvent(canvas, event)
    qtbot.waitUntil(lambda: panel.canvas_probabilities() is not None, timeout=2_000)
    # The digit laid out as the data were made, held under the data's usual values.
    expected_raw = np.minimum(
        image_to_raw(ink_to_image(canvas.ink(), 8, 8), predictor.preprocessing.pixel_max),
        predictor.preprocessing.usual_ceiling(),
    )[None, :]
    expected_input = predictor.preprocessing.apply(expected_raw)
    np.testing.assert_allclose(seen[-1].numpy(), expected_input, atol=1e-6)
    np.testing.assert_allclose(
        panel.canvas_probabilities(), predictor.probabilities(expected_raw)[0], atol=1e-6
    )
    assert panel.canvas_result.text().split()[0] in predictor.class_names
    answer_size = panel.canvas_result.font().pointSize()
    canvas.clear()
    qtbot.waitUntil(lambda: panel.canvas_probabilities() is None, timeout=2_000)
    # The prompt in the answer's place is in the text's own size: large, it wrapped mid-word.
    assert panel.canvas_result.text() == "Draw a digit"
    assert panel.canvas_result.font().pointSize() < answer_size


def test_export_button_writes_the_format_chosen_in_the_dialog(
    qtbot, trained, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    from workbench.ui.report_export import _filters

    target = tmp_path / "for-teacher"  # no suffix typed: the chosen filter decides
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), _filters()["pdf"])
    )
    qtbot.mouseClick(trained.export_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "for-teacher.pdf"
    assert written.read_bytes().startswith(b"%PDF-")
    assert str(written) in trained.status_text()


def test_the_training_thread_sets_its_own_torch_thread_count(qtbot, window, monkeypatch):
    """BLAS thread counts are per thread: the main thread's setting does not reach the worker."""
    import threading

    import torch

    calls = []
    real = torch.set_num_threads

    def spy(count):
        calls.append((threading.get_ident(), count))
        real(count)

    monkeypatch.setattr(torch, "set_num_threads", spy)
    finish_run(qtbot, window)
    main = threading.get_ident()
    from workbench.ui.worker import training_threads

    assert any(ident != main and count == training_threads() for ident, count in calls)


def test_the_predict_tab_loads_the_new_run_only_when_shown(qtbot, trained):
    panel = trained.predict_panel
    assert panel.predictor is None  # the run ended with the tab hidden: nothing built yet
    open_predict_tab(trained)
    assert panel.predictor is not None
    assert panel.run_combo.currentData() == trained.controller.last_run_id


def test_the_predict_tab_suggests_augmentation_to_a_model_trained_without_it(qtbot, trained):
    panel = open_predict_tab(trained)
    assert "without data augmentation" in panel.run_info.text()
    trained.show_tab(trained.results)
    trained.form._shift.setValue(0.1)
    trained.form._rotation.setValue(10)
    finish_run(qtbot, trained)
    open_predict_tab(trained)
    assert panel.predictor is not None
    assert panel.predictor.run.experiment.augmentation.shift == pytest.approx(0.1)
    assert "normalised" in panel.run_info.text()
    assert "without data augmentation" not in panel.run_info.text()


def test_the_predict_tab_says_a_run_must_be_evaluated_on_the_test_set_first(
    qtbot, tmp_path, monkeypatch
):
    """A run just trained is not offered (only tested ones predict): the tab says why."""
    from workbench.app import create_window

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "store"))
    window = create_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    panel = window.predict_panel
    window.show_tab(panel)
    assert "No trained run yet" in panel.run_info.text()
    window.form._epochs.setValue(2)
    run = start_run(qtbot, window)
    with qtbot.waitSignal(run.run_finished, timeout=60_000):
        pass
    window.show_tab(panel)
    qtbot.waitUntil(lambda: "No run evaluated" in panel.run_info.text(), timeout=5_000)
    assert panel.run_combo.count() == 0
    evaluate_test(qtbot, window)
    window.show_tab(panel)
    qtbot.waitUntil(lambda: panel.run_combo.count() == 1, timeout=5_000)
