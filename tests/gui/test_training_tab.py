"""The Training tab at the size a 1280 x 720 window gives it: curves, then all the results."""

import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QScrollArea, QTableWidget, QWidget

from workbench.core import ClassMetrics, TestMetrics
from workbench.ui.results_panel import ResultsPanel
from workbench.ui.training_plots import TrainingPlots
from workbench.ui.training_tab import TrainingTab

# What the Training tab gets of a 1280 x 720 window, its tab bar included.
TAB_SIZE = (640, 560)


def _metrics(classes=10, largest=1135):
    """MNIST-sized test results: ten classes, four-digit counts on the diagonal."""
    rng = np.random.default_rng(0)
    matrix = rng.integers(0, 20, (classes, classes))
    np.fill_diagonal(matrix, rng.integers(largest - 200, largest + 1, classes))
    rows = matrix / matrix.sum(axis=1, keepdims=True)
    return TestMetrics(
        loss=0.0812,
        accuracy=0.9751,
        precision_macro=0.975,
        recall_macro=0.974,
        f1_macro=0.9745,
        per_class=tuple(ClassMetrics(str(i), 0.97, 0.97, 0.97, 1000) for i in range(classes)),
        confusion_matrix=tuple(tuple(int(v) for v in row) for row in matrix),
        precision_weighted=0.975,
        recall_weighted=0.975,
        f1_weighted=0.975,
        top_k=3,
        top_k_accuracy=0.995,
        roc_auc=None,
        confusion_matrix_normalized=tuple(tuple(float(v) for v in row) for row in rows),
    )


@pytest.fixture
def tab(qtbot):
    widget = TrainingTab()
    qtbot.addWidget(widget)
    widget.resize(*TAB_SIZE)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _finish_run(tab, qtbot, warn=True, classes=10):
    tab.plots.start_run(3)
    tab.results.show_metrics(_metrics(classes))
    tab.results.show_message(
        "Finished after 3 epochs. Tested with the weights of the best epoch (3)."
    )
    # The test-reuse warning takes three lines of the panel: the worst case.
    tab.results.show_evaluation(None, tuple(str(i) for i in range(classes)), None, 2 if warn else 1)
    qtbot.wait(50)  # one layout pass


def _visible_in(widget: QWidget, rect: QRect, owner: QWidget) -> bool:
    """Whether `rect` (in `widget`'s coordinates) lies wholly inside what `owner` shows."""
    top_left = widget.mapTo(owner, rect.topLeft())
    bottom_right = widget.mapTo(owner, rect.bottomRight())
    return owner.rect().contains(QRect(top_left, bottom_right))


def _rows_shown(table: QTableWidget, window: QWidget) -> list[int]:
    """The rows whose first cell a person can see, whole, in `window` without scrolling."""
    shown = []
    for row in range(table.rowCount()):
        cell = table.visualRect(table.model().index(row, 0))
        if table.viewport().rect().contains(cell) and _visible_in(table.viewport(), cell, window):
            shown.append(row)
    return shown


@pytest.mark.parametrize("warn", [False, True])
def test_all_ten_confusion_rows_and_all_metrics_show_at_1280_by_720(tab, qtbot, warn):
    _finish_run(tab, qtbot, warn=warn)
    assert tab.currentWidget() is tab.results  # the results came forward
    scroll = tab.results.findChild(QScrollArea, "resultsScroll")
    viewport = scroll.viewport()
    confusion = tab.results.findChild(QTableWidget, "confusionMatrixTable")
    metrics = tab.results.findChild(QTableWidget, "testMetricsTable")
    assert _rows_shown(confusion, viewport) == list(range(10))
    assert _rows_shown(metrics, viewport) == list(range(8))
    # And every column of the matrix, with its counts written out ("1,135", not "1...").
    last = confusion.visualRect(confusion.model().index(9, 9))
    assert _visible_in(confusion.viewport(), last, viewport)
    assert confusion.item(9, 9).text() == f"{_metrics().confusion_matrix[9][9]:,}"
    assert not confusion.verticalScrollBar().isVisible()
    assert not scroll.verticalScrollBar().isVisible()  # nothing hidden below either


def test_when_squeezed_the_whole_panel_scrolls_not_each_table(qtbot):
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    panel.resize(640, 240)  # less than the results need, as in a splitter dragged small
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_metrics(_metrics())
    panel.show_evaluation(None, tuple(str(i) for i in range(10)), None, 2)
    qtbot.wait(50)
    scroll = panel.findChild(QScrollArea, "resultsScroll")
    confusion = panel.findChild(QTableWidget, "confusionMatrixTable")
    # The table keeps all its rows; the panel around it scrolls, and shows that it does.
    assert _rows_shown(confusion, confusion.viewport()) == list(range(10))
    assert not confusion.verticalScrollBar().isVisible()
    assert scroll.verticalScrollBar().isVisible()
    assert 9 not in _rows_shown(confusion, scroll.viewport())
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    qtbot.wait(20)
    assert 9 in _rows_shown(confusion, scroll.viewport())


def test_many_classes_scroll_inside_the_matrix(tab, qtbot):
    _finish_run(tab, qtbot, warn=False, classes=40)
    confusion = tab.results.findChild(QTableWidget, "confusionMatrixTable")
    shown = _rows_shown(confusion, confusion.viewport())
    assert shown == list(range(len(shown))) and 15 <= len(shown) < 40
    assert confusion.verticalScrollBar().isVisible()


def test_curves_come_back_when_the_next_run_starts(tab, qtbot):
    assert tab.currentWidget() is tab.plots
    _finish_run(tab, qtbot)
    assert tab.currentWidget() is tab.results
    tab.plots.start_run(5)
    assert tab.currentWidget() is tab.plots
    assert [tab.tabText(i) for i in range(tab.count())] == [
        "Curves",
        "Test results",
        "Decision boundary",
    ]


def test_it_takes_the_window_s_own_plots_and_results(qtbot):
    plots, results = TrainingPlots(), ResultsPanel()
    tab = TrainingTab(plots, results)
    qtbot.addWidget(tab)
    assert tab.plots is plots and tab.results is results
    assert tab.indexOf(plots) == 0 and tab.indexOf(results) == 1
    # Narrow enough for the centre of a 1280-pixel window.
    assert tab.minimumSizeHint().width() <= 640
    assert tab.minimumSizeHint().height() <= 560


def test_the_confusion_matrix_shows_only_once_there_is_one(qtbot):
    """Empty, the table's frame was a stray dot under its title before any evaluation."""
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    confusion = panel.findChild(QTableWidget, "confusionMatrixTable")
    assert not confusion.isVisible()
    panel.show_metrics(_metrics())
    assert confusion.isVisible() and confusion.rowCount() > 0
    panel.clear("Train a model to see its test metrics here.")
    assert not confusion.isVisible()
