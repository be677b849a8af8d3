"""The window at a laptop's 1280x720: every control of the Training tab in view, none cut."""

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QScrollArea,
    QSlider,
    QWidget,
)

from workbench.ui import language

CONTROLS = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QSlider)


def _shown_whole(widget: QWidget, window: QWidget) -> bool:
    """Whether all of `widget` is on the window and not clipped by a parent (scroll area)."""
    top_left = widget.mapTo(window, widget.rect().topLeft())
    if not window.rect().contains(QRect(top_left, widget.size())):
        return False
    return widget.visibleRegion().boundingRect() == widget.rect()


def _outside_scroll_areas(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QScrollArea):
            return False
        parent = parent.parentWidget()
    return True


@pytest.fixture(
    params=[(1280, 720, "en"), (1366, 768, "en"), (1280, 720, "ja")],
    ids=["1280x720", "1366x768", "1280x720-ja"],
)
def laptop(request, qtbot, qapp):
    width, height, language_code = request.param
    if language_code != "en":
        # Before the window is made: its texts are translated as they are set. Japanese
        # labels take more room on screen than the English ones.
        language.install(qapp, language_code)
        request.addfinalizer(lambda: language.uninstall(qapp))
    window = request.getfixturevalue("window")
    window.fit_to(width, height)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(50)
    # The window took the screen's size: it is not held larger by its contents.
    assert (window.width(), window.height()) == (width, height)
    return window


def test_the_window_fits_a_laptop_screen(laptop, qtbot):
    assert laptop.minimumSizeHint().width() <= 1280
    assert laptop.minimumSizeHint().height() <= 640  # room for a title bar and a task bar
    assert _shown_whole(laptop.statusBar(), laptop)
    assert not laptop.progress.isVisible()  # until a run starts
    laptop.status_line.set_progress(0)  # what a run's start does
    qtbot.wait(20)
    assert _shown_whole(laptop.progress, laptop)


def test_every_control_of_the_training_tab_is_in_the_window(laptop):
    laptop.show_tab(laptop.plots)  # the Training tab
    laptop.centre_tabs.setCurrentIndex(0)
    outside = [
        f"{type(w).__name__} {w.objectName() or getattr(w, 'text', lambda: '')()}"
        for w in laptop.findChildren(QWidget)
        if isinstance(w, CONTROLS)
        and w.isVisible()
        and _outside_scroll_areas(w, laptop)
        and not _shown_whole(w, laptop)
    ]
    assert outside == []
    for button in (
        laptop.train_button,
        laptop.stop_button,
        laptop.compare_button,
        laptop.compare_by,
        laptop.evaluate_button,
        laptop.export_button,
    ):
        assert _shown_whole(button, laptop), button.objectName()


def test_what_a_learner_changes_most_is_in_view_without_scrolling(laptop):
    form = laptop.form
    for field in (
        form._name,
        form._epochs,
        form._batch_size,
        form._optimizer_combo,
        form._lr,
        form._weight_decay,
    ):
        assert _shown_whole(field, laptop), field.objectName()
    # Everything else is reachable: the form scrolls, no field is narrower than its text, and
    # none reaches past the panel's right edge (the form has no sideways scroll bar).
    viewport = form._scroll.viewport()
    for field in form.findChildren(QWidget):
        if isinstance(field, CONTROLS) and field.isVisibleTo(form):
            assert field.width() >= min(field.minimumSizeHint().width(), 72), field.objectName()
            right = field.mapTo(viewport, field.rect().topRight()).x()
            assert right < viewport.width(), (field.objectName(), right, viewport.width())


def test_no_side_column_needs_a_sideways_scroll_bar(laptop):
    for scroll in laptop.findChildren(QScrollArea):
        if scroll.isVisible():
            assert not scroll.horizontalScrollBar().isVisible(), scroll.widget().objectName()


def test_a_drawn_digit_and_its_verdict_fit_the_predict_tab(laptop, qtbot):
    """The verdict's large text once widened the drawing box past the tab at 1280x720."""
    from workbench.core import fit
    from workbench.runs import RunRecorder
    from workbench.ui.digit_canvas import DigitCanvas

    experiment = laptop.current_experiment()
    recorder = RunRecorder(laptop.store, experiment)
    recorder.finish(fit(experiment, [recorder]))
    panel = laptop.predict_panel
    laptop.show_tab(panel)
    panel.refresh_runs()
    qtbot.waitUntil(lambda: panel.predictor is not None, timeout=5_000)
    canvas = panel.findChild(DigitCanvas)
    side = canvas.ink_size().width()
    canvas.draw_stroke([(side * 0.3, side * 0.2), (side * 0.75, side * 0.2), (side * 0.45, 250)])
    qtbot.waitUntil(lambda: panel.canvas_probabilities() is not None, timeout=2_000)
    qtbot.wait(50)
    assert "%" in panel.canvas_result.text()
    scroll = next(s for s in laptop.findChildren(QScrollArea) if s.widget() is panel)
    assert not scroll.horizontalScrollBar().isVisible()
    for widget in (canvas, panel.canvas_result, panel.clear_button, panel.model_input):
        assert widget.visibleRegion().boundingRect().width() == widget.width(), widget


def test_the_data_tab_fits_its_column(laptop, qtbot):
    """The digits' picture once made the Data tab wider than the centre column: cut summary."""
    from PySide6.QtWidgets import QLabel

    laptop.show_tab(laptop.data_preview)
    with qtbot.waitSignal(laptop.previews.data_shown, timeout=30_000):
        laptop.previews.update_data()
    qtbot.wait(50)
    preview = laptop.data_preview
    assert preview.image_grid_shown()
    scroll = next(s for s in laptop.findChildren(QScrollArea) if s.widget() is preview)
    assert not scroll.horizontalScrollBar().isVisible()
    grid = preview.findChild(QLabel, "imageGrid")
    assert 0 < grid.pixmap().width() <= grid.width()
    summary = preview.findChild(QLabel, "dataSummary")
    assert summary.visibleRegion().boundingRect().width() == summary.width()


def test_a_runs_status_and_scores_are_in_view_in_the_runs_table(laptop, qtbot):
    """They came after the descriptive columns, off to the right at 1280x720."""
    from PySide6.QtWidgets import QTableWidget

    laptop.show_tab(laptop.runs_panel)
    qtbot.wait(50)
    table = laptop.runs_panel.findChild(QTableWidget, "runsTable")
    header = table.horizontalHeader()
    names = [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())]
    for column in (0, 1, 6, 7, 8):  # id, name, status, val. acc. at best epoch, test acc
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= table.viewport().width(), (names[column], right)
