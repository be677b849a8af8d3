"""The decision boundary: the grid's classes are the model's predictions at the grid's points.

On the spiral, the grid a run hands out at its end must be what the kept weights predict at
each cell centre, computed here another way (points built cell by cell, the model rebuilt
from the run's weights, evaluated in other chunks); the trained model's boundary must put the
validation points in their own classes' regions. Grids come before the first step, after
epochs and at the end, change nothing about the run, and never come for 64-feature digits.
The callback reads the run's own split (nothing is loaded again), and the session takes its
final grid for the report instead of computing one more.
"""

import itertools
import logging

import numpy as np
import pytest
import torch
from torch import nn

from workbench.config import experiment_from_dict
from workbench.core import RunStatus, fit
from workbench.core import boundary as boundary_module
from workbench.core import engine as engine_module
from workbench.core.boundary import BoundaryCallback, evaluate_grid, kept_boundary
from workbench.core.boundary_types import (
    NO_CLASS,
    TEST,
    TRAIN,
    VALIDATION,
    grid_axes,
    plane_extent,
)
from workbench.core.engine import load_and_split
from workbench.core.events import Callback
from workbench.core.holdout import SealedTestPart
from workbench.data import sources as sources_module
from workbench.data.preprocessing import Preprocessing
from workbench.models import build_model
from workbench.runs.session import train_and_record


def spiral(epochs=25, **training):
    return experiment_from_dict(
        {
            "name": "boundary",
            "seed": 0,
            "data": {"source": "spiral", "samples": 600, "noise": 0.1},
            "model": {
                "layers": [
                    {"type": "dense", "units": 64, "activation": "relu", "init": "he"},
                    {"type": "dense", "units": 64, "activation": "relu", "init": "he"},
                    {"type": "dropout", "p": 0.1},
                ]
            },
            "optimizer": {"name": "adam", "lr": 0.03},
            "training": {"epochs": epochs, "batch_size": 50, "device": "cpu", **training},
            "early_stopping": {"enabled": False},
        }
    )


class Kept:
    """What a BoundaryCallback hands out."""

    def __init__(self) -> None:
        self.grids, self.points = [], []

    def callback(self, **options) -> BoundaryCallback:
        self.made = BoundaryCallback(self.grids.append, self.points.append, **options)
        return self.made


@pytest.fixture(scope="module")
def trained_spiral():
    kept = Kept()
    experiment = spiral()
    result = fit(experiment, [kept.callback()], evaluate_test=False)
    assert result.status == RunStatus.COMPLETED
    return experiment, result, kept


def predictions_cell_by_cell(experiment, result, xs, ys):
    """The kept weights' classes and top-two logit gap at each (xs[j], ys[i]), built apart."""
    model = build_model(experiment.model, 2, len(result.preprocessing.class_names), None)
    model.load_state_dict(result.weights)
    model.eval()
    points = np.array([[x, y] for y in ys for x in xs], dtype=np.float32)
    inputs = torch.from_numpy(result.preprocessing.apply(points))
    with torch.no_grad():
        logits = torch.cat([model(chunk) for chunk in torch.split(inputs, 333)])
    top = torch.topk(logits, 2, dim=1).values
    shape = (len(ys), len(xs))
    return (
        logits.argmax(dim=1).numpy().reshape(shape),
        (top[:, 0] - top[:, 1]).numpy().reshape(shape),
    )


def test_the_grid_is_the_kept_models_prediction_at_every_cell_of_the_spiral(trained_spiral):
    experiment, result, kept = trained_spiral
    final = kept.grids[-1]
    assert final.moment == "final" and final.classes.shape == (100, 100)
    assert final.epoch == result.weights_epoch
    expected, gap = predictions_cell_by_cell(experiment, result, final.xs, final.ys)
    differ = final.classes != expected
    # Only a float rounding apart (other chunks) can flip a cell, and only at a near-tie.
    assert np.all(gap[differ] < 1e-4), gap[differ]
    assert differ.sum() <= 5
    assert (final.confidence >= 1 / 3 - 1e-6).all() and (final.confidence <= 1 + 1e-6).all()


def test_the_trained_boundary_separates_the_spiral(trained_spiral):
    """Each validation point lies in its own class's region: the grid is oriented right."""
    experiment, result, kept = trained_spiral
    final = kept.grids[-1]
    features, labels = kept.points[0].part(VALIDATION)
    assert len(labels) == result.split_sizes[1]
    column = np.abs(features[:, 0, None] - final.xs[None, :]).argmin(axis=1)
    row = np.abs(features[:, 1, None] - final.ys[None, :]).argmin(axis=1)
    agreement = float(np.mean(final.classes[row, column] == labels))
    assert result.history[-1].val_accuracy > 0.9
    assert agreement > 0.85, agreement
    # Before training the boundary was anything but that.
    first = kept.grids[0]
    assert first.moment == "initial" and first.epoch == 0 and first.step == 0
    assert float(np.mean(first.classes[row, column] == labels)) < 0.6


def test_the_points_are_the_training_and_validation_parts_and_the_grid_covers_them(
    trained_spiral,
):
    experiment, result, kept = trained_spiral
    (points,) = kept.points
    train, validation, test = result.split_sizes
    assert np.bincount(points.parts, minlength=3).tolist() == [train, validation, 0]
    assert points.class_names == result.preprocessing.class_names
    x_low, x_high, y_low, y_high = kept.grids[-1].extent
    assert (points.features[:, 0] > x_low).all() and (points.features[:, 0] < x_high).all()
    assert (points.features[:, 1] > y_low).all() and (points.features[:, 1] < y_high).all()
    # Raw values, not normalised ones: the spiral's radius reaches about 1.
    _, split = load_and_split(experiment)
    assert np.allclose(points.part(TRAIN)[0], split.features[split.train_rows])


def test_grids_come_at_the_start_at_epoch_ends_within_epochs_and_at_the_end():
    kept = Kept()
    # A clock a second further at every reading, and progress after every batch: every grid
    # is due, however fast or busy the machine.
    ticks = itertools.count()
    callback = kept.callback(interval_s=0.5, max_cost_share=1.0, clock=lambda: float(next(ticks)))
    result = fit(spiral(epochs=3), [callback], evaluate_test=False, progress_interval_s=0.0)
    moments = [grid.moment for grid in kept.grids]
    assert moments[0] == "initial" and moments[-1] == "final"
    assert [g.epoch for g in kept.grids if g.moment == "epoch"] == [1, 2, 3]
    assert "batch" in moments
    steps = [g.step for g in kept.grids]
    assert steps == sorted(steps) and steps[0] == 0 and steps[-1] > 0
    assert result.status == RunStatus.COMPLETED


def test_grids_wait_their_interval():
    kept = Kept()
    fit(spiral(epochs=4), [kept.callback(interval_s=1e9)])
    assert [grid.moment for grid in kept.grids] == ["initial", "final"]


def test_a_run_with_the_boundary_trains_exactly_as_one_without():
    """Dropout draws random numbers: the grids must take none, nor change the model's mode."""
    plain = fit(spiral(epochs=3), evaluate_test=False)
    kept = Kept()
    ticks = itertools.count()
    callback = kept.callback(max_cost_share=1.0, clock=lambda: float(next(ticks)))
    watched = fit(spiral(epochs=3), [callback], evaluate_test=False, progress_interval_s=0.0)
    assert len(kept.grids) > 5

    def measured(result):
        return [
            (m.train_loss, m.train_accuracy, m.val_loss, m.val_accuracy) for m in result.history
        ]

    assert measured(watched) == measured(plain)
    for name, tensor in plain.weights.items():
        assert torch.equal(tensor, watched.weights[name]), name


def test_nothing_happens_for_the_64_feature_digits():
    kept = Kept()
    callback = kept.callback(interval_s=0.0, max_cost_share=1.0)
    digits = experiment_from_dict(
        {
            "data": {"source": "digits", "train_limit": 100},
            "training": {"epochs": 1, "batch_size": 50, "device": "cpu"},
        }
    )
    result = fit(digits, [callback], evaluate_test=False)
    assert result.status == RunStatus.COMPLETED
    assert kept.grids == [] and kept.points == [] and not callback.active


class SplitSeen(Callback):
    """Keeps the split the run's context hands its callbacks."""

    def on_train_begin(self, model, run):
        self.split = run.split


def test_the_callback_never_reads_the_test_part():
    """A window's run hands its callbacks the split with the test part sealed: the boundary
    works without it."""
    kept, seen = Kept(), SplitSeen()
    fit(spiral(epochs=1), [seen, kept.callback()], evaluate_test=False)
    assert isinstance(seen.split.test_rows, SealedTestPart)
    assert [grid.moment for grid in kept.grids] == ["initial", "final"]
    assert TEST not in kept.points[0].parts


def loading_once(monkeypatch) -> list[str]:
    """The sources loaded from now on; loading a second time raises."""
    loads = []
    real = engine_module.load_source

    def load_once(data, *args, **kwargs):
        loads.append(data.source)
        if len(loads) > 1:
            raise AssertionError("the dataset was loaded a second time")
        return real(data, *args, **kwargs)

    monkeypatch.setattr(engine_module, "load_source", load_once)
    monkeypatch.setattr(sources_module, "load_source", load_once)
    return loads


def test_the_callback_takes_the_runs_split_and_loads_nothing(monkeypatch):
    """The engine loads the data once; a second load (the callback's) would raise."""
    loads = loading_once(monkeypatch)
    kept, seen = Kept(), SplitSeen()
    result = fit(spiral(epochs=2), [seen, kept.callback()], evaluate_test=True)
    assert result.status == RunStatus.COMPLETED and loads == ["spiral"]
    assert [grid.moment for grid in kept.grids] == ["initial", "final"]
    # The points are the run's own training and validation rows.
    split = seen.split
    assert np.array_equal(kept.points[0].part(TRAIN)[0], split.features[split.train_rows])
    assert np.array_equal(kept.points[0].part(VALIDATION)[1], split.y_val)


def test_a_failing_view_is_turned_off_and_the_run_goes_on(caplog):
    def broken(grid):
        raise RuntimeError("the view broke")

    callback = BoundaryCallback(broken)
    with caplog.at_level(logging.WARNING):
        result = fit(spiral(epochs=2), [callback], evaluate_test=False)
    assert result.status == RunStatus.COMPLETED
    assert not callback.active and callback.grids == 1
    assert "the view broke" in caplog.text


def test_the_final_grid_is_kept_with_its_points_for_the_report(trained_spiral):
    experiment, result, kept = trained_spiral
    grid, points = kept_boundary(kept.made.final, result)
    assert grid is kept.grids[-1] and points is kept.points[0]
    assert grid.moment == "final" and grid.epoch == result.weights_epoch


def test_a_callback_without_a_view_computes_the_final_grid_only():
    callback = BoundaryCallback(interval_s=0.0, max_cost_share=1.0)
    result = fit(spiral(epochs=2), [callback], evaluate_test=False, progress_interval_s=0.0)
    assert callback.grids == 1
    grid, points = callback.final
    assert grid.moment == "final" and grid.epoch == result.weights_epoch == 2
    assert np.bincount(points.parts, minlength=3).tolist() == [*result.split_sizes[:2], 0]


def test_no_boundary_is_kept_without_finite_weights(trained_spiral):
    experiment, result, kept = trained_spiral
    final = (kept.grids[-1], kept.points[0])
    broken = {k: torch.full_like(v, float("nan")) for k, v in result.weights.items()}
    import dataclasses

    assert kept_boundary(final, result) is final
    assert kept_boundary(final, dataclasses.replace(result, weights=broken)) is None
    assert kept_boundary(final, dataclasses.replace(result, weights=None)) is None
    assert kept_boundary(final, dataclasses.replace(result, status=RunStatus.FAILED)) is None
    assert kept_boundary(None, result) is None


def counting_grids(monkeypatch) -> list[str]:
    """The moment of every grid computed from now on, whoever computes it."""
    moments = []
    real = boundary_module.evaluate_grid

    def counted(*args, **kwargs):
        moments.append(kwargs.get("moment"))
        return real(*args, **kwargs)

    monkeypatch.setattr(boundary_module, "evaluate_grid", counted)
    return moments


def test_the_session_computes_the_reports_grid_once_at_the_end(monkeypatch):
    moments, loads = counting_grids(monkeypatch), loading_once(monkeypatch)
    outcome = train_and_record(spiral(epochs=2), None, evaluate_test=False)
    assert moments == ["final"] and loads == ["spiral"]
    grid, _ = outcome.boundary
    assert grid.moment == "final" and grid.epoch == outcome.result.weights_epoch


def test_the_session_takes_the_final_grid_of_the_window_s_live_view(monkeypatch):
    moments = counting_grids(monkeypatch)
    kept = Kept()
    view = kept.callback(interval_s=1e9)
    outcome = train_and_record(spiral(epochs=2), None, [view], evaluate_test=False)
    assert moments == ["initial", "final"]  # the view's grids, and no other
    grid, points = outcome.boundary
    assert grid is kept.grids[-1] and points is kept.points[0]


def _plain(classes=("left", "right")):
    return Preprocessing(normalize="none", n_features=2, class_names=classes, image_shape=None)


def test_rows_follow_the_second_feature_and_columns_the_first():
    """A model that answers "right" iff x > 0.3 and one that answers it iff y > 0.3."""
    for feature in (0, 1):
        model = nn.Linear(2, 2)
        with torch.no_grad():
            model.weight.zero_()
            model.bias.zero_()
            model.weight[1, feature] = 10.0
            model.bias[1] = -3.0
        grid = evaluate_grid(model, _plain(), (-1.0, 1.0, -2.0, 2.0), size=40)
        along = grid.xs if feature == 0 else grid.ys
        expected = (along > 0.3).astype(np.int16)
        expected = expected[None, :] if feature == 0 else expected[:, None]
        assert np.array_equal(grid.classes, np.broadcast_to(expected, (40, 40)))
        assert grid.extent == pytest.approx((-1.0, 1.0, -2.0, 2.0))


def test_the_models_mode_is_restored_and_nan_outputs_have_no_class():
    model = nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.5))
    model.train()
    with torch.no_grad():
        model[0].weight[0, 0] = float("nan")
    grid = evaluate_grid(model, _plain(("a", "b", "c")), (0.0, 1.0, 0.0, 1.0), size=10)
    assert model.training
    assert (grid.classes == NO_CLASS).all() and (grid.confidence == 0).all()
    assert not grid.classes.flags.writeable


def test_the_extent_has_a_margin_and_never_collapses():
    assert plane_extent(np.array([[0.0, 10.0], [1.0, 20.0]])) == pytest.approx(
        (-0.1, 1.1, 9.0, 21.0)
    )
    assert plane_extent(np.array([[2.0, 5.0], [2.0, np.nan]])) == pytest.approx(
        (1.4, 2.6, 4.4, 5.6)
    )
    xs, ys = grid_axes((0.0, 1.0, 0.0, 2.0), size=4)
    assert xs.tolist() == pytest.approx([0.125, 0.375, 0.625, 0.875])
    assert ys.tolist() == pytest.approx([0.25, 0.75, 1.25, 1.75])
    with pytest.raises(ValueError):
        BoundaryCallback(lambda grid: None, size=1)
