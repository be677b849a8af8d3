"""The status line: a run's texts and progress at a readable pace, final words at once."""

from PySide6.QtWidgets import QMainWindow

from workbench.ui.status_line import _STEADY_MS, StatusLine


def _line(qtbot) -> StatusLine:
    window = QMainWindow()
    qtbot.addWidget(window)
    line = StatusLine(window.statusBar())
    line.window = window  # kept alive with the line: the bar and its timers are its children
    return line


def test_a_burst_of_epoch_texts_shows_the_first_at_once_and_the_newest_after(qtbot):
    line = _line(qtbot)
    shown = []
    line.label.setText = lambda text, original=line.label.setText: (
        shown.append(text),
        original(text),
    )
    for epoch in range(1, 21):
        line.show_soon(f"Epoch {epoch}/20")
    assert line.text() == "Epoch 1/20"
    qtbot.waitUntil(lambda: line.text() == "Epoch 20/20", timeout=5 * _STEADY_MS)
    assert shown == ["Epoch 1/20", "Epoch 20/20"]  # 2 label changes for 20 epochs


def test_progress_values_are_throttled_and_a_final_value_wins(qtbot):
    line = _line(qtbot)
    line.progress.setRange(0, 100)
    for value in range(1, 60):
        line.set_progress_soon(value)
    assert line.progress.value() == 1
    line.set_progress(100)  # the run ended: no late value may undo it
    qtbot.wait(2 * _STEADY_MS)
    assert line.progress.value() == 100


def test_a_text_shown_now_is_not_overwritten_by_a_waiting_one(qtbot):
    line = _line(qtbot)
    line.show_soon("Epoch 1/3")
    line.show_soon("Epoch 2/3")
    line.show("Stopping…")
    qtbot.wait(2 * _STEADY_MS)
    assert line.text() == "Stopping…"


def test_the_progress_bar_shows_from_the_first_run_on(qtbot):
    line = _line(qtbot)
    line.window.show()
    assert not line.progress.isVisible()  # an empty box before any run read as broken
    line.progress.setRange(0, 10)
    line.set_progress(0)
    assert line.progress.isVisible()
