"""The Training tab's decision boundary (issue 18): drawn live from the run, for 2-D data only.

A real short run on the spiral fills the view; the picture it ends on is the kept model's
prediction at every cell (computed here from the run's weights), coloured as the report
colours it; test points appear only after Evaluate on test set; the sub-tab is off for the
64-feature digits; and the view fits a 1280x720 screen.
"""

import numpy as np
import pytest
import torch
from PySide6.QtWidgets import QCheckBox, QWidget

from tests.gui.conftest import evaluate_test, run_to_end
from tests.gui.test_small_screen import _shown_whole
from workbench.core.boundary_types import TEST, TRAIN, VALIDATION
from workbench.models import build_model
from workbench.report.boundary import boundary_rgb


def choose(window, source):
    combo = window.dataset_panel.findChild(QWidget, "datasetSource")
    combo.setCurrentIndex(combo.findData(source))
    assert window.dataset_panel.data_config().source == source


@pytest.fixture
def spiral_window(qtbot, window):
    choose(window, "spiral")
    window.form._epochs.setValue(20)
    window.form._batch_size.setValue(32)
    window.show()
    qtbot.waitExposed(window)
    tab = window.training_tab
    tab.setCurrentWidget(tab.boundary)
    return window


def test_a_spiral_run_draws_the_kept_models_predictions(qtbot, spiral_window):
    window = spiral_window
    view = window.training_tab.boundary
    assert view.drawn_grid() is None
    result = run_to_end(qtbot, window)
    qtbot.waitUntil(lambda: getattr(view.drawn_grid(), "moment", None) == "final", timeout=5_000)
    grid = view.drawn_grid()
    assert grid.epoch == result.weights_epoch and grid.classes.shape == (100, 100)

    # The model's own answer at each cell centre, from the weights the run kept.
    model = build_model(window.current_experiment().model, 2, 3, None)
    model.load_state_dict(result.weights)
    model.eval()
    x, y = np.meshgrid(grid.xs, grid.ys)
    raw = np.column_stack([x.ravel(), y.ravel()]).astype(np.float32)
    with torch.no_grad():
        logits = model(torch.from_numpy(result.preprocessing.apply(raw)))
    expected = logits.argmax(dim=1).numpy().reshape(grid.classes.shape)
    top = torch.topk(logits, 2, dim=1).values
    gap = (top[:, 0] - top[:, 1]).numpy().reshape(grid.classes.shape)
    differ = grid.classes != expected
    assert np.all(gap[differ] < 1e-4) and differ.sum() <= 5

    # The image is that grid, in the report's colours, over the grid's extent.
    assert np.array_equal(view.image.image, boundary_rgb(grid.classes, grid.confidence, 3))
    rect = view.image.mapRectToParent(view.image.boundingRect())
    x_low, x_high, y_low, y_high = grid.extent
    assert (rect.left(), rect.right()) == pytest.approx((x_low, x_high), rel=1e-6)
    assert (rect.top(), rect.bottom()) == pytest.approx((y_low, y_high), rel=1e-6)
    # A trained model's regions hold their own points: most validation points sit on them.
    val = view.shown_points(VALIDATION)
    assert (
        len(val) == result.split_sizes[1] and len(view.shown_points(TRAIN)) == result.split_sizes[0]
    )
    column = np.abs(val[:, 0, None] - grid.xs).argmin(axis=1)
    row = np.abs(val[:, 1, None] - grid.ys).argmin(axis=1)
    predicted = grid.classes[row, column]
    assert len(set(predicted.tolist())) == 3
    assert "kept" in view.caption.text() and str(grid.epoch) in view.caption.text()
    assert all(name in view.legend.text() for name in ("arm 0", "arm 1", "arm 2"))

    # No test points before the test set is evaluated on purpose; then they come.
    test_box = view.findChild(QCheckBox, "boundaryTestBox")
    assert not test_box.isEnabled() and len(view.shown_points(TEST)) == 0
    tested = evaluate_test(qtbot, window)
    qtbot.waitUntil(lambda: len(view.shown_points(TEST)) > 0, timeout=5_000)
    assert len(view.shown_points(TEST)) == len(tested.predictions.labels)
    assert test_box.isEnabled()
    test_box.setChecked(False)
    assert len(view.shown_points(TEST)) == 0


def test_the_view_follows_every_run_from_its_first_look(qtbot, spiral_window):
    window = spiral_window
    window.form._epochs.setValue(5)
    view = window.training_tab.boundary
    moments = []
    window.boundary_follower._relay.grid.connect(lambda grid: moments.append(grid.moment))
    run_to_end(qtbot, window)
    qtbot.waitUntil(lambda: moments[-1:] == ["final"], timeout=5_000)
    assert moments[0] == "initial"
    # A second run starts from a clean picture, and the tab stays on the boundary.
    window.train_button.click()
    assert view.drawn_grid() is None or view.drawn_grid().moment == "initial"
    assert window.training_tab.currentWidget() is view
    with qtbot.waitSignal(window.training_run.run_finished, timeout=60_000):
        pass


def test_the_sub_tab_is_only_for_data_of_two_features(window):
    tab = window.training_tab
    index = tab.indexOf(tab.boundary)
    assert window.dataset_panel.shape()[0] == 64 and not tab.isTabEnabled(index)
    assert "two input features" in tab.tabToolTip(index)
    choose(window, "moons")
    assert tab.isTabEnabled(index)
    tab.setCurrentWidget(tab.boundary)
    choose(window, "digits")
    assert not tab.isTabEnabled(index) and tab.currentWidget() is tab.plots


def test_a_digits_run_leaves_the_view_empty(qtbot, window):
    window.form._epochs.setValue(1)
    run_to_end(qtbot, window)
    qtbot.wait(50)
    view = window.training_tab.boundary
    assert view.drawn_grid() is None and "Train a model on data" in view.caption.text()


def test_the_view_fits_a_laptop_screen(qtbot, spiral_window):
    window = spiral_window
    window.fit_to(1280, 720)
    qtbot.wait(50)
    view = window.training_tab.boundary
    for box in view.findChildren(QCheckBox):
        assert _shown_whole(box, window), box.objectName()
        assert box.toolTip()
    assert _shown_whole(view.legend, window)
    assert view.plot.width() >= 400 and view.plot.height() >= 350, view.plot.size()
