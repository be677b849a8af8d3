"""Readable plots outside the Training tab: the Runs overlay, the search plots, report digits."""

import io

import numpy as np
import pyqtgraph as pg
import pytest
from PIL import Image
from PySide6.QtWidgets import QLabel

from tests.gui.test_training_plots import _labels, _overlapping
from workbench.config import Experiment
from workbench.core import EpochMetrics
from workbench.report.figures import example_image_png
from workbench.runs import RunStore
from workbench.search.results import TrialResult
from workbench.search.space import Param
from workbench.ui.examples_dialog import image_pixmap
from workbench.ui.live_plot import contrast_on_white
from workbench.ui.runs_panel import RunsPanel
from workbench.ui.search_plots import BestCurves, TrialScatter


def _store_with_runs(path, count, epochs=3):
    store = RunStore(path)
    config = Experiment().to_dict()
    ids = []
    for index in range(count):
        run_id = store.create_run(f"run {index}", config, {})
        for epoch in range(1, epochs + 1):
            loss = (1.0 + index / 10) / epoch
            store.add_epoch(
                run_id,
                EpochMetrics(
                    epoch=epoch,
                    epochs=epochs,
                    train_loss=loss,
                    train_accuracy=1 - loss / 2,
                    val_loss=loss,
                    val_accuracy=1 - loss / 2,
                    lr=0.01,
                    seconds=0.1,
                ),
            )
        ids.append(run_id)
    return store, ids


@pytest.fixture
def overlay(qtbot, tmp_path):
    store, ids = _store_with_runs(tmp_path / "store", 9)
    panel = RunsPanel(store)
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.select_runs(ids)
    qtbot.wait(50)
    return panel, ids


def _plots(panel):
    return [
        panel.findChild(pg.PlotWidget, name) for name in ("compareLossPlot", "compareAccuracyPlot")
    ]


def test_the_runs_legend_covers_no_curve(overlay):
    panel, ids = overlay
    legend = panel.findChild(QLabel, "runsLegend")
    assert legend.isVisible()
    legend_box = legend.geometry().translated(
        legend.parentWidget().mapTo(panel, legend.pos()) - legend.pos()
    )
    for plot in _plots(panel):
        item = plot.getPlotItem()
        assert item.legend is None  # no legend box in the view
        assert not any(isinstance(i, pg.LegendItem) for i in plot.scene().items())
        plot_box = plot.geometry().translated(
            plot.parentWidget().mapTo(panel, plot.pos()) - plot.pos()
        )
        assert not legend_box.intersects(plot_box)
    for run_id in ids:
        assert f"{run_id}: run {run_id - ids[0]}" in legend.text()


def test_overlay_colours_are_distinct_and_all_stand_out_on_white(overlay):
    panel, ids = overlay
    for plot in _plots(panel):
        pens = [item.opts["pen"] for item in plot.getPlotItem().listDataItems()]
        assert len(pens) == len(ids)
        looks = {(pen.color().getRgb(), pen.style()) for pen in pens}
        assert len(looks) == len(ids)  # no two runs drawn alike
        for pen in pens:
            rgb = pen.color().getRgb()[:3]
            assert contrast_on_white(rgb) >= 3.0, rgb  # no faint yellow-green on white


def test_overlay_epochs_are_whole(overlay):
    panel, _ = overlay
    for plot in _plots(panel):
        texts = [text for _, text in _labels(plot.getAxis("bottom"))]
        assert texts == ["1", "2", "3"], texts


def _trials(count, lr0=3e-4, factor=1.6):
    return [
        TrialResult(
            number=i,
            values={"optimizer.lr": lr0 * factor**i, "optimizer.weight_decay": 2e-5 * 1.3**i},
            status="completed",
            best_value=0.9 + 0.01 * i,
            best_epoch=3,
            history=tuple(
                {"epoch": e, "val_accuracy": 0.8 + 0.03 * e + 0.01 * i} for e in range(1, 4)
            ),
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [1, 2, 3, 12])
def test_search_scatter_log_labels_are_plain_numbers_that_do_not_overlap(qtbot, count):
    scatter = TrialScatter()
    qtbot.addWidget(scatter)
    scatter.resize(320, 280)
    scatter.show()
    qtbot.waitExposed(scatter)
    scatter.show_trials(
        _trials(count),
        ("optimizer.lr", Param(kind="log_uniform", low=1e-5, high=1e-1)),
        ("optimizer.weight_decay", Param(kind="log_uniform", low=1e-6, high=1e-3)),
        "val_accuracy",
    )
    qtbot.wait(50)
    for side in ("bottom", "left"):
        axis = scatter.getAxis(side)
        labels = _labels(axis)
        assert labels, side
        assert not _overlapping(labels), (side, [text for _, text in labels])
        low, high = (10**v for v in scatter.getViewBox().viewRange()[0 if side == "bottom" else 1])
        for _, text in labels:
            assert low <= float(text) <= high, (side, text)  # "0.0003", "2e-5": no "3·10⁻⁴"


def test_best_curves_are_dark_on_white_and_epochs_whole(qtbot):
    curves = BestCurves()
    qtbot.addWidget(curves)
    curves.resize(320, 280)
    curves.show()
    qtbot.waitExposed(curves)
    trials = sorted(_trials(8), key=lambda t: -t.best_value)
    curves.show_curves(trials, "val_accuracy")
    qtbot.wait(50)
    pens = {item.opts["pen"].widthF(): item.opts["pen"] for item in curves.listDataItems()}
    best = pens[3]  # the best trial's, drawn thickest
    colours = [item.opts["pen"].color().getRgb()[:3] for item in curves.listDataItems()]
    assert all(contrast_on_white(c) >= 3.0 for c in colours), colours
    assert contrast_on_white(best.color().getRgb()[:3]) == max(map(contrast_on_white, colours))
    assert [t for _, t in _labels(curves.getAxis("bottom"))] == ["1", "2", "3"]
    left = [t for _, t in _labels(curves.getAxis("left"))]
    assert all(0.8 < float(t) < 1.2 for t in left), left  # 0.85, not 850 with "(x0.001)"


def test_report_digits_are_dark_ink_on_white_like_the_window(qtbot):
    # An MNIST-like digit: bright strokes (high values) on a dark background (low values).
    digit = np.zeros((1, 8, 8))
    digit[0, 1:7, 3:5] = 1.0
    report = np.asarray(Image.open(io.BytesIO(example_image_png(digit))).convert("L"))
    factor = report.shape[0] // 8
    assert report[0, 0] == 255  # the background: white paper
    assert report[3 * factor, 3 * factor] == 0  # a stroke: black ink
    window = image_pixmap(digit, side=8).toImage()
    assert window.pixelColor(0, 0).lightness() == report[0, 0]
    assert window.pixelColor(3, 3).lightness() == report[3 * factor, 3 * factor]
