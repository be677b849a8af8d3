"""Optimizer paths on 2-D functions: the book's figure 6-8 from the real torch optimizers."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
import torch

from workbench.config import OPTIMIZERS, OptimizerConfig, ScheduleConfig
from workbench.playground.paths import optimizer_paths, sign_changes
from workbench.playground.surfaces import (
    BOOK_OPTIMIZERS,
    FUNCTIONS,
    PathsError,
    contour_levels,
    contour_lines,
    optimizer_config,
    schedule_for,
)


@pytest.fixture(scope="module")
def book():
    """The book's default: 30 steps from (-7, 2) on x²/20 + y², its four optimizers."""
    return optimizer_paths("book", BOOK_OPTIMIZERS, start=(-7, 2), steps=30)


def test_sgd_zig_zags_in_y_far_more_than_adam(book):
    # The book's figure 6-8: SGD bounces across the narrow valley in y at every step;
    # Adam's path curves once across it.
    zigzags = {path.name: sign_changes(np.diff(path.points[:, 1])) for path in book.paths}
    assert zigzags["sgd"] >= 25  # nearly every one of the 29 pairs of steps
    assert zigzags["adam"] <= 5
    assert zigzags["sgd"] >= 5 * max(1, zigzags["adam"])
    # Momentum rolls like a ball: a few swings, not a bounce per step.
    assert zigzags["momentum"] < zigzags["sgd"] / 3


def test_all_four_of_the_book_end_closer_to_the_minimum_than_they_began(book):
    start_distance = float(np.hypot(-7, 2))
    for path in book.paths:
        assert path.steps_taken == 30 and path.stopped_at is None
        assert len(path.points) == len(path.losses) == len(path.distances) == 31
        assert path.distances[0] == pytest.approx(start_distance)
        assert path.distances[-1] < start_distance / 5, path.name
        assert path.losses[-1] < path.losses[0] / 10, path.name
        # The losses are the function's values at the points.
        x, y = path.points[-1]
        assert path.losses[-1] == pytest.approx(x**2 / 20 + y**2)


def test_the_book_rates_and_settings_are_used():
    assert {name: optimizer_config(name).lr for name in BOOK_OPTIMIZERS} == {
        "sgd": 0.95,
        "momentum": 0.1,
        "adagrad": 1.5,
        "adam": 0.3,
    }
    assert optimizer_config("momentum").momentum == 0.9
    assert optimizer_config("adam").betas == (0.9, 0.999)
    # Each function may suit other rates; a given rate wins over any default.
    assert optimizer_config("sgd", "rosenbrock").lr < 0.01
    assert optimizer_config("sgd", "rosenbrock", lr=0.002).lr == 0.002


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_each_path_is_the_torch_optimizer_the_engine_builds(name):
    """Three steps of the path equal three steps of torch.optim's own class, made by hand."""
    config = optimizer_config(name, "book")
    result = optimizer_paths("book", [config], start=(-7.0, 2.0), steps=3)
    parameter = torch.nn.Parameter(torch.tensor([-7.0, 2.0], dtype=torch.float64))
    kinds = {
        "sgd": lambda p: torch.optim.SGD(p, lr=config.lr),
        "momentum": lambda p: torch.optim.SGD(p, lr=config.lr, momentum=0.9),
        "nesterov": lambda p: torch.optim.SGD(p, lr=config.lr, momentum=0.9, nesterov=True),
        "adagrad": lambda p: torch.optim.Adagrad(p, lr=config.lr, eps=1e-8),
        "rmsprop": lambda p: torch.optim.RMSprop(p, lr=config.lr, alpha=0.99, eps=1e-8),
        "adam": lambda p: torch.optim.Adam(p, lr=config.lr),
        "adamw": lambda p: torch.optim.AdamW(p, lr=config.lr, weight_decay=0.01),
    }
    optimizer = kinds[name]([parameter])
    expected = [parameter.detach().clone()]
    for _ in range(3):
        optimizer.zero_grad()
        (parameter[0] ** 2 / 20 + parameter[1] ** 2).backward()
        optimizer.step()
        expected.append(parameter.detach().clone())
    np.testing.assert_allclose(result.paths[0].points, torch.stack(expected).numpy(), rtol=1e-12)


def test_the_path_calls_the_engines_build_optimizer(monkeypatch):
    import workbench.playground.paths as paths

    built = []

    def spy(config, parameters):
        optimizer = build(config, parameters)
        built.append((config.name, type(optimizer)))
        return optimizer

    build = paths.build_optimizer
    monkeypatch.setattr(paths, "build_optimizer", spy)
    optimizer_paths("book", ["nesterov", "rmsprop"], steps=2)
    assert built == [("nesterov", torch.optim.SGD), ("rmsprop", torch.optim.RMSprop)]


def test_the_book_sgd_step_is_the_books_formula():
    # x <- x - lr * grad, grad = (x/10, 2y): the book's SGD class, by hand.
    path = optimizer_paths("book", ["sgd"], steps=1).paths[0]
    x, y = -7.0, 2.0
    assert path.points[1] == pytest.approx([x - 0.95 * x / 10, y - 0.95 * 2 * y])
    assert path.rates.tolist() == [0.95]


def test_a_schedule_from_the_engine_lowers_the_rate_step_by_step():
    schedule = ScheduleConfig(name="step", step_size=5, gamma=0.5)
    path = optimizer_paths("book", ["sgd"], steps=12, schedule=schedule).paths[0]
    assert path.rates.tolist() == [0.95] * 5 + [0.475] * 5 + [0.2375] * 2
    plain = optimizer_paths("book", ["sgd"], steps=12).paths[0]
    assert not np.allclose(path.points, plain.points)


def test_gradient_noise_is_seeded_and_the_same_for_every_optimizer():
    noisy = optimizer_paths("book", ["sgd", "adam"], steps=20, noise=1.0, seed=3)
    again = optimizer_paths("book", ["sgd", "adam"], steps=20, noise=1.0, seed=3)
    other = optimizer_paths("book", ["sgd", "adam"], steps=20, noise=1.0, seed=4)
    exact = optimizer_paths("book", ["sgd", "adam"], steps=20)
    for index in range(2):
        np.testing.assert_array_equal(noisy.paths[index].points, again.paths[index].points)
        assert not np.allclose(noisy.paths[index].points, other.paths[index].points)
        assert not np.allclose(noisy.paths[index].points, exact.paths[index].points)
    # The same draws: SGD's first step is off from the exact one by lr times the first draw,
    # and Adam's first gradient is that same noisy gradient.
    draw = torch.randn(2, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    gap = noisy.paths[0].points[1] - exact.paths[0].points[1]
    np.testing.assert_allclose(gap, -0.95 * draw.numpy(), rtol=1e-9)


def test_himmelblau_distance_is_to_the_nearest_of_its_four_minima():
    function = FUNCTIONS["himmelblau"]
    minima = np.array(function.minima)
    assert len(minima) == 4
    values = function(torch.tensor(minima[:, 0]), torch.tensor(minima[:, 1]))
    assert values.abs().max() < 1e-9
    points = minima + np.array([0.1, 0.0])
    np.testing.assert_allclose(function.distance(points), 0.1, rtol=1e-9)
    result = optimizer_paths("himmelblau", ["adam"], start=(-3.0, -3.0), steps=200)
    assert result.paths[0].distances[-1] < 0.05  # the (-3.78, -3.28) one, not (3, 2)


def test_the_saddle_has_no_minimum_and_the_paths_leave_its_saddle_point():
    result = optimizer_paths("saddle", ["sgd", "adam"])
    assert FUNCTIONS["saddle"].minima == ()
    for path in result.paths:
        # Distances are to the saddle point (0, 0): first nearer along x, then away along y.
        assert path.distances.min() < path.distances[0]
        assert path.distances[-1] > path.distances.min() * 2
        assert abs(path.points[-1, 1]) > abs(path.points[0, 1])


def test_every_function_finds_its_minimum_with_its_own_default_rates():
    for key in ("book", "rosenbrock", "beale", "himmelblau"):
        result = optimizer_paths(key, ["adam", "momentum"])
        for path in result.paths:
            assert path.stopped_at is None, (key, path.name)
            assert path.distances[-1] < 0.6 * path.distances[0], (key, path.name)


def test_a_diverging_path_is_stopped_and_marked_not_crashed():
    result = optimizer_paths("book", [OptimizerConfig(name="sgd", lr=5.0), "adam"], steps=200)
    diverged, adam = result.paths
    assert diverged.stopped_at is not None and diverged.stopped_at < 200
    assert diverged.steps_taken == diverged.stopped_at - 1
    assert np.isfinite(diverged.points).all() and np.isfinite(diverged.losses).all()
    assert len(diverged.rates) == diverged.steps_taken
    assert adam.stopped_at is None and adam.steps_taken == 200


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"function": "sphere"}, "function: unknown function 'sphere'"),
        ({"optimizers": ["lbfgs"]}, "optimizers: unknown optimizer 'lbfgs'"),
        ({"optimizers": []}, "optimizers: choose at least one"),
        ({"optimizers": ["sgd", "sgd"]}, "optimizers: each optimizer at most once"),
        ({"start": (float("nan"), 1.0)}, "start: must be finite"),
        ({"start": (1.0, float("inf"))}, "start: must be finite"),
        ({"start": (1.0,)}, "start: give two numbers"),
        ({"steps": 0}, "steps: must be a whole number from 1 to 10000"),
        ({"steps": 10_001}, "steps: must be a whole number"),
        ({"steps": 2.5}, "steps: must be a whole number"),
        ({"noise": -1.0}, "noise: must be from 0"),
        ({"noise": float("nan")}, "noise: must be from 0"),
    ],
)
def test_bad_input_is_refused_naming_the_field(kwargs, field):
    with pytest.raises(PathsError, match="^" + field.replace("(", r"\(")):
        optimizer_paths(**kwargs)


def test_a_bad_setting_names_the_optimizer_and_the_setting():
    with pytest.raises(PathsError, match=r"^adam\.lr: "):
        optimizer_config("adam", lr=-1.0)
    with pytest.raises(PathsError, match=r"^momentum\.momentum: "):
        optimizer_config("momentum", momentum=1.5)


def test_contour_levels_rise_geometrically_above_a_floor_and_evenly_without_one():
    _, _, z = FUNCTIONS["rosenbrock"].grid(60)
    levels = contour_levels(z, 10)
    assert np.all(np.diff(levels) > 0) and levels[0] >= z.min()
    ratios = np.diff(levels - z.min())[1:] / np.diff(levels - z.min())[:-1]
    np.testing.assert_allclose(ratios, ratios[0])  # a constant factor
    _, _, saddle = FUNCTIONS["saddle"].grid(60)
    even = contour_levels(saddle, 10)
    np.testing.assert_allclose(np.diff(even), np.diff(even)[0])
    assert even.min() < 0 < even.max()


def test_schedules_are_the_engines_scaled_to_the_steps():
    steps = 30
    step = optimizer_paths("book", ["sgd"], steps=steps, schedule=schedule_for("step", steps))
    assert step.paths[0].rates.tolist() == [0.95] * 10 + [0.475] * 10 + [0.2375] * 10
    exponential = optimizer_paths(
        "book", ["sgd"], steps=steps, schedule=schedule_for("exponential", steps)
    ).paths[0]
    assert exponential.rates[10] == pytest.approx(0.95 / 2)
    assert np.all(np.diff(exponential.rates) < 0)
    cosine = optimizer_paths(
        "book", ["sgd"], steps=steps, schedule=schedule_for("cosine", steps)
    ).paths[0]
    assert cosine.rates[0] == 0.95 and cosine.rates[-1] < 0.01
    cycle = optimizer_paths(
        "book", ["adam"], steps=steps, schedule=schedule_for("onecycle", steps)
    ).paths[0]
    assert cycle.rates[0] < 0.3 / 10 and cycle.rates.max() == pytest.approx(0.3, rel=0.02)
    assert schedule_for("constant", steps) is None
    plateau = schedule_for("plateau", steps)
    assert plateau is not None and plateau.patience == 3
    with pytest.raises(PathsError, match="^schedule: unknown schedule 'warm'"):
        schedule_for("warm", steps)


@pytest.mark.parametrize("key", list(FUNCTIONS))
def test_contour_lines_lie_on_their_levels(key):
    function = FUNCTIONS[key]
    lines = contour_lines(function, count=8, size=80)
    _, _, z = function.grid(80)
    levels = contour_levels(z, 8)
    points = lines[np.isfinite(lines).all(axis=1)]
    assert len(points) > 50
    values = function(points[:, 0], points[:, 1])
    # Each point is on one of the levels, up to the grid's linear interpolation.
    gaps = np.abs(values[:, None] - levels[None, :]).min(axis=1)
    assert np.median(gaps / (levels.max() - levels.min())) < 0.01
    x_min, x_max, y_min, y_max = function.view
    assert points[:, 0].min() >= x_min - 1e-9 and points[:, 0].max() <= x_max + 1e-9
    assert points[:, 1].min() >= y_min - 1e-9 and points[:, 1].max() <= y_max + 1e-9


def test_the_figure_draws_a_panel_per_optimizer_or_one_for_all(book):
    from PIL import Image

    from workbench.playground.paths_figure import paths_csv, paths_figure

    three = optimizer_paths("book", ["sgd", "adam", "rmsprop"], steps=5)
    grid = Image.open(io.BytesIO(paths_figure(three, "png", "grid")))
    overlay = Image.open(io.BytesIO(paths_figure(three, "png", "overlay", upto=2)))
    assert grid.size == (800, 610) and overlay.size == (700, 400)  # 2 x 2 panels, and one
    svg = paths_figure(three, "svg", "overlay")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg and b"matplotlib.org" not in svg
    with pytest.raises(ValueError, match="^format: 'jpg'"):
        paths_figure(book, "jpg")
    rows = list(csv.DictReader(io.StringIO(paths_csv(book))))
    assert len(rows) == 4 * 31 and rows[0]["step"] == "0" and rows[-1]["optimizer"] == "adam"
    assert float(rows[-1]["distance"]) == book.path("adam").distances[-1]
