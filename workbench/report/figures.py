"""The report's static figures, as PNG bytes, drawn by matplotlib's Agg renderer.

Only `matplotlib.figure.Figure` with an Agg canvas, never pyplot: pyplot keeps global state
and picks a GUI backend (Qt, in this application), and reports are made from the command
line and from worker threads as well as from the window.

Every function copes with what a failed or diverged run leaves: no epochs, NaN or infinite
losses, missing values. A series with nothing finite to draw gets a note instead of a line.

Titles, axis labels and legends are in the report's language (workbench/report/language.py).
Japanese needs a font with its characters: the first of `CJK_FONTS` matplotlib finds, after
DejaVu Sans for Latin text. On a machine with none of them the figures are drawn in English,
which every font can show, rather than as rows of empty boxes.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter
from PIL import Image

from workbench.report.boundary import BoundaryPicture, boundary_rgb
from workbench.report.language import N_, _, language, speaking
from workbench.report.palette import PALETTE, palette_hex

F = TypeVar("F", bound=Callable[..., bytes])

# Japanese fonts, in the order the HTML's CSS names them: macOS, Windows, then Linux (Noto
# CJK from fonts-noto-cjk, IPAex from fonts-ipaexfont).
CJK_FONTS = (
    "Hiragino Sans",
    "Hiragino Kaku Gothic ProN",
    "Yu Gothic",
    "Meiryo",
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "IPAexGothic",
)
LATIN_FONT = "DejaVu Sans"  # matplotlib's own default, shipped with it


@functools.cache
def cjk_font() -> str | None:
    """The first of CJK_FONTS that matplotlib can use here; None when there is none."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def figure_language() -> str:
    """The language the figures are drawn in: the report's, or English without a CJK font."""
    code = language()
    return code if code == "en" or cjk_font() is not None else "en"


def _in_language(function: F) -> F:
    """Draw `function`'s figure in the report's language, with a font that has its characters.

    matplotlib's rcParams are process-wide: set only around a non-English figure, where they
    add the CJK font as a fallback after DejaVu Sans (Latin text is drawn as before).
    """

    @functools.wraps(function)
    def drawn(*args: Any, **kwargs: Any) -> bytes:
        if language() == "en":
            return function(*args, **kwargs)
        font = cjk_font()
        if font is None:
            with speaking("en"):
                return function(*args, **kwargs)
        with matplotlib.rc_context({"font.family": [LATIN_FONT, font]}):
            return function(*args, **kwargs)

    return drawn  # type: ignore[return-value]


DPI = 100
WIDE = (7.0, 3.2)  # inches: the width of a portrait A4 page less its margins, at 100 dpi
# The window's colours for the same curves (`workbench.ui.live_plot`).
TRAIN_COLOR = palette_hex(0)
VAL_COLOR = palette_hex(1)
BEST_COLOR = palette_hex(2)
MAX_ANNOTATED_CLASSES = 20  # beyond this the numbers in the cells are too small to read
MAX_TICK_LABELS = 40
ACTIVATION_COLUMNS = 7  # hidden layers side by side; a deeper network wraps to a second row
SPIKE_FACTOR = 3.0  # a bar this many times the next highest may run off the activation axis


@_in_language
def learning_curves_png(history: Sequence[Mapping[str, Any]], best_epoch: int | None) -> bytes:
    """Loss (train and validation) beside accuracy (train and validation), per epoch.

    Args:
        history: The report's per-epoch rows (epoch, train_loss, val_loss, ...).
        best_epoch: The epoch to mark, or None.

    Returns:
        The figure as PNG bytes.
    """
    figure = _figure(WIDE)
    loss_axes, accuracy_axes = figure.subplots(1, 2)
    epochs = _series(history, "epoch")
    marker = _marker(len(history))
    for axes, key, title in (
        (loss_axes, "loss", N_("Loss")),
        (accuracy_axes, "accuracy", N_("Accuracy")),
    ):
        train = _series(history, f"train_{key}")
        val = _series(history, f"val_{key}")
        axes.plot(epochs, train, color=TRAIN_COLOR, marker=marker, markersize=3, label=_("train"))
        axes.plot(epochs, val, color=VAL_COLOR, marker=marker, markersize=3, label=_("validation"))
        axes.set_title(_(title))
        axes.set_xlabel(_("epoch"))
        _integer_epochs(axes)
        if key == "loss":
            _log_scale_when_wide(axes, np.concatenate([train, val]), ratio=100.0)
        else:
            axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        if best_epoch is not None and len(history) > 0:
            axes.axvline(best_epoch, color=BEST_COLOR, linestyle="--", linewidth=1)
            best_value = _value_at(epochs, val, best_epoch)
            if best_value is not None:
                axes.plot(
                    [best_epoch],
                    [best_value],
                    marker="o",
                    markersize=7,
                    color=BEST_COLOR,
                    linestyle="none",
                    label=_("best epoch {epoch}").format(epoch=best_epoch),
                )
        if not np.isfinite(np.concatenate([train, val])).any():
            _note(axes, _("no finite values") if len(history) else _("no epochs recorded"))
        else:
            axes.legend(fontsize="small")
        axes.grid(alpha=0.3)
    return _png(figure)


@_in_language
def learning_rate_png(history: Sequence[Mapping[str, Any]]) -> bytes:
    """The learning rate per epoch, on a log scale when it spans more than a factor of 10.

    Args:
        history: The report's per-epoch rows.

    Returns:
        The figure as PNG bytes.
    """
    figure = _figure((WIDE[0], 2.6))
    axes = figure.subplots()
    epochs = _series(history, "epoch")
    rates = _series(history, "lr")
    axes.plot(epochs, rates, color=TRAIN_COLOR, marker=_marker(len(history)), markersize=3)
    axes.set_title(_("Learning rate"))
    axes.set_xlabel(_("epoch"))
    axes.set_ylabel(_("lr"))
    _integer_epochs(axes)
    _log_scale_when_wide(axes, rates, ratio=10.0)
    finite = rates[np.isfinite(rates)]
    if finite.size and finite.min() == finite.max():
        # A constant rate: from zero, not a hair's-breadth range around the value.
        axes.set_ylim(0, finite.max() * 1.5 or 1.0)
    if not np.isfinite(rates).any():
        _note(axes, _("no learning rate recorded"))
    axes.grid(alpha=0.3)
    return _png(figure)


@_in_language
def confusion_matrix_png(
    matrix: Sequence[Sequence[float]], class_names: Sequence[str], normalized: bool = False
) -> bytes:
    """A heatmap of the confusion matrix: rows the true class, columns the predicted one.

    Args:
        matrix: The counts (or row fractions when `normalized`), one row per true class.
        class_names: The class names, in the order of the rows.
        normalized: True for row fractions (shown as percentages), False for counts.

    Returns:
        The figure as PNG bytes.
    """
    values = _matrix(matrix)
    n = values.shape[0]
    names = _names(class_names, n)
    side = min(7.0, 3.2 + 0.28 * n)
    figure = _figure((side + 1.0, side))
    axes = figure.subplots()
    shown = np.nan_to_num(values)
    image = axes.imshow(shown, cmap="Blues", vmin=0, vmax=1 if normalized else None)
    figure.colorbar(image, ax=axes, shrink=0.8)
    axes.set_title(_("Confusion matrix (row-normalised)") if normalized else _("Confusion matrix"))
    axes.set_xlabel(_("predicted"))
    axes.set_ylabel(_("true"))
    step = max(1, math.ceil(n / MAX_TICK_LABELS))
    ticks = list(range(0, n, step))
    # Long names on the x axis are slanted so they do not run into each other.
    slanted = n > 6 and max((len(name) for name in names), default=0) > 2
    axes.set_xticks(
        ticks,
        [names[i] for i in ticks],
        rotation=45 if slanted else 0,
        ha="right" if slanted else "center",
        rotation_mode="anchor" if slanted else "default",
    )
    axes.set_yticks(ticks, [names[i] for i in ticks])
    if 0 < n <= MAX_ANNOTATED_CLASSES:
        threshold = (shown.max() or 1) / 2
        size = 9 if n <= 10 else 7
        for row in range(n):
            for column in range(n):
                value = shown[row, column]
                text = f"{value:.0%}" if normalized else f"{int(round(value))}"
                if normalized and value == 0:
                    text = "0"
                axes.text(
                    column,
                    row,
                    text,
                    ha="center",
                    va="center",
                    fontsize=size,
                    color="white" if value > threshold else "black",
                )
    if n == 0:
        _note(axes, _("no test results"))
    return _png(figure)


@_in_language
def roc_curve_png(fpr: Sequence[float], tpr: Sequence[float], auc: float | None) -> bytes:
    """The ROC curve of a two-class model, with the chance diagonal and the AUC.

    Args:
        fpr: False-positive rates, in increasing order.
        tpr: The matching true-positive rates.
        auc: The area under the curve, or None.

    Returns:
        The figure as PNG bytes.
    """
    figure = _figure((4.6, 4.2))
    axes = figure.subplots()
    label = "ROC" if auc is None or not math.isfinite(auc) else f"ROC (AUC = {auc:.3f})"
    axes.plot(_floats(fpr), _floats(tpr), color=TRAIN_COLOR, linewidth=2, label=label)
    axes.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label=_("chance"))
    axes.set_xlim(-0.01, 1.01)
    axes.set_ylim(-0.01, 1.01)
    axes.set_aspect("equal")
    axes.set_xlabel(_("false-positive rate"))
    axes.set_ylabel(_("true-positive rate"))
    axes.set_title(_("ROC curve"))
    axes.legend(loc="lower right", fontsize="small")
    axes.grid(alpha=0.3)
    return _png(figure)


def example_image_png(image: np.ndarray, min_size: int = 64) -> bytes:
    """One input image as a small PNG, scaled to its own range and enlarged to be visible.

    Args:
        image: A (C, H, W) array in any value range (normalised inputs are often negative).
            One channel is drawn in grey, high values dark (ink on paper, as in the window),
            three as RGB; any other count shows the first.
        min_size: Small images are enlarged by a whole factor, nearest neighbour (sharp
            pixels, no blur), until their longer side is at least this many pixels.

    Returns:
        The image as PNG bytes.
    """
    array = np.asarray(image, dtype=np.float64)
    if array.ndim == 2:
        array = array[np.newaxis]
    if array.ndim != 3 or array.size == 0:
        raise ValueError(f"expected a (C, H, W) image, got shape {array.shape}")
    channels = array if array.shape[0] == 3 else array[:1]
    finite = channels[np.isfinite(channels)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    # Min-max over the whole image, not per channel, so colours keep their balance.
    scaled = (np.nan_to_num(channels, nan=low, posinf=high, neginf=low) - low) / (high - low or 1.0)
    pixels = np.clip(np.round(scaled * 255), 0, 255).astype(np.uint8)
    if pixels.shape[0] == 1:
        # Dark ink on white, as the window draws them (`examples_dialog.image_pixmap`): MNIST's
        # bright strokes on black printed as white-on-black here, the other way round there.
        pixels = 255 - pixels
    if high == low:
        pixels[:] = 128  # a constant image: mid grey rather than black
    factor = max(1, math.ceil(min_size / max(pixels.shape[1:])))
    pixels = pixels.repeat(factor, axis=1).repeat(factor, axis=2)
    if pixels.shape[0] == 3:
        picture = Image.fromarray(np.ascontiguousarray(pixels.transpose(1, 2, 0)))
    else:
        picture = Image.fromarray(pixels[0])
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


@_in_language
def comparison_png(runs: Sequence[tuple[str, Sequence[Mapping[str, Any]]]]) -> bytes:
    """Validation loss and validation accuracy per epoch, one line per run.

    Args:
        runs: (run name, history) pairs, in the order of the legend.

    Returns:
        The figure as PNG bytes.
    """
    columns = min(max(len(runs), 1), 3)
    rows = math.ceil(len(runs) / columns) if runs else 0
    figure = _figure((WIDE[0], WIDE[1] + 0.25 * rows))
    loss_axes, accuracy_axes = figure.subplots(1, 2)
    # The window's palette, in the window's order: run 3 is the same colour in both.
    colors = [palette_hex(i) for i in range(len(runs))]
    styles = ["-", "--", ":", "-."]
    finite = False
    for index, (name, history) in enumerate(runs):
        epochs = _series(history, "epoch")
        style = styles[(index // len(PALETTE)) % len(styles)]  # past the palette, dashed
        for axes, key in ((loss_axes, "val_loss"), (accuracy_axes, "val_accuracy")):
            values = _series(history, key)
            finite = finite or bool(np.isfinite(values).any())
            axes.plot(
                epochs,
                values,
                color=colors[index],
                linestyle=style,
                marker=_marker(len(history)),
                markersize=3,
                label=_plain(name) if axes is loss_axes else None,
            )
    loss_axes.set_title(_("Validation loss"))
    accuracy_axes.set_title(_("Validation accuracy"))
    accuracy_axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    all_losses = [_series(history, "val_loss") for _name, history in runs]
    if all_losses:
        _log_scale_when_wide(loss_axes, np.concatenate(all_losses), ratio=100.0)
    for axes in (loss_axes, accuracy_axes):
        axes.set_xlabel(_("epoch"))
        _integer_epochs(axes)
        axes.grid(alpha=0.3)
        if not finite:
            _note(axes, _("no finite values"))
    if runs:
        figure.legend(loc="outside lower center", ncols=columns, fontsize="small")
    return _png(figure)


@_in_language
def activations_png(
    layers: Sequence[tuple[str, Sequence[float], Sequence[Sequence[int] | None]]],
    looks: Sequence[str],
) -> bytes:
    """Each hidden layer's activation histogram, side by side, one outline per look.

    The book's picture of what initial values do: small histograms of the layers' outputs in
    a row, here at initialisation (filled grey) and at the best epoch (a green outline, the
    learning curves' colour for the best epoch), on one share axis so layers compare. A lone
    spike (ReLU's outputs at 0, sigmoid's at 0.5) would flatten everything else to nothing:
    it runs off the top instead, with its share written beside it, as the book clips its
    histograms.

    Args:
        layers: Per hidden layer: its name, its histogram's bin edges, and one list of
            counts per look (one fewer than the edges), None where a look lacks the layer.
        looks: The looks' names for the legend, in the order of each layer's counts.

    Returns:
        The figure as PNG bytes.
    """
    columns = min(max(len(layers), 1), ACTIVATION_COLUMNS)
    rows = max(1, math.ceil(len(layers) / columns))
    figure = _figure((WIDE[0], 0.45 + 1.65 * rows))
    grid = figure.subplots(rows, columns, sharey=True, squeeze=False).flat
    styles = [
        {"fill": True, "color": palette_hex(7), "alpha": 0.35, "linewidth": 0},
        {"fill": False, "color": BEST_COLOR, "linewidth": 1.4},
    ]
    colours = [palette_hex(7), BEST_COLOR]
    shares = [[_shares(values) for values in counts] for _name, _edges, counts in layers]
    top = _share_limit([s for per_layer in shares for s in per_layer if s is not None])
    handles: dict[str, Any] = {}
    for index, axes in enumerate(grid):
        if index >= len(layers):
            axes.set_visible(False)
            continue
        name, edges, _counts = layers[index]
        bins = np.asarray(edges, dtype=np.float64)
        clipped = []
        for look, values in enumerate(shares[index]):
            if values is None:
                continue
            label = looks[look] if look < len(looks) else _("look {n}").format(n=look + 1)
            style = styles[min(look, len(styles) - 1)]
            handles.setdefault(label, axes.stairs(values, bins, label=label, **style))
            if style["fill"]:
                # Outlined too: a pile one bin wide is a line, and a fill alone hardly shows.
                axes.stairs(values, bins, color=style["color"], linewidth=1.0)
            peak = int(np.argmax(values))
            if values[peak] > top:
                clipped.append((look, peak, float(values[peak])))
        if not any(values is not None for values in shares[index]):
            _note(axes, _("no outputs"), fontsize=7)
        for line, (look, peak, value) in enumerate(clipped):
            # Written beside the bar that runs off the top: its share, in its look's colour.
            centre = (bins[peak] + bins[peak + 1]) / 2
            right = centre < (bins[0] + bins[-1]) / 2
            axes.text(
                centre + (bins[-1] - bins[0]) * (0.04 if right else -0.04),
                top * (0.93 - 0.14 * line),
                f"{value:.0%}",
                ha="left" if right else "right",
                va="top",
                fontsize=7,
                color=colours[min(look, len(colours) - 1)],
            )
        # "1 dense (sigmoid)" on two lines: seven titles side by side must not run together.
        axes.set_title(_plain(name).replace(" (", "\n("), fontsize=8)
        axes.tick_params(labelsize=7)
        axes.xaxis.set_major_locator(MaxNLocator(3))
        # A little room at both ends, so a pile in an end bin does not hide behind the frame.
        margin = (bins[-1] - bins[0]) * 0.04
        axes.set_xlim(bins[0] - margin, bins[-1] + margin)
        axes.set_ylim(0, top)
        axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        axes.grid(alpha=0.3)
    grid[0].set_ylabel(_("share of outputs"), fontsize=8)
    if handles:
        figure.legend(
            list(handles.values()),
            list(handles),
            loc="outside lower center",
            ncols=len(handles),
            fontsize="small",
        )
    return _png(figure)


@_in_language
def decision_boundary_png(picture: BoundaryPicture, class_names: Sequence[str]) -> bytes:
    """The final model's predicted class over the plane, with the data points on top.

    Each cell has its class's colour, paler where the model is less sure (the window's
    decision-boundary view colours it the same way, `report.boundary.boundary_rgb`); training
    points are filled circles, validation points hollow ones, test points crosses, each in
    its true class's colour, so a point on a region of another colour is a mistake.

    Args:
        picture: The report's `decision_boundary`, read (`report.boundary.read_boundary`).
        class_names: The classes, in the model's order.

    Returns:
        The figure as PNG bytes.
    """
    figure = _figure((6.2, 4.4))  # the legend to the right, one entry a line
    axes = figure.subplots()
    n_classes = len(class_names)
    rgb = boundary_rgb(picture.classes, picture.confidence, n_classes)
    axes.imshow(rgb, origin="lower", extent=picture.extent, aspect="auto", interpolation="nearest")
    # (marker, filled) per part: training filled circles, validation hollow, test crosses.
    markers = {"train": ("o", True), "validation": ("o", False), "test": ("x", True)}
    for part, (marker, filled) in markers.items():
        if part not in picture.points:
            continue
        features, labels = picture.points[part]
        x, y = features[:, 0], features[:, 1]
        colours = [palette_hex(int(c)) for c in labels]  # the true class's colour
        if part == "train":  # a white rim keeps a point apart from its region's tint
            axes.scatter(x, y, s=14, c=colours, marker=marker, linewidths=0.4, edgecolors="white")
        elif filled:
            axes.scatter(x, y, s=18, c=colours, marker=marker, linewidths=1.1)
        else:
            axes.scatter(
                x, y, s=18, marker=marker, linewidths=1.1, facecolors="none", edgecolors=colours
            )
    x_low, x_high, y_low, y_high = picture.extent
    axes.set_xlim(x_low, x_high)
    axes.set_ylim(y_low, y_high)
    axes.set_xlabel(_("feature {n}").format(n=1))
    axes.set_ylabel(_("feature {n}").format(n=2))
    handles: list[Any] = [
        Patch(color=palette_hex(index), label=_plain(str(name)))
        for index, name in enumerate(class_names)
    ]
    grey = palette_hex(7)
    parts = (("train", N_("training")), ("validation", N_("validation")), ("test", N_("test")))
    for part, label in parts:
        if part in picture.points:
            marker, filled = markers[part]
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker=marker,
                    markersize=6,
                    color=grey,
                    markerfacecolor=grey if filled else "none",
                    label=_(label),
                )
            )
    figure.legend(handles=handles, loc="outside right upper", fontsize="small")
    return _png(figure)


def _shares(counts: Sequence[int] | None) -> np.ndarray | None:
    """Counts as shares of their total; None when there is nothing to draw."""
    if counts is None:
        return None
    values = np.asarray(counts, dtype=np.float64)
    total = float(values.sum())
    return values / total if values.size and total > 0 else None


def _share_limit(histograms: Sequence[np.ndarray]) -> float:
    """The share axis's top: room for every bar but a lone spike, which may run off it.

    A histogram's highest bar is a lone spike when it is over SPIKE_FACTOR times its next
    highest (ReLU's 50-70 % at 0 beside a few percent; not sigmoid's twin piles at 0 and 1).
    """
    highest = 0.0
    for values in histograms:
        ordered = np.sort(values)[::-1]
        second = float(ordered[1]) if ordered.size > 1 else 0.0
        lone = float(ordered[0]) > SPIKE_FACTOR * second
        highest = max(highest, second if lone else float(ordered[0]))
    return min(1.0, max(highest * 1.15, 0.05))


def png_size(png: bytes) -> tuple[int, int]:
    """The (width, height) in pixels of PNG bytes, read from the IHDR chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _figure(size: tuple[float, float]) -> Figure:
    # Constrained layout keeps titles, tick labels and an outside legend inside the image.
    figure = Figure(figsize=size, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # No "Software" text chunk: it holds matplotlib's web address, and reports carry no URLs.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _series(rows: Sequence[Mapping[str, Any]], key: str) -> np.ndarray:
    # None (JSON's stand-in for NaN) and infinities become NaN, which matplotlib leaves as gaps.
    values = np.array([_float(row.get(key)) for row in rows], dtype=np.float64)
    values[~np.isfinite(values)] = np.nan
    return values


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _floats(values: Sequence[Any] | None) -> np.ndarray:
    return np.array([_float(v) for v in values or ()], dtype=np.float64)


def _matrix(matrix: Sequence[Sequence[float]]) -> np.ndarray:
    values = np.array([[_float(v) for v in row] for row in matrix], dtype=np.float64)
    return values.reshape(len(matrix), len(matrix)) if len(matrix) else np.zeros((0, 0))


def _names(class_names: Sequence[str], n: int) -> list[str]:
    names = [_plain(str(name)) for name in class_names][:n]
    return names + [str(i) for i in range(len(names), n)]


def _plain(text: str) -> str:
    # A "$" pair in a run or class name would otherwise be parsed as mathtext (or fail to be).
    return str(text).replace("$", r"\$")


def _marker(points: int) -> str | None:
    # Dots make one or a few epochs visible; on long runs they would only clutter the line.
    return "o" if points <= 30 else None


def _value_at(epochs: np.ndarray, values: np.ndarray, epoch: int) -> float | None:
    matches = np.nonzero(epochs == epoch)[0]
    if matches.size == 0 or not np.isfinite(values[matches[0]]):
        return None
    return float(values[matches[0]])


def _integer_epochs(axes: Axes) -> None:
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))


def _log_scale_when_wide(axes: Axes, values: np.ndarray, ratio: float) -> None:
    positive = values[np.isfinite(values) & (values > 0)]
    if positive.size and positive.max() / positive.min() > ratio:
        axes.set_yscale("log")


def _note(axes: Axes, text: str, fontsize: float | None = None) -> None:
    axes.text(
        0.5,
        0.5,
        text,
        transform=axes.transAxes,
        ha="center",
        va="center",
        color="grey",
        fontsize=fontsize,
    )
