"""The Optimizer paths tab draws the engine's paths, animates them, and takes a click as start."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QSlider, QWidget

from workbench.playground.paths import optimizer_paths
from workbench.playground.surfaces import BOOK_OPTIMIZERS
from workbench.ui.optimizer_paths_panel import OptimizerPathsPanel

TIMEOUT_MS = 30_000  # the first torch optimizer of a process imports torch._dynamo


def _wait_computed(qtbot, panel):
    qtbot.waitUntil(
        lambda: not panel.is_computing() and panel.result() is not None, timeout=TIMEOUT_MS
    )


@pytest.fixture
def panel(qtbot):
    panel = OptimizerPathsPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 650)
    panel.show()
    _wait_computed(qtbot, panel)
    return panel


def _drawn(panel, name):
    item = panel.path_item(name)
    x, y = item.getData()
    return np.column_stack([x, y])


def test_it_draws_the_paths_the_engine_computes_for_the_books_figure(panel):
    expected = optimizer_paths("book", BOOK_OPTIMIZERS, start=(-7.0, 2.0), steps=30)
    assert [path.name for path in panel.result().paths] == list(BOOK_OPTIMIZERS)
    for path in expected.paths:
        np.testing.assert_allclose(_drawn(panel, path.name), path.points, rtol=1e-12)
        assert panel.path_item(path.name).isVisible()
        distance = panel.findChild(QWidget, f"pathsDistance_{path.name}").text()
        assert distance == f"{path.distances[-1]:.4g}"
        loss = panel.findChild(QWidget, f"pathsLoss_{path.name}").text()
        assert loss == f"{path.losses[-1]:.4g}"
    assert not panel.path_item("nesterov").isVisible()
    assert panel.player.label.text() == "step 30 / 30"


def test_a_new_rate_or_another_optimizer_computes_again(qtbot, panel):
    before = _drawn(panel, "sgd")
    panel.table.row("sgd").lr.setValue(0.5)
    panel.table.row("rmsprop").check.setChecked(True)
    _wait_computed(qtbot, panel)
    result = panel.result()
    assert result.path("sgd").config.lr == 0.5
    assert "rmsprop" in [path.name for path in result.paths]
    assert panel.path_item("rmsprop").isVisible()
    after = _drawn(panel, "sgd")
    assert not np.allclose(before, after)
    again = optimizer_paths("book", ["sgd"], steps=30, start=(-7, 2))
    assert not np.allclose(after, again.paths[0].points)  # not the book's 0.95 any more


def test_clicking_the_plot_starts_the_paths_there(qtbot, panel):
    view = panel.plot.getPlotItem().getViewBox()
    scene_point = view.mapViewToScene(QPointF(4.0, -3.0))
    position = panel.plot.mapFromScene(scene_point)
    qtbot.mouseClick(panel.plot.viewport(), Qt.MouseButton.LeftButton, pos=position)
    qtbot.waitUntil(lambda: panel.result().start != (-7.0, 2.0), timeout=TIMEOUT_MS)
    _wait_computed(qtbot, panel)
    x, y = panel.result().start
    # Within a pixel or two of where the click was, rounded to the spin boxes' 2 decimals.
    assert x == pytest.approx(4.0, abs=0.15) and y == pytest.approx(-3.0, abs=0.15)
    assert (panel.start_x.value(), panel.start_y.value()) == (x, y)
    np.testing.assert_allclose(_drawn(panel, "adam")[0], [x, y])


def test_rewind_step_and_play_move_the_step_counter(qtbot, panel):
    player = panel.player
    qtbot.mouseClick(player.rewind_button, Qt.MouseButton.LeftButton)
    assert panel.shown_step() == 0 and player.label.text() == "step 0 / 30"
    assert len(_drawn(panel, "sgd")) == 1  # only the start point
    qtbot.mouseClick(player.step_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(player.step_button, Qt.MouseButton.LeftButton)
    assert panel.shown_step() == 2 and player.label.text() == "step 2 / 30"
    np.testing.assert_allclose(_drawn(panel, "sgd"), panel.result().path("sgd").points[:3])
    sgd_distance = panel.findChild(QWidget, "pathsDistance_sgd").text()
    assert sgd_distance == f"{panel.result().path('sgd').distances[2]:.4g}"
    player.speed_combo.setCurrentIndex(player.speed_combo.findData(100))
    qtbot.mouseClick(player.play_button, Qt.MouseButton.LeftButton)
    assert player.is_playing()
    qtbot.waitUntil(lambda: panel.shown_step() >= 8, timeout=5_000)
    qtbot.mouseClick(player.play_button, Qt.MouseButton.LeftButton)  # pause
    paused_at = panel.shown_step()
    qtbot.wait(100)
    assert panel.shown_step() == paused_at < 30
    qtbot.mouseClick(player.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not player.is_playing(), timeout=5_000)  # stops at the end
    assert panel.shown_step() == 30 and not player.step_button.isEnabled()


def test_a_diverging_path_is_marked_and_the_others_go_on(qtbot, panel):
    panel.table.row("sgd").lr.setValue(5.0)
    _wait_computed(qtbot, panel)
    sgd = panel.result().path("sgd")
    assert sgd.stopped_at is not None
    distance = panel.findChild(QWidget, "pathsDistance_sgd").text()
    assert distance == f"diverged at {sgd.stopped_at}"
    assert len(_drawn(panel, "adam")) == 31


def test_choosing_a_function_brings_its_start_steps_and_rates(qtbot, panel):
    panel.function_combo.setCurrentIndex(panel.function_combo.findData("saddle"))
    _wait_computed(qtbot, panel)
    result = panel.result()
    assert result.function.key == "saddle" and result.start == (-1.8, 0.01)
    assert result.steps == 50 and result.path("sgd").config.lr == 0.05
    assert panel.table.distance_header.text() == "From saddle"
    panel.table.set_checked([])
    qtbot.waitUntil(lambda: "at least one" in panel.note.text(), timeout=5_000)
    assert not panel.path_item("sgd").isVisible()


def test_export_writes_the_figure_as_shown(qtbot, panel, tmp_path):
    for name in ("paths.png", "paths.svg"):
        with qtbot.waitSignal(panel.exported, timeout=TIMEOUT_MS) as written:
            panel.export_figure(tmp_path / name)
        qtbot.waitUntil(lambda: panel._export_job is None, timeout=5_000)
        assert written.args == [str(tmp_path / name)]
    assert (tmp_path / "paths.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (tmp_path / "paths.svg").read_bytes()[:2000]
    assert "Saved the figure" in panel.note.text()


def _shown_whole(widget: QWidget, window: QWidget) -> bool:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    if not window.rect().contains(QRect(top_left, widget.size())):
        return False
    return widget.visibleRegion().boundingRect() == widget.rect()


def test_the_tab_fits_a_1280x720_window(qtbot, window):
    window.fit_to(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    window.show_tab(window.paths_panel)
    panel = window.paths_panel
    _wait_computed(qtbot, panel)
    qtbot.wait(50)
    assert (window.width(), window.height()) == (1280, 720)
    controls = (QAbstractButton, QAbstractSpinBox, QComboBox, QSlider)
    cut = [
        widget.objectName() or type(widget).__name__
        for widget in panel.findChildren(QWidget)
        if isinstance(widget, controls) and widget.isVisible() and not _shown_whole(widget, window)
    ]
    assert cut == []
    assert panel.plot.height() >= 150 and panel.plot.width() >= 400
    # The dataset is not the panel's business: the same paths whatever is loaded.
    assert window.current_tab() is panel
