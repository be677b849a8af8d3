"""Drawn digits: the scripted-drawing benchmark's floor, and the model-input preview."""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.neighbors import KNeighborsClassifier

from tests.benchmarks import drawn_digits as bench
from workbench.core import fit
from workbench.predict.drawing import ink_to_image
from workbench.predict.predictor import drawing_row
from workbench.runs import RunRecorder, RunStore
from workbench.ui.predict_panel import PredictPanel


@pytest.mark.timeout(60)
def test_scripted_drawings_are_read_by_a_seeded_model(qtbot):
    model = bench.train(bench.example("digits-adam", seed=0))
    accuracy = bench.drawing_accuracy(model, bench.scripted_drawings())
    held_out = bench.drawing_accuracy(model, bench.held_out_drawings())
    # Measured 0.860 and 0.785 held out, against 0.953 on the test digits; 0.755 and 0.608
    # when the box was fitted keeping its aspect ratio and not deslanted (0.706 on the
    # scripted ones without the training data's ceiling per pixel, 0.664 with the old
    # 32 x 24 fit). See tests/benchmarks/drawn_digits.py for the figures of more models.
    assert accuracy >= 0.8, accuracy
    assert held_out >= 0.75, held_out


def test_drawings_look_like_the_datas_own_digits_of_their_class(qtbot):
    """Read by their 5 nearest neighbours among scikit-learn's digits: no training sways it.

    Measured 0.944 on the scripted drawings and 0.923 on the held-out ones; 0.944 and 0.754
    when the box was fitted keeping its aspect ratio, not deslanted and not counted.
    """
    digits = load_digits()
    nearest = KNeighborsClassifier(5).fit(digits.data, digits.target)
    for drawings, floor in ((bench.scripted_drawings(), 0.92), (bench.held_out_drawings(), 0.88)):
        images = np.stack([ink_to_image(d.ink, 8, 8).ravel() * 16 for d in drawings])
        accuracy = np.mean(nearest.predict(images) == [d.label for d in drawings])
        assert accuracy >= floor, (len(drawings), accuracy)


def test_a_drawn_pixel_is_held_under_the_training_datas_usual_values(qtbot):
    """Ink where the dataset's writers never put any does not decide the class alone."""
    drawings = bench.scripted_drawings(styles=bench.STYLES[:1])
    model = bench.train(bench.example("digits-adam", seed=0, epochs=3))
    p = model.preprocessing
    ceiling = p.usual_ceiling()
    rows = np.concatenate([drawing_row(d.ink, p) for d in drawings])
    unheld = np.stack(
        [p.pixels_to_raw(ink_to_image(d.ink, 8, 8), full_scale=1.0).ravel() for d in drawings]
    )
    assert (rows <= ceiling + 1e-5).all()
    # Three deviations above the mean, in the units of the model's inputs.
    assert np.allclose(p.apply(ceiling[None])[0], 3.0, atol=1e-4)
    # The plain 7's top bar reaches the second column, which the data's digits leave almost
    # empty: there, and only where the ink is unusual, the row is lowered.
    seven = next(i for i, d in enumerate(drawings) if d.label == 7 and d.variant == "plain")
    lowered = rows[seven] < unheld[seven] - 1e-5
    assert lowered.any()
    assert np.array_equal(rows[seven][~lowered], unheld[seven][~lowered])


def test_the_preview_shows_what_the_model_is_given(qtbot, tmp_path):
    store = RunStore(tmp_path)
    experiment = bench.example("digits-adam", seed=0, epochs=2)
    recorder = RunRecorder(store, experiment)
    recorder.finish(fit(experiment, [recorder]))
    panel = PredictPanel(store)
    qtbot.addWidget(panel)
    panel.resize(640, 560)
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.findChild(type(panel.model_input), "modelInputView")
    assert view is panel.model_input and view.image() is None
    side = panel.canvas.ink_size().width()
    panel.canvas.draw_stroke(
        [(side * 0.3, side * 0.2), (side * 0.7, side * 0.2), (side * 0.4, side * 0.8)]
    )
    qtbot.waitUntil(lambda: view.image() is not None, timeout=2_000)
    # What the model is given, the usual-value ceiling included, on the 0..1 scale.
    seen_row = drawing_row(panel.canvas.ink(), panel.predictor.preprocessing).reshape(8, 8)
    np.testing.assert_allclose(view.image(), seen_row / 16, atol=1e-6)
    assert "8×8" in panel.model_input_size.text()
    # Under the canvas and inside the drawing box, so nothing is cut off in a narrow tab.
    box = panel.drawing_box
    canvas = panel.canvas.geometry().translated(
        panel.canvas.parentWidget().mapTo(box, box.rect().topLeft()) - box.rect().topLeft()
    )
    seen = view.geometry().translated(
        view.parentWidget().mapTo(box, box.rect().topLeft()) - box.rect().topLeft()
    )
    assert seen.top() >= canvas.bottom()
    assert box.rect().contains(seen)
    panel.canvas.clear()
    qtbot.waitUntil(lambda: view.image() is None, timeout=2_000)


@pytest.mark.timeout(60)
def test_drawings_rasterised_without_qt_read_as_the_canvas_drawn_ones(qtbot):
    """The new-data lesson reads `drawn_set` (numpy, 140 pixels); people draw on the canvas."""
    from workbench.predict.drawn_samples import drawn_set

    model = bench.train(bench.example("digits-adam", seed=0))
    on_canvas = bench.drawing_accuracy(model, bench.held_out_drawings())
    rasterised = bench.drawing_accuracy(model, drawn_set(side=140))
    assert len(drawn_set(side=140)) == len(bench.held_out_drawings()) == 130
    assert abs(rasterised - on_canvas) <= 0.05, (rasterised, on_canvas)
