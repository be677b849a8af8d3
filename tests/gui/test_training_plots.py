"""The run's plots: per-epoch points, per-batch loss at scale, smoothing, log scale, LR."""

import math

import numpy as np
import pytest
from PySide6.QtWidgets import QCheckBox, QSlider, QWidget

from workbench.core import BatchProgress, EpochMetrics
from workbench.ui.live_plot import LivePlot
from workbench.ui.training_plots import TrainingPlots, debiased_ema


@pytest.fixture
def plots(qtbot):
    widget = TrainingPlots()
    qtbot.addWidget(widget)
    return widget


def _metrics(epoch, epochs=3, lr=0.1):
    return EpochMetrics(
        epoch=epoch,
        epochs=epochs,
        train_loss=1.0 / epoch,
        train_accuracy=0.5 + epoch / 10,
        val_loss=1.5 / epoch,
        val_accuracy=0.4 + epoch / 10,
        lr=lr,
        seconds=0.1,
    )


def _feed(plots, losses, batches, per_event=50):
    """Send `losses` as the engine does: run-wide steps from 1, several losses per event."""
    losses = np.asarray(losses, dtype=float)
    for start in range(0, losses.size, per_event):
        end = min(start + per_event, losses.size)
        chunk = losses[start:end]
        plots.add_batches(
            BatchProgress(
                epoch=(end - 1) // batches + 1,
                batch=(end - 1) % batches + 1,
                batches=batches,
                step=end,
                losses=tuple(chunk.tolist()),
            )
        )


def _tensorboard_smoothing(values, weight):
    """TensorBoard's own loop (vz_line_chart2 `resmoothDataset`), for reference."""
    last, count, out = 0.0, 0, []
    for value in values:
        if not math.isfinite(value):
            out.append(value)
            continue
        last = last * weight + (1 - weight) * value
        count += 1
        out.append(last / (1 - weight**count))
    return np.array(out)


def test_plots_and_controls_have_their_object_names(plots):
    for name in ("lossPlot", "accuracyPlot"):
        assert isinstance(plots.findChild(QWidget, name), LivePlot), name
    assert plots.findChild(QWidget, "lrPlot") is plots.lr_plot
    assert plots.findChild(QCheckBox, "perBatchToggle").text() == "Per-batch loss"
    assert plots.findChild(QCheckBox, "logScaleToggle").text() == "Log scale"
    slider = plots.findChild(QSlider, "smoothingSlider")
    assert (slider.minimum(), slider.maximum(), slider.value()) == (0, 99, 0)


def test_epoch_points_land_in_all_three_plots(plots):
    plots.start_run(3, [0.1, 0.05, 0.01])
    for epoch, lr in zip((1, 2, 3), (0.1, 0.05, 0.01), strict=True):
        plots.add_epoch(_metrics(epoch, lr=lr))
    for plot in (plots.loss_plot, plots.accuracy_plot):
        for series in ("train", "validation"):
            np.testing.assert_array_equal(plot.points(series)[0], [1, 2, 3])
    np.testing.assert_allclose(plots.loss_plot.points("train")[1], [1, 1 / 2, 1 / 3])
    np.testing.assert_allclose(plots.loss_plot.points("validation")[1], [1.5, 0.75, 0.5])
    np.testing.assert_allclose(plots.accuracy_plot.points("train")[1], [0.6, 0.7, 0.8])
    np.testing.assert_allclose(plots.accuracy_plot.points("validation")[1], [0.5, 0.6, 0.7])
    x, lr = plots.lr_plot.points("live")
    np.testing.assert_array_equal(x, [1, 2, 3])
    np.testing.assert_allclose(lr, [0.1, 0.05, 0.01])


def test_planned_lr_curve_is_what_was_set(plots):
    planned = [0.0, 0.05, 0.1, 0.075, 0.025]
    plots.set_planned_lr(planned)
    x, y = plots.lr_plot.points("planned")
    np.testing.assert_array_equal(x, [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(y, planned)
    # A schedule past the run's last epoch is never reached, so it is not drawn.
    plots.start_run(3, planned)
    np.testing.assert_array_equal(plots.lr_plot.points("planned")[1], planned[:3])


def test_batch_x_is_step_over_batches_per_epoch(plots):
    losses = np.linspace(2.0, 1.0, 25)
    _feed(plots, losses, batches=10, per_event=4)
    x, y = plots.batch_points()
    np.testing.assert_allclose(x, np.arange(1, 26) / 10)
    np.testing.assert_array_equal(y, losses)
    # The last batch of epoch k sits on epoch k's point.
    assert x[9] == 1.0 and x[19] == 2.0


def test_quarter_million_batches_are_all_recorded_and_drawn(plots):
    rng = np.random.default_rng(0)
    losses = 1.0 + 0.3 * rng.standard_normal(250_000)
    # Recorded while the curve is hidden, as a run records before anyone turns it on.
    _feed(plots, losses, batches=391, per_event=50)
    x, y = plots.batch_points()
    assert y.size == 250_000
    np.testing.assert_array_equal(y, losses)
    np.testing.assert_allclose(x, np.arange(1, 250_001) / 391)
    buffer = plots._batches.buffer
    doublings = math.log2(buffer.capacity / buffer.initial_capacity)
    assert doublings == int(doublings) and buffer.size <= buffer.capacity < 2 * buffer.size
    assert plots.displayed_batch_points()[1].size == 0  # hidden: nothing handed to pyqtgraph

    plots.per_batch_toggle.click()
    assert plots._batches.item.isVisible()
    shown_x, shown_y = plots.displayed_batch_points()
    assert shown_y.size == 250_000
    np.testing.assert_array_equal(shown_y, losses)
    np.testing.assert_array_equal(shown_x, x)
    item = plots._batches.item
    assert item.opts["clipToView"] and item.opts["autoDownsample"]
    assert item.opts["downsampleMethod"] == "peak"


def test_a_plots_train_and_validation_curves_redraw_together_on_one_beat(plots):
    """One clock per plot: one paint for both curves. The other plots keep their own."""
    plots.start_run(3)
    for epoch in (1, 2, 3):  # the first point of each curve shows at once, the rest wait
        plots.add_epoch(_metrics(epoch))
    loss = [plots.loss_plot._series[key].item for key in ("train", "validation")]
    accuracy = [plots.accuracy_plot._series[key].item for key in ("train", "validation")]
    assert [item.getOriginalDataset()[0].size for item in loss + accuracy] == [1, 1, 1, 1]
    plots.loss_plot._beat.beat()  # what the plot's one timer does when it fires
    assert [item.getOriginalDataset()[0].size for item in loss + accuracy] == [3, 3, 1, 1]


def test_batches_arriving_while_shown_are_drawn_at_most_ten_times_a_second(plots, qtbot):
    plots.per_batch_toggle.click()
    item = plots._batches.item
    redraws = []
    item.sigPlotChanged.connect(lambda _: redraws.append(1))
    _feed(plots, np.arange(1.0, 301.0), batches=100, per_event=30)
    # Ten events at once make one redraw, when the timer fires, with all 300 losses.
    assert redraws == []
    qtbot.waitUntil(lambda: item.getOriginalDataset()[1] is not None, timeout=2_000)
    assert item.getOriginalDataset()[1].size == 300 and len(redraws) == 1
    plots.per_batch_toggle.click()
    assert not plots._batches.item.isVisible()
    assert not plots.smoothing_slider.isEnabled()


def test_smoothing_zero_shows_the_raw_losses(plots):
    rng = np.random.default_rng(1)
    losses = 2.0 + rng.standard_normal(1_000)
    plots.per_batch_toggle.click()
    _feed(plots, losses, batches=100)
    np.testing.assert_array_equal(plots.displayed_batch_points()[1], losses)
    plots.smoothing_slider.setValue(70)
    assert not np.array_equal(plots.displayed_batch_points()[1], losses)
    plots.smoothing_slider.setValue(0)
    np.testing.assert_array_equal(plots.displayed_batch_points()[1], losses)


def test_smoothing_0_9_calms_noise_and_is_debiased(plots):
    rng = np.random.default_rng(2)
    losses = 2.0 + 0.5 * rng.standard_normal(5_000)
    plots.per_batch_toggle.click()
    _feed(plots, losses, batches=100)
    plots.smoothing_slider.setValue(90)
    assert plots.smoothing() == pytest.approx(0.9)
    smoothed = plots.displayed_batch_points()[1]
    assert smoothed.size == losses.size
    # An EMA of weight 0.9 keeps about (1 - 0.9) / (1 + 0.9) of white noise's variance.
    assert np.std(smoothed[100:]) < 0.35 * np.std(losses[100:])
    assert abs(np.mean(smoothed[100:]) - 2.0) < 0.05
    # Debiased: the first smoothed value is the first loss, not 10 % of it.
    assert smoothed[0] == pytest.approx(losses[0])
    np.testing.assert_allclose(smoothed, _tensorboard_smoothing(losses, 0.9), rtol=1e-12)
    np.testing.assert_array_equal(plots.batch_points()[1], losses)  # the raw data stays


def test_smoothing_carried_on_as_batches_arrive_equals_a_full_recompute(plots, qtbot):
    rng = np.random.default_rng(3)
    losses = np.exp(rng.standard_normal(3_000))
    plots.per_batch_toggle.click()
    plots.smoothing_slider.setValue(95)
    _feed(plots, losses, batches=250, per_event=37)
    incremental = plots.displayed_batch_points()[1].copy()

    other = TrainingPlots()
    qtbot.addWidget(other)
    other.per_batch_toggle.click()
    _feed(other, losses, batches=250, per_event=37)
    other.smoothing_slider.setValue(95)
    np.testing.assert_allclose(incremental, other.displayed_batch_points()[1], rtol=1e-12)


@pytest.mark.parametrize("weight", [0.0, 0.3, 0.9, 0.99])
def test_debiased_ema_matches_tensorboard_and_skips_non_finite(weight):
    rng = np.random.default_rng(4)
    values = np.exp(rng.standard_normal(2_000))
    values[[3, 500, 501, 1999]] = [np.nan, np.inf, -np.inf, np.nan]
    smoothed, _, count = debiased_ema(values, weight)
    expected = _tensorboard_smoothing(values, weight)
    finite = np.isfinite(expected)
    np.testing.assert_allclose(smoothed[finite], expected[finite], rtol=1e-12)
    np.testing.assert_array_equal(np.isfinite(smoothed), finite)
    assert count == finite.sum()


def test_nan_and_inf_losses_do_not_break_the_curve(plots, qtbot):
    losses = np.linspace(2.0, 1.0, 400)
    losses[[50, 51, 200]] = np.nan
    losses[300] = np.inf
    plots.per_batch_toggle.click()
    plots.smoothing_slider.setValue(80)
    _feed(plots, losses, batches=100)
    plots.add_epoch(_metrics(1))
    x, y = plots.batch_points()
    assert y.size == 400 and np.isnan(y[50]) and np.isinf(y[300])
    shown = plots.displayed_batch_points()[1]
    bad = ~np.isfinite(losses)
    # The average goes on over the gaps: every finite loss has a finite smoothed value.
    assert np.isfinite(shown[~bad]).all() and not np.isfinite(shown[bad]).any()
    assert plots._batches.item.opts["connect"] == "finite"
    plots.resize(700, 600)
    plots.show()
    qtbot.waitExposed(plots)
    assert not plots.grab().isNull()  # paints without raising
    (x0, x1), (y0, y1) = plots.loss_plot.getViewBox().viewRange()
    assert all(math.isfinite(v) for v in (x0, x1, y0, y1))
    assert y1 < 10  # the inf did not blow up the y range


def test_log_scale_toggle_switches_the_loss_axis(plots):
    loss_axis = plots.loss_plot.getPlotItem().getAxis("left")
    assert not loss_axis.logMode
    plots.log_scale_toggle.click()
    assert loss_axis.logMode
    assert plots.loss_plot.getPlotItem().ctrl.logYCheck.isChecked()
    assert not plots.accuracy_plot.getPlotItem().getAxis("left").logMode
    plots.log_scale_toggle.click()
    assert not loss_axis.logMode


def test_start_run_clears_the_previous_run(plots):
    plots.start_run(2, [0.1, 0.05])
    plots.per_batch_toggle.click()
    _feed(plots, np.ones(120), batches=60)
    plots.add_epoch(_metrics(1, epochs=2))
    plots.add_epoch(_metrics(2, epochs=2))
    plots.mark_best_epoch(2)
    assert plots.loss_plot.best_epoch_marked() == 2
    assert plots.accuracy_plot.best_epoch_marked() == 2

    plots.start_run(5, None)
    for plot in (plots.loss_plot, plots.accuracy_plot):
        assert plot.points("train")[0].size == 0 and plot.points("validation")[0].size == 0
        assert plot.best_epoch_marked() is None
    assert plots.lr_plot.points("live")[0].size == 0
    assert plots.lr_plot.points("planned")[0].size == 0
    assert plots.batch_points()[0].size == 0
    assert plots.displayed_batch_points()[0].size == 0

    _feed(plots, [3.0, 2.0], batches=60)
    np.testing.assert_array_equal(plots.batch_points()[1], [3.0, 2.0])
    np.testing.assert_array_equal(plots.displayed_batch_points()[1], [3.0, 2.0])


def test_mark_best_epoch_none_hides_the_marker(plots):
    plots.mark_best_epoch(4)
    plots.mark_best_epoch(None)
    assert plots.loss_plot.best_epoch_marked() is None
    assert plots.accuracy_plot.best_epoch_marked() is None


def test_the_plots_fit_above_a_results_panel_in_the_default_window(plots):
    # About 770 px of the 820 px window is central; leave about 300 px for the results.
    assert plots.minimumSizeHint().height() <= 470
    for plot in (plots.loss_plot, plots.accuracy_plot, plots.lr_plot):
        assert plot.minimumHeight() >= 100


def test_long_curves_lose_their_dots_and_the_axis_shows_the_planned_run(qtbot):
    from workbench.ui.live_plot import MAX_SYMBOLS
    from workbench.ui.training_plots import TrainingPlots

    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.start_run(500)
    low, high = plots.loss_plot.getViewBox().viewRange()[0]
    assert low <= 1 and 500 <= high < 520  # the whole plan, before any epoch
    series = plots.loss_plot._series["train"]
    for epoch in range(1, MAX_SYMBOLS + 2):
        plots.loss_plot.add_point(epoch, 1.0 / epoch, 1.0 / epoch)
    plots.flush()
    assert series.item.opts["symbol"] is None
    plots.start_run(10)
    plots.loss_plot.add_point(1, 1.0, 1.0)
    plots.flush()
    assert series.item.opts["symbol"] == "o"


# -- readability: what a person sees on the axes and in the legends ------------------------------


def _labels(axis):
    """The tick labels the axis would draw now: (scene-free rectangle, text), empty ones left out.

    Computed as pyqtgraph's paint does (`generateDrawSpecs`), so it holds for any axis class.
    """
    from PySide6.QtGui import QImage, QPainter

    image = QImage(4, 4, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        painter.setFont(axis.style["tickFont"] or axis.font())
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(rect, text) for rect, _, text in specs[2] if text]


def _overlapping(labels):
    return [
        (a, b)
        for i, (rect_a, a) in enumerate(labels)
        for rect_b, b in labels[i + 1 :]
        if rect_a.intersects(rect_b)
    ]


def _shown(plots, qtbot, width=640, height=530):
    plots.resize(width, height)
    plots.show()
    qtbot.waitExposed(plots)
    plots.flush()
    qtbot.wait(50)  # one layout pass: axes learn their lengths


@pytest.mark.parametrize("epochs", [2, 3, 5])
def test_a_short_run_has_whole_epoch_ticks_only(plots, qtbot, epochs):
    plots.start_run(epochs)
    for epoch in range(1, epochs + 1):
        plots.add_epoch(_metrics(epoch, epochs=epochs))
    _shown(plots, qtbot)
    for plot in (plots.loss_plot, plots.accuracy_plot, plots.lr_plot):
        texts = [text for _, text in _labels(plot.getAxis("bottom"))]
        assert texts == [str(e) for e in range(1, epochs + 1)], (plot.objectName(), texts)


def test_a_long_run_still_gets_a_few_round_epoch_ticks(plots, qtbot):
    plots.start_run(200)
    _shown(plots, qtbot)
    texts = [text for _, text in _labels(plots.loss_plot.getAxis("bottom"))]
    assert 3 <= len(texts) <= 12
    assert all(text.isdigit() and int(text) % 10 == 0 for text in texts), texts


@pytest.mark.parametrize(
    "losses",
    [
        [2.2 / e**2 for e in range(1, 4)],  # 2.2 to 0.24: under one decade, once crowded
        [2.0, 0.9, 0.5, 0.35, 0.3],  # less than a factor of 10
        [2.3 * 10.0 ** (-e) for e in range(6)],  # five decades
    ],
)
def test_log_loss_axis_labels_are_readable_and_never_overlap(plots, qtbot, losses):
    plots.start_run(len(losses))
    for epoch, loss in enumerate(losses, start=1):
        plots.loss_plot.add_point(epoch, loss, loss * 1.1)
    plots.log_scale_toggle.click()
    _shown(plots, qtbot)
    labels = _labels(plots.loss_plot.getAxis("left"))
    assert len(labels) >= 2, labels
    assert not _overlapping(labels), [text for _, text in labels]
    low, high = min(losses), max(losses) * 1.1
    for _, text in labels:
        value = float(text)  # "0.5", "2", "1e-5": plain numbers, no "5·10⁻¹"
        assert low / 2 <= value <= high * 2, text


def test_short_lr_plot_has_even_labels_that_do_not_overlap(plots, qtbot):
    plots.start_run(3, [0.1, 0.05, 0.025])
    for epoch, lr in enumerate([0.1, 0.05, 0.025], start=1):
        plots.add_epoch(_metrics(epoch, lr=lr))
    _shown(plots, qtbot)  # the Curves page at 1280 x 720: the LR plot about 130 px high
    labels = _labels(plots.lr_plot.getAxis("left"))
    assert len(labels) >= 2 and not _overlapping(labels), [t for _, t in labels]
    values = sorted(float(text) for _, text in labels)
    steps = np.diff(values)
    np.testing.assert_allclose(steps, steps[0])  # evenly spaced: none dropped in between


def test_legends_are_above_the_data_not_on_the_curves(plots, qtbot):
    plots.start_run(3, [0.1, 0.1, 0.1])
    for epoch in range(1, 4):
        plots.add_epoch(_metrics(epoch))
    _shown(plots, qtbot)
    for plot, names in (
        (plots.loss_plot, ("train", "validation")),
        (plots.accuracy_plot, ("train", "validation")),
        (plots.lr_plot, ("used", "planned")),
    ):
        item = plot.getPlotItem()
        # No legend box inside the view, where it covered the curves of a short plot.
        assert item.legend is None
        title = item.titleLabel
        assert all(name in title.text for name in names), title.text
        legend_box = title.mapRectToScene(title.boundingRect())
        data_box = item.vb.mapRectToScene(item.vb.boundingRect())
        assert legend_box.bottom() <= data_box.top() + 1, (plot.objectName(), legend_box, data_box)


def test_curve_colours_are_colour_blind_safe_and_stand_out_on_white(plots):
    from workbench.ui.live_plot import PALETTE, contrast_on_white

    pens = [
        plots.loss_plot._series["train"].item.opts["pen"],
        plots.loss_plot._series["validation"].item.opts["pen"],
        plots.lr_plot._series["live"].item.opts["pen"],
    ]
    colours = [pen.color().getRgb()[:3] for pen in pens]
    assert len(set(colours)) == 3
    for colour in colours:
        assert colour in PALETTE and contrast_on_white(colour) >= 3.0, colour


# -- the y range during a run: changed in steps, not at every redraw ----------------------------


def test_sticky_range_rounds_out_and_stops_at_zero_for_values_that_are_never_negative():
    from workbench.ui.live_plot import sticky_range

    assert sticky_range(0.62, 0.9) == pytest.approx((0.6, 1.0))
    low, high = sticky_range(0.02, 1.8)
    assert -0.1 < low < 0 and high == pytest.approx(2.0)  # not rounded down to -0.5
    assert sticky_range(-3.0, -1.0) == pytest.approx((-3.5, -0.5))
    assert sticky_range(0.5, 1.0)[1] == pytest.approx(1.025)  # an accuracy's axis stops near 1
    low, high = sticky_range(2.3, 2.3)  # a single point gets a range around it
    assert low < 2.3 < high


def test_the_y_range_stays_while_new_points_fit_and_moves_when_they_leave_it(plots, qtbot):
    plot = plots.loss_plot
    _shown(plots, qtbot)
    plots.start_run(50)
    view = plot.getViewBox()
    losses = [2.3, 1.2, 0.8, 0.6, 0.5, 0.45, 0.42, 0.4, 0.39, 0.38]
    ranges = []
    for epoch, loss in enumerate(losses, start=1):
        plot.add_point(epoch, loss, loss + 0.05)
        plot.flush()
        qtbot.wait(1)  # a paint: pyqtgraph fits the range just before it
        ranges.append(tuple(view.viewRange()[1]))
        low, high = ranges[-1]
        assert low <= loss and loss + 0.05 <= high  # every point is in view
    # Ten redraws (pyqtgraph's own fitting moves the range at each), and the range moved
    # only while the first points spread out.
    assert len(set(ranges)) <= 4
    assert ranges[-1] == ranges[5]
    plot.add_point(11, 5.0, 5.0)  # a point far above: the range follows at once
    plot.flush()
    qtbot.wait(1)
    assert view.viewRange()[1][1] >= 5.0


def test_a_persons_zoom_is_kept_and_the_auto_button_brings_the_fitting_back(plots, qtbot):
    plot = plots.loss_plot
    _shown(plots, qtbot)
    plots.start_run(50)
    view = plot.getViewBox()
    for epoch in range(1, 6):
        plot.add_point(epoch, 1.0 / epoch, 1.0 / epoch)
    plot.flush()
    qtbot.wait(1)
    view.setYRange(0.5, 0.6, padding=0)  # as a mouse zoom does: automatic range off
    plot.add_point(6, 0.1, 0.1)
    plot.flush()
    qtbot.wait(1)
    assert view.viewRange()[1] == pytest.approx([0.5, 0.6])
    view.enableAutoRange(y=True)  # the "A" button
    qtbot.wait(1)
    low, high = view.viewRange()[1]
    assert low <= 0.1 and high >= 1.0


def test_the_best_labels_sit_where_the_curves_are_not(plots):
    """A loss falls away from the top of its plot, an accuracy rises off the bottom of its."""
    plots.mark_best_epoch(2)
    assert plots.loss_plot._best.label.orthoPos > 0.5
    assert plots.accuracy_plot._best.label.orthoPos < 0.5
