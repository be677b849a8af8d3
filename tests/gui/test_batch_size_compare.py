"""The Run menu's mini-batch size comparison: dialog, overlaid runs and the per-size table."""

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from tests.gui.conftest import run_to_end
from workbench.ui.batch_size_compare import BatchSizeComparison, BatchSizeDialog


def test_the_menu_entry_compares_sizes_and_shows_a_row_per_size(qtbot, window, monkeypatch):
    window.form._epochs.setValue(2)
    window.form._name.setText("sizes")
    action = window.findChild(QAction, "compareBatchSizesAction")
    run_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Run")
    assert action in run_menu.actions()
    shown = []

    def answer(dialog):
        shown.append(dialog.steps.text())
        dialog.edit.setText("16, full")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BatchSizeDialog, "exec", answer)
    action.trigger()
    qtbot.waitUntil(lambda: window.training_run is not None, timeout=30_000)
    assert not action.isEnabled()  # one comparison at a time
    qtbot.waitUntil(
        lambda: window.training_run is None and window.status_text().startswith("Comparison"),
        timeout=90_000,
    )
    # The dialog said how many steps an epoch each default size takes on these 1,077 samples.
    assert shown == ["Steps per epoch: 1 \u2192 1,077, 32 \u2192 34, 256 \u2192 5, full \u2192 1"]
    comparison = window.findChild(BatchSizeComparison)
    rows = comparison.table.rows()
    assert [row[:3] for row in rows] == [["16", "2", "68"], ["1077 (full)", "2", "1"]]
    small, full = rows
    assert small[7].endswith("%") and full[6:8] == ["–", "–"]  # one batch: no spread
    for row in rows:
        assert float(row[3]) > 0 and float(row[4].replace(",", "")) > 0  # s/epoch, samples/s
        assert 0 <= float(row[8]) <= 1
    # The runs are overlaid in the Runs tab, with the table under their curves.
    assert window.current_tab() is window.runs_panel
    assert not comparison.table.isHidden()
    assert window.runs_panel.isAncestorOf(comparison.table)
    assert sorted(name.split(": ")[1] for name in window.runs_panel.overlaid()) == [
        "sizes [batch 16]",
        "sizes [full batch 1077]",
    ]
    assert action.isEnabled()
    # A plain run afterwards is not a size of the comparison: the table keeps its two rows.
    window.form._epochs.setValue(1)
    run_to_end(qtbot, window)
    assert len(comparison.table.rows()) == 2


def test_the_dialog_refuses_bad_sizes_and_warns_of_long_ones(qtbot):
    dialog = BatchSizeDialog("1, 32, 256, full", n_train=48_000, epochs=20)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and dialog.values() == (1, 32, 256, "full")
    # MNIST-sized: (48,000 + 1,500 + 188 + 1) steps x 20 epochs.
    assert dialog.problem.text().startswith("993,780 steps in all: expect this to take minutes.")
    assert "Size 1 alone makes 48,000 steps an epoch." in dialog.problem.text()
    dialog.edit.setText("32, 0")
    assert not ok.isEnabled() and dialog.values() == ()
    assert dialog.problem.text().startswith("'0' is not a mini-batch size")
    dialog.edit.setText("256, full")
    assert ok.isEnabled() and dialog.problem.isHidden()
    assert dialog.steps.text() == "Steps per epoch: 256 \u2192 188, full \u2192 1"


def test_a_size_the_model_cannot_take_is_refused_in_the_status_line(qtbot, window):
    from workbench.config import ModelConfig

    layers = [{"type": "dense", "units": 16}, {"type": "batchnorm"}]
    window.model_builder.set_model_config(ModelConfig.model_validate({"layers": layers}))
    comparison = window.findChild(BatchSizeComparison)
    comparison.start((1, 32))
    qtbot.waitUntil(lambda: window.status_text().startswith("Cannot compare"), timeout=30_000)
    # The window's words: no command-line "--values:" in them.
    assert window.status_text() == (
        "Cannot compare: 1 cannot be used: training.batch_size: batch normalisation needs at "
        "least 2 samples per batch"
    )
    assert window.training_run is None and comparison.action.isEnabled()


def test_closing_the_window_during_the_warm_up_starts_no_run(qtbot, window, monkeypatch):
    from workbench.runs import batch_stats

    monkeypatch.setattr(batch_stats, "_warmed_up", False)  # this process has not warmed up
    comparison = window.findChild(BatchSizeComparison)
    comparison.start((64, "full"))
    assert window.status_text() == "Preparing the mini-batch size comparison…"
    assert not comparison.action.isEnabled()
    # Closing stops and joins the warm-up's thread; its last signals arrive after.
    with qtbot.assertNotEmitted(window.controller.run_started, wait=500):
        window.close()
    assert window.training_run is None
