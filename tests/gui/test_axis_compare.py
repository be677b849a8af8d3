"""Compare along a setting at values the learner lists: learning rates, dropout, schedules."""

from PySide6.QtWidgets import QDialog, QDialogButtonBox

from workbench.runs.compare import VALUE_AXES
from workbench.ui.axis_values import AxisValuesDialog, axis_texts


def test_every_value_axis_but_batch_size_is_offered_in_the_compare_combo(window):
    offered = {window.compare_by.itemData(i) for i in range(window.compare_by.count())}
    assert set(VALUE_AXES) - {"batch_size"} <= offered
    assert set(axis_texts()) == set(VALUE_AXES) - {"batch_size"}


def test_compare_learning_rates_asks_the_values_and_overlays_one_run_each(
    qtbot, window, monkeypatch
):
    window.form._epochs.setValue(2)
    window.form._name.setText("rates")
    window.compare_by.setCurrentIndex(window.compare_by.findData("lr"))
    assert window.race_rates_button.isHidden()  # rates are the optimizer race's
    asked = []

    def answer(dialog):
        asked.append(dialog.edit.text())
        dialog.edit.setText("0.00001, 0.01")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AxisValuesDialog, "exec", answer)
    window.compare_button.click()
    qtbot.waitUntil(lambda: window.training_run is not None, timeout=30_000)
    qtbot.waitUntil(
        lambda: window.training_run is None and window.status_text().startswith("Comparison"),
        timeout=90_000,
    )
    assert asked == ["1e-05, 0.001, 1"]  # the axis' defaults, the first time
    assert sorted(name.split(": ")[1] for name in window.runs_panel.overlaid()) == [
        "rates [lr 0.01]",
        "rates [lr 1e-05]",
    ]
    # The next comparison starts from the values last used.
    monkeypatch.setattr(AxisValuesDialog, "exec", lambda d: asked.append(d.edit.text()) or 0)
    window.compare_button.click()
    assert asked[-1] == "0.00001, 0.01"
    assert window.training_run is None  # cancelled: nothing trains


def test_the_values_dialog_says_what_is_wrong_before_anything_trains(qtbot):
    dialog = AxisValuesDialog("schedule", "constant, cosine+warmup", None)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and dialog.values() == ("constant", "cosine+warmup")
    dialog.edit.setText("constant, cosine+warm")
    assert not ok.isEnabled()
    assert dialog.problem.text().startswith("'cosine+warm' is not one of constant, step")
    dialog.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).click()
    assert dialog.edit.text() == "constant, step, cosine, cosine+warmup" and ok.isEnabled()
