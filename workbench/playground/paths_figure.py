"""The optimizer-paths figure (PNG or SVG) and table (CSV), drawn without Qt.

The figure is the book's figure 6-8: the function's contour lines with each optimizer's path
over them, one panel per optimizer ("grid"), or all paths on one panel ("overlay", what the
window shows). matplotlib's Agg canvas, never pyplot, as the report's figures
(`workbench.report.figures`): the window exports from a background thread.
"""

from __future__ import annotations

import csv
import io
import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from workbench.playground.paths import OptimizerPath, PathsResult
from workbench.playground.surfaces import OPTIMIZER_LABELS, PALETTE_INDEX, contour_levels
from workbench.report.palette import palette_hex

DPI = 100
FORMATS = ("png", "svg")
LAYOUTS = ("grid", "overlay")
CONTOUR_COLOUR = "#9a9a9a"
MINIMUM_COLOUR = "#000000"


def label(path: OptimizerPath) -> str:
    """The optimizer and its learning rate: "SGD (lr 0.95)"."""
    return f"{OPTIMIZER_LABELS.get(path.name, path.name)} (lr {path.config.lr:g})"


def paths_figure(
    result: PathsResult, fmt: str = "png", layout: str = "grid", upto: int | None = None
) -> bytes:
    """The figure as PNG or SVG bytes.

    Args:
        result: What `optimizer_paths` returned.
        fmt: "png" or "svg".
        layout: "grid" (a panel per optimizer, as the book) or "overlay" (one panel).
        upto: Draw each path up to this step (the window's animation); all of it if None.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if layout not in LAYOUTS:
        raise ValueError(f"layout: {layout!r} is not one of {', '.join(LAYOUTS)}")
    paths = result.paths
    panels = 1 if layout == "overlay" else len(paths)
    columns = 1 if panels == 1 else 2 if panels <= 4 else 3
    rows = math.ceil(panels / columns)
    # One panel with a legend beside it, or the book's small panels side by side.
    size = (7.0, 4.0) if layout == "overlay" else (4.0 * columns, 2.9 * rows + 0.3)
    figure = Figure(figsize=size, dpi=DPI, layout="constrained")
    canvas = FigureCanvasAgg(figure) if fmt == "png" else FigureCanvasSVG(figure)
    axes_grid = np.atleast_1d(figure.subplots(rows, columns, squeeze=False).ravel())
    x, y, z = result.function.grid()
    levels = contour_levels(z)
    for index, axes in enumerate(axes_grid):
        if index >= panels:
            axes.set_visible(False)
            continue
        shown = paths if layout == "overlay" else (paths[index],)
        _contours(axes, x, y, z, levels, result)
        for path in shown:
            _path(axes, path, upto, many=len(shown) > 1)
        if len(shown) == 1:
            axes.set_title(label(shown[0]), fontsize=10)
        else:
            axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    step = result.steps if upto is None else min(upto, result.steps)
    noise = f", gradient noise {result.noise:g}" if result.noise else ""
    figure.suptitle(f"f(x, y) = {result.function.formula}: {step} steps{noise}", fontsize=11)
    buffer = io.BytesIO()
    # No "Software" entry: it holds matplotlib's web address, and outputs carry no URLs.
    metadata = {"Software": None} if fmt == "png" else {"Creator": None, "Date": None}
    canvas.print_figure(buffer, format=fmt, dpi=DPI, metadata=metadata)
    return buffer.getvalue()


def _contours(
    axes: Axes, x: np.ndarray, y: np.ndarray, z: np.ndarray, levels: np.ndarray, result
) -> None:
    function = result.function
    axes.contour(x, y, z, levels=levels, colors=CONTOUR_COLOUR, linewidths=0.7)
    for minimum in function.minima:
        axes.plot(*minimum, marker="+", markersize=10, color=MINIMUM_COLOUR, linestyle="none")
    if not function.minima:
        axes.plot(*function.reference, marker="x", markersize=8, color=MINIMUM_COLOUR)
    x_min, x_max, y_min, y_max = function.view
    axes.set_xlim(x_min, x_max)
    axes.set_ylim(y_min, y_max)
    axes.set_xlabel("x")
    axes.set_ylabel("y")
    axes.tick_params(labelsize=8)


def _path(axes: Axes, path: OptimizerPath, upto: int | None, many: bool) -> None:
    points = path.points if upto is None else path.points[: upto + 1]
    colour = palette_hex(PALETTE_INDEX.get(path.name, 0))
    axes.plot(
        points[:, 0],
        points[:, 1],
        marker="o",
        markersize=3 if len(points) <= 100 else 0,
        linewidth=1.2,
        color=colour,
        label=label(path) if many else None,
    )
    if path.stopped_at is not None and (upto is None or upto >= path.steps_taken):
        axes.plot(*points[-1], marker="X", markersize=9, color=colour, linestyle="none")


def paths_csv(result: PathsResult) -> str:
    """One row per optimizer and step: where it is, the loss there, how far from the minimum.

    Step 0 is the start. `lr` is the rate the step into that point used (empty at the start).
    A stopped path's rows end where it stopped; `stopped_at` says at which step.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["optimizer", "step", "x", "y", "loss", "distance", "lr", "stopped_at"])
    for path in result.paths:
        stopped = "" if path.stopped_at is None else path.stopped_at
        for step, ((px, py), loss, distance) in enumerate(
            zip(path.points, path.losses, path.distances, strict=True)
        ):
            rate = f"{path.rates[step - 1]:.6g}" if step else ""
            # repr of a float: the shortest text that reads back as the same number.
            numbers = [repr(float(value)) for value in (px, py, loss, distance)]
            writer.writerow([path.name, step, *numbers, rate, stopped])
    return buffer.getvalue()
