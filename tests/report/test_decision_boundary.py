"""The report's decision-boundary figure for 2-D data (issue 18).

A real spiral run goes through `train_and_record` and `report_of` (the window's export and
`workbench run`), report.json written and read back (`workbench report DIR`), and the HTML
page. The figure's grid is the run's end-of-run grid, of the weights its test metrics describe
(the best epoch's when restored); test points appear only for a run that evaluated its test
set; digits get no figure; a damaged entry costs the figure, not the page. A report made later
from the run store has the very section the run's own report had.
"""

import copy
import io
import json
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from tests.conftest import script_validation, small_experiment
from workbench.core.boundary_types import NO_CLASS, TRAIN, VALIDATION
from workbench.core.events import Callback
from workbench.report import write_report
from workbench.report.boundary import REPORT_POINTS, boundary_rgb, read_boundary
from workbench.report.html_report import render_html, render_html_for_qt
from workbench.runs.final_test import evaluate_and_record
from workbench.runs.session import report_of, train_and_record
from workbench.runs.store import RunStore
from workbench.runs.trained import from_store

from .helpers import decode_png, parse

FIGURE_ALT = (
    "The model's predicted class over the plane of the two input features, with the data points"
)
SPIRAL = {
    "data": {"source": "spiral", "samples": 600, "noise": 0.1},
    "model": {"layers": [{"type": "dense", "units": 64, "activation": "relu", "init": "he"}] * 2},
    "optimizer": {"name": "adam", "lr": 0.03},
    "training": {"epochs": 15, "batch_size": 50},
}


@pytest.fixture(scope="module")
def spiral_runs():
    """An exploring run (test set not evaluated) and a final one (`workbench run`'s)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a tiny model: a second thread only waits on the first
    try:
        experiment = small_experiment(**SPIRAL)
        explored = train_and_record(experiment, None, evaluate_test=False)
        tested = train_and_record(experiment, None, evaluate_test=True)
    finally:
        torch.set_num_threads(threads)
    return experiment, explored, tested


def test_the_report_keeps_the_runs_final_grid_and_its_points(spiral_runs, tmp_path):
    experiment, outcome, _ = spiral_runs
    grid, points = outcome.boundary
    report = report_of(experiment, outcome)
    entry = report["decision_boundary"]
    assert entry["epoch"] == outcome.result.weights_epoch == grid.epoch
    # Through report.json and back, as `workbench report DIR` reads it.
    written = json.loads(write_report(report, tmp_path / "report.json").read_text())
    picture = read_boundary(written["decision_boundary"], 3)
    assert np.array_equal(picture.classes, grid.classes)
    assert np.allclose(picture.xs, grid.xs, rtol=1e-5) and np.allclose(picture.ys, grid.ys)
    # Confidence kept in tenths: each cell's middle is within half a tenth of the real one.
    assert np.abs(picture.confidence - grid.confidence).max() <= 0.05 + 1e-6
    # Training and validation points, a sample of each; no test points: not looked at.
    assert set(picture.points) == {"train", "validation"}
    for name, part in (("train", TRAIN), ("validation", VALIDATION)):
        features, labels = points.part(part)
        shown, shown_labels = picture.points[name]
        assert len(shown) == min(REPORT_POINTS, len(labels))
        assert np.bincount(shown_labels, minlength=3).min() > 0
        # Each point shown is one of the part's points, with its own class.
        for point, label in zip(shown[:20], shown_labels[:20], strict=True):
            match = np.flatnonzero(np.all(np.abs(features - point) < 1e-4, axis=1))
            assert match.size and labels[match[0]] == label
    # Compact: a few tens of kilobytes, although report.json puts a list item on each line.
    assert len(json.dumps(entry, indent=2)) < 60_000


def test_a_run_evaluated_on_its_test_set_draws_its_test_points(spiral_runs):
    experiment, _, outcome = spiral_runs
    report = report_of(experiment, outcome)
    picture = read_boundary(report["decision_boundary"], 3)
    n_test = outcome.result.split_sizes[2]
    features, labels = picture.points["test"]
    assert len(labels) == min(REPORT_POINTS, n_test)
    assert np.array_equal(
        np.sort(labels), np.sort(outcome.result.predictions.labels)[: len(labels)]
    )
    html = render_html(report)
    assert "crosses test data" in html


def test_the_html_page_has_the_figure_drawn_from_the_grid(spiral_runs):
    experiment, outcome, _ = spiral_runs
    report = report_of(experiment, outcome)
    html = render_html(report)
    page = parse(html)
    assert "decision-boundary" in page.ids
    (image,) = [i for i in page.images if i["alt"] == FIGURE_ALT]
    png = Image.open(io.BytesIO(decode_png(image["src"]))).convert("RGB")
    assert png.size == (620, 440)
    # The figure shows the grid's colours: the three classes' tints cover most of it.
    picture = read_boundary(report["decision_boundary"], 3)
    tints = {tuple(c) for c in boundary_rgb(picture.classes, picture.confidence, 3).reshape(-1, 3)}
    pixels = np.asarray(png).reshape(-1, 3)
    share = np.mean([tuple(p) in tints for p in pixels[::7]])
    assert share > 0.4, share
    assert "test data are not drawn" in html
    # Qt's PDF printer gets the same figure as a named resource.
    _, resources = render_html_for_qt(report)
    assert "fig-boundary.png" in resources


def test_digits_have_no_decision_boundary():
    outcome = train_and_record(small_experiment(training={"epochs": 1}), None)
    report = report_of(small_experiment(training={"epochs": 1}), outcome)
    assert outcome.boundary is None and report["decision_boundary"] is None
    assert "decision-boundary" not in parse(render_html(report)).ids


@pytest.mark.parametrize(
    "damage",
    [
        lambda e: e.update(classes=e["classes"][:-1]),
        lambda e: e.update(classes=[row.replace("0", "z") for row in e["classes"]]),
        lambda e: e.update(confidence=["x" * len(row) for row in e["confidence"]]),
        lambda e: e.update(x="not a list"),
        lambda e: e.update(y=[float("nan")] * len(e["y"])),
    ],
)
def test_a_damaged_entry_costs_the_figure_not_the_report(spiral_runs, damage):
    experiment, outcome, _ = spiral_runs
    report = copy.deepcopy(report_of(experiment, outcome))
    damage(report["decision_boundary"])
    assert read_boundary(report["decision_boundary"], 3) is None


def test_a_report_with_a_damaged_entry_renders_without_the_figure(spiral_runs):
    experiment, outcome, _ = spiral_runs
    report = copy.deepcopy(report_of(experiment, outcome))
    report["decision_boundary"]["classes"] = "oops"
    page = parse(render_html(report))
    assert "decision-boundary" not in page.ids and "learning-curves" in page.ids


def test_damaged_points_lose_only_their_part(spiral_runs):
    experiment, outcome, _ = spiral_runs
    report = copy.deepcopy(report_of(experiment, outcome))
    report["decision_boundary"]["points"]["train"]["class"][0] = 7
    picture = read_boundary(report["decision_boundary"], 3)
    assert set(picture.points) == {"validation"}


def test_cells_without_a_class_are_grey_and_sureness_darkens():
    classes = np.array([[0, 1, NO_CLASS]], dtype=np.int16)
    sure = boundary_rgb(classes, np.array([[1.0, 1.0, 0.0]], dtype=np.float32), 2)
    unsure = boundary_rgb(classes, np.array([[0.5, 0.5, 0.0]], dtype=np.float32), 2)
    assert (sure[0, 2] == unsure[0, 2]).all() and len(set(sure[0, 2].tolist())) == 1
    # Paler (nearer white) where the model is at chance, in each class's own hue.
    assert (unsure[0, :2].astype(int).sum(axis=1) > sure[0, :2].astype(int).sum(axis=1)).all()
    assert not np.array_equal(sure[0, 0], sure[0, 1])


class EpochStates(Callback):
    """The model's weights at the end of every epoch."""

    def __init__(self) -> None:
        self.states: list[dict] = []

    def on_train_begin(self, model, run):
        self.model = model

    def on_epoch_end(self, metrics):
        self.states.append({k: v.detach().clone() for k, v in self.model.state_dict().items()})


def grid_classes(experiment, result, weights, grid):
    """The classes a model with `weights` predicts at the grid's cell centres."""
    import torch

    from workbench.core.boundary_types import grid_points
    from workbench.models import build_model

    model = build_model(experiment.model, 2, 3, None)
    model.load_state_dict(weights)
    model.eval()
    inputs = torch.from_numpy(result.preprocessing.apply(grid_points(grid.xs, grid.ys)))
    with torch.no_grad():
        return model(inputs).argmax(dim=1).numpy().reshape(grid.classes.shape)


def test_a_run_that_restores_its_best_weights_draws_those_weights(monkeypatch):
    """The report's boundary is the model its test metrics describe: the best epoch's."""
    # Validation says epoch 1 was best; early stopping ends the run at epoch 3 and restores it.
    script_validation(monkeypatch, [(0.5, 0.9), (0.9, 0.5), (0.9, 0.5)])
    experiment = small_experiment(
        **{**SPIRAL, "training": {"epochs": 10, "batch_size": 50}},
        early_stopping={"enabled": True, "patience": 2, "restore_best": True},
    )
    states = EpochStates()
    outcome = train_and_record(experiment, None, [states])
    result = outcome.result
    assert result.status == "early_stopped" and result.epochs_run == 3
    assert result.weights_kept == "best" and result.weights_epoch == 1
    grid, _ = outcome.boundary
    report = report_of(experiment, outcome)
    assert report["decision_boundary"]["epoch"] == 1
    assert np.array_equal(read_boundary(report["decision_boundary"], 3).classes, grid.classes)
    kept = grid_classes(experiment, result, result.weights, grid)
    assert np.array_equal(kept, grid.classes)
    # The test would tell: the last epoch's model draws another boundary.
    last = grid_classes(experiment, result, states.states[-1], grid)
    assert (last != grid.classes).sum() > 100


def test_a_run_tested_later_has_the_same_boundary_from_the_store_as_in_the_window(tmp_path):
    """Recorded at the end of an exploring run, its test points added by the later test."""
    store = RunStore(tmp_path)
    experiment = small_experiment(**{**SPIRAL, "training": {"epochs": 3, "batch_size": 50}})
    outcome = train_and_record(experiment, store, evaluate_test=False)
    stored = from_store(store, outcome.run_id).report["decision_boundary"]
    assert stored == report_of(experiment, outcome)["decision_boundary"]
    assert set(stored["points"]) == {"train", "validation"}
    # The window's Test… on its last run.
    final = evaluate_and_record(experiment, outcome.result, store, outcome.run_id)
    tested = replace(outcome, result=final.result, test_evaluations=final.evaluations)
    shown = report_of(experiment, tested)["decision_boundary"]
    assert set(shown["points"]) == {"train", "validation", "test"}
    assert from_store(store, outcome.run_id).report["decision_boundary"] == shown
