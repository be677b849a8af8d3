"""What a decision boundary is made of: plain NumPy grids and points, nothing on a device.

`workbench.core.boundary` computes them with torch, in the training thread; the window's
decision-boundary view and the report read them. Importing this module costs no torch, so
the window can show itself before torch has loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.data.preprocessing import Preprocessing

# Cells per side: 100 x 100 = 10,000 inputs, one forward pass of a few milliseconds for the
# small networks 2-D data is learnt with (tests/benchmarks/decision_boundary.py), and fine
# enough that the spiral's arms show as curves, not stairs.
GRID_SIZE = 100
# Room around the data on each side, as a share of its span: the boundary's shape just
# beyond the data (where a model extrapolates) is part of the picture.
MARGIN = 0.1
# Points handed on per part for drawing: enough to see the data's shape, few enough that
# drawing them stays cheap however many samples a dataset has.
MAX_POINTS = 2000
# Parts of the data, as `BoundaryPoints.parts` numbers them.
TRAIN, VALIDATION, TEST = 0, 1, 2
PART_NAMES = ("train", "validation", "test")
# A cell whose outputs are not finite (a diverged model) has this class and confidence 0.
NO_CLASS = -1


@dataclass(frozen=True)
class BoundaryGrid:
    """A model's predicted class and its confidence at the centres of a grid over the plane.

    `classes[i, j]` and `confidence[i, j]` belong to the raw point (`xs[j]`, `ys[i]`): rows
    go up the second feature, columns along the first, both in increasing order.
    """

    xs: np.ndarray  # (nx,) float64 cell centres along the first feature, raw units
    ys: np.ndarray  # (ny,) float64 cell centres along the second feature
    classes: np.ndarray  # (ny, nx) int16: the argmax of the model's outputs; NO_CLASS if NaN
    confidence: np.ndarray  # (ny, nx) float32: the largest softmax probability (0 if NaN)
    epoch: int  # epochs trained when it was computed (0: before the first step)
    step: int  # batches trained in the whole run when it was computed
    # "initial" (before the first step), "epoch" (an epoch's end), "batch" (within an epoch)
    # or "final" (the weights the run kept, at its end: the best epoch's when restored).
    moment: str = "epoch"

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """(x min, x max, y min, y max) of the cells' outer edges, for drawing."""
        return cell_extent(self.xs, self.ys)


@dataclass(frozen=True)
class BoundaryPoints:
    """Data points to draw over a boundary: raw 2-D features, class and part of each."""

    features: np.ndarray  # (n, 2) float32, raw (before normalisation)
    labels: np.ndarray  # (n,) int64 class indices
    parts: np.ndarray  # (n,) int8: TRAIN, VALIDATION or TEST
    class_names: tuple[str, ...]

    def part(self, part: int) -> tuple[np.ndarray, np.ndarray]:
        """(features, labels) of one part."""
        chosen = self.parts == part
        return self.features[chosen], self.labels[chosen]


def is_plane_data(preprocessing: Preprocessing | None) -> bool:
    """Whether a run's inputs are points of the plane: exactly 2 features, not an image."""
    return (
        preprocessing is not None
        and preprocessing.n_features == 2
        and preprocessing.image_shape is None
    )


def plane_extent(features: np.ndarray, margin: float = MARGIN) -> tuple[float, float, float, float]:
    """(x min, x max, y min, y max) of the finite raw points, widened by `margin` of the span.

    A feature with a single value (or none) gets a span of 1 around it, so the grid is never
    a line.
    """
    values = np.asarray(features, dtype=np.float64).reshape(-1, 2)
    bounds = []
    for column in values.T:
        finite = column[np.isfinite(column)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
        span = high - low
        if not span > 0:
            low, high, span = low - 0.5, high + 0.5, 1.0
        bounds += [low - margin * span, high + margin * span]
    return bounds[0], bounds[1], bounds[2], bounds[3]


def grid_axes(
    extent: tuple[float, float, float, float], size: int = GRID_SIZE
) -> tuple[np.ndarray, np.ndarray]:
    """The cell centres (xs, ys) of a `size` x `size` grid filling `extent`."""
    if size < 2:
        raise ValueError(f"a grid needs at least 2 cells per side, got {size}")
    x_low, x_high, y_low, y_high = extent
    # Centres half a cell in from the edges, so the cells tile the extent exactly.
    x_half = (x_high - x_low) / (2 * size)
    y_half = (y_high - y_low) / (2 * size)
    xs = np.linspace(x_low + x_half, x_high - x_half, size)
    ys = np.linspace(y_low + y_half, y_high - y_half, size)
    return xs, ys


def grid_points(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The raw points (x, y) of every cell, row by row: (len(ys) * len(xs), 2) float32.

    Row-major like `BoundaryGrid.classes`: point `i * len(xs) + j` is (`xs[j]`, `ys[i]`).
    """
    x, y = np.meshgrid(xs, ys)  # "xy" indexing: shape (ny, nx), rows along ys
    return np.column_stack([x.ravel(), y.ravel()]).astype(np.float32)


def sample_positions(count: int, most: int) -> np.ndarray:
    """Up to `most` of `count` positions, seeded and in order: the same points every run."""
    if count <= most:
        return np.arange(count)
    return np.sort(np.random.default_rng(0).choice(count, most, replace=False))


def cell_extent(xs: np.ndarray, ys: np.ndarray) -> tuple[float, float, float, float]:
    """(x min, x max, y min, y max) of the outer edges of cells centred on `xs` x `ys`."""
    half_x, half_y = _half_step(xs), _half_step(ys)
    return (
        float(xs[0] - half_x),
        float(xs[-1] + half_x),
        float(ys[0] - half_y),
        float(ys[-1] + half_y),
    )


def _half_step(values: np.ndarray) -> float:
    return float(values[1] - values[0]) / 2 if len(values) > 1 else 0.5


def frozen(array: np.ndarray) -> np.ndarray:
    # Handed to another thread: nobody may change it there.
    array.flags.writeable = False
    return array
