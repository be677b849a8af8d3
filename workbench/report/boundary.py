"""The decision boundary as the report keeps it, and its colours, shared with the window.

`boundary_entry` turns an end-of-run grid (workbench/core/boundary.py) and its points into
report.json's `decision_boundary`; `read_boundary` reads one back, defensively (a hand-edited
report loses the figure, never the report). `boundary_rgb` colours a grid: each cell takes its
predicted class's palette colour, paler where the model is less sure. The window's live view
and the report's figure both use it, so they look alike.

report.json keeps a 100 x 100 grid as one string per grid row: a character per cell, its
class in base 36 ("0"-"9", then "a"-"z"; "-" where the model's outputs were not finite) and its
confidence in tenths ("7": the largest softmax probability was 0.7 to 0.8). As lists of
numbers, written one per line like the rest of report.json, it would take 20,000 lines.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

import numpy as np

from workbench.core.boundary_types import (
    NO_CLASS,
    PART_NAMES,
    TEST,
    BoundaryGrid,
    BoundaryPoints,
    cell_extent,
    sample_positions,
)
from workbench.report.palette import PALETTE

# A class's digit in a grid row: base 36. Runs with more classes get no figure (eight
# colours repeat long before that anyway).
_DIGITS = string.digits + string.ascii_lowercase
MAX_CLASSES = len(_DIGITS)
_NO_CLASS_CHARACTER = "-"
# Points the report keeps per part: the data's shape shows, report.json stays small.
REPORT_POINTS = 300
# Background tint: a cell where the model is at chance gets this much of its class's colour,
# a certain one this much more, so the regions read at once and points stay visible on them.
_TINT_FLOOR = 0.1
_TINT_RANGE = 0.4
_NO_CLASS_GREY = 225


@dataclass(frozen=True)
class BoundaryPicture:
    """A decision boundary read back from a report: what its figure draws."""

    xs: np.ndarray  # (nx,) cell centres
    ys: np.ndarray  # (ny,)
    classes: np.ndarray  # (ny, nx) int16, NO_CLASS where unknown
    confidence: np.ndarray  # (ny, nx) float32
    epoch: int | None
    # Per part name ("train", "validation", "test"): (features (n, 2), labels (n,)).
    points: dict[str, tuple[np.ndarray, np.ndarray]]

    @property
    def extent(self) -> tuple[float, float, float, float]:
        return cell_extent(self.xs, self.ys)


def boundary_entry(
    grid: BoundaryGrid,
    points: BoundaryPoints,
    test: tuple[Any, Any] | None = None,
) -> dict[str, Any] | None:
    """report.json's `decision_boundary`: the grid as row strings, and a sample of the points.

    Args:
        grid: The end-of-run grid of the kept weights.
        points: The training and validation points.
        test: The test inputs (raw, indexable by an array of rows) and labels, for a run
            evaluated on its test set; None for one that was not (its test part was not
            looked at, and is not drawn).

    Returns:
        The entry, or None when the run has more classes than a row string can name.
    """
    n_classes = len(points.class_names)
    if n_classes > MAX_CLASSES:
        return None
    parts: dict[str, Any] = {}
    for part, name in enumerate(PART_NAMES):
        if part == TEST:
            if test is not None:
                parts[name] = _test_points(*test)
            continue
        features, kept = points.part(part)
        chosen = sample_positions(len(kept), REPORT_POINTS)
        parts[name] = _points_entry(features[chosen], kept[chosen])
    return {
        "epoch": grid.epoch,
        "x": [_round(v) for v in grid.xs],
        "y": [_round(v) for v in grid.ys],
        "classes": [
            "".join(_DIGITS[c] if c >= 0 else _NO_CLASS_CHARACTER for c in row)
            for row in grid.classes.tolist()
        ],
        "confidence": [
            "".join(str(d) for d in row)
            for row in np.clip(np.floor(grid.confidence * 10), 0, 9).astype(int).tolist()
        ],
        "points": parts,
    }


def with_test_points(entry: Mapping[str, Any], inputs: Any, labels: Any) -> dict[str, Any]:
    """`entry` (a `decision_boundary`) with the test points of a run tested after it ended.

    The same sample `boundary_entry` draws for a run tested at its end: a run tested later has
    the same report section either way.
    """
    points = dict(entry.get("points") or {})
    points[PART_NAMES[TEST]] = _test_points(inputs, labels)
    return {**entry, "points": points}


def _test_points(inputs: Any, labels: Any) -> dict[str, Any]:
    # The test inputs are raw and indexable by an array of rows (a RowsView, not a copy).
    chosen = sample_positions(len(labels), REPORT_POINTS)
    return _points_entry(np.asarray(inputs[chosen]), np.asarray(labels)[chosen])


def _points_entry(features: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    values = np.asarray(features, dtype=np.float64).reshape(-1, 2)
    return {
        "x": [_round(v) for v in values[:, 0]],
        "y": [_round(v) for v in values[:, 1]],
        "class": [int(c) for c in labels],
    }


def read_boundary(entry: Any, n_classes: int) -> BoundaryPicture | None:
    """The picture of a report's `decision_boundary`, or None when it is missing or malformed."""
    if not isinstance(entry, Mapping) or not 0 < n_classes <= MAX_CLASSES:
        return None
    xs, ys = _numbers(entry.get("x")), _numbers(entry.get("y"))
    rows, shades = entry.get("classes"), entry.get("confidence")
    if xs is None or ys is None or len(xs) < 2 or len(ys) < 2:
        return None
    if not _rows_of(rows, len(ys), len(xs)) or not _rows_of(shades, len(ys), len(xs)):
        return None
    lookup = {character: index for index, character in enumerate(_DIGITS[:n_classes])}
    lookup[_NO_CLASS_CHARACTER] = NO_CLASS
    try:
        classes = np.array([[lookup[c] for c in row] for row in rows], dtype=np.int16)
        tenths = np.array([[int(c) for c in row] for row in shades], dtype=np.float32)
    except (KeyError, ValueError):
        return None
    # A cell's confidence was in [d/10, (d+1)/10): its middle stands for it.
    confidence = np.where(classes == NO_CLASS, 0.0, (tenths + 0.5) / 10).astype(np.float32)
    points = {}
    for name, part in (entry.get("points") or {}).items():
        if name not in PART_NAMES or not isinstance(part, Mapping):
            continue
        x, y = _numbers(part.get("x")), _numbers(part.get("y"))
        labels = part.get("class")
        if x is None or y is None or not isinstance(labels, list) or not len(x) == len(y):
            continue
        if len(labels) != len(x) or not all(
            isinstance(c, int) and 0 <= c < n_classes for c in labels
        ):
            continue
        points[name] = (np.column_stack([x, y]), np.asarray(labels, dtype=np.int64))
    epoch = entry.get("epoch")
    return BoundaryPicture(
        xs=xs,
        ys=ys,
        classes=classes,
        confidence=confidence,
        epoch=epoch if isinstance(epoch, int) else None,
        points=points,
    )


def boundary_rgb(classes: np.ndarray, confidence: np.ndarray, n_classes: int) -> np.ndarray:
    """A grid's picture: (ny, nx, 3) uint8, each cell its class's colour, paler when unsure.

    The tint grows from `_TINT_FLOOR` where the model is at chance (confidence 1 / classes)
    to `_TINT_FLOOR + _TINT_RANGE` where it is certain; cells with no class are light grey.
    """
    palette = np.array(PALETTE, dtype=np.float32)
    known = classes >= 0
    colours = palette[np.where(known, classes, 0) % len(palette)]
    chance = 1.0 / max(n_classes, 1)
    sureness = np.clip((confidence - chance) / max(1.0 - chance, 1e-6), 0.0, 1.0)
    tint = (_TINT_FLOOR + _TINT_RANGE * sureness)[..., None]
    rgb = 255.0 * (1.0 - tint) + colours * tint
    rgb[~known] = _NO_CLASS_GREY
    return np.round(rgb).astype(np.uint8)


def class_colour(index: int) -> tuple[int, int, int]:
    """The full colour of class `index` (its points; its region is a paler tint of it)."""
    return PALETTE[index % len(PALETTE)]


def _round(value: float) -> float:
    # Six significant digits: far below a grid cell or a point's size on any figure.
    return float(f"{float(value):.6g}")


def _numbers(values: Any) -> np.ndarray | None:
    if not isinstance(values, list) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values
    ):
        return None
    array = np.asarray(values, dtype=np.float64)
    return array if np.isfinite(array).all() else None


def _rows_of(rows: Any, count: int, width: int) -> TypeGuard[list[str]]:
    return (
        isinstance(rows, list)
        and len(rows) == count
        and all(isinstance(row, str) and len(row) == width for row in rows)
    )
