"""The run report as one self-contained HTML page, and the same page for Qt's PDF printer.

One Jinja2 template serves both: a browser gets the figures inline as base64 `data:` URIs
(one file to mail or archive, nothing fetched from anywhere), while Qt's QTextDocument,
which cannot be trusted with `data:` URIs, gets plain resource names and the PNG bytes
beside them. QTextDocument understands only a subset of HTML and CSS (tables, simple
selectors, no flexbox or grid), so the layout is built from tables and nothing fancier.

Every value that comes from the run (its name, class names, an error message) goes through
Jinja2's autoescaping, so a run named `<script>...` shows as text.
"""

from __future__ import annotations

import base64
import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from workbench.config import settings_that_apply
from workbench.core.divergence import GROWTH_LIMIT
from workbench.report import figures, ranking
from workbench.report.boundary import read_boundary

TEMPLATES = Path(__file__).resolve().parent / "templates"

SECTION_IDS = (
    "experiment",
    "dataset",
    "environment",
    "learning-curves",
    "learning-rate",
    "metrics",
    "per-class",
    "confusion-matrix",
    "roc-curve",
    "misclassified",
    "run-doctor",
    "ending",
)

# Display widths in CSS pixels. A portrait A4 page less 15 mm margins is about 680 pixels
# wide at the 96 pixels per inch the PDF is laid out at.
_WIDTHS = {
    "fig-learning": 660,
    "fig-lr": 660,
    "fig-confusion": 500,
    "fig-confusion-normalized": 500,
    "fig-roc": 360,
    "fig-compare": 660,
    "fig-activations": 660,
    "fig-boundary": 620,
}
_EXAMPLE_WIDTH = 80
_EXAMPLES_PER_ROW = 6
NORMALIZED_TABLE_MAX = 12  # more classes than this and the table no longer fits the page
_MAX_CLASS_NAMES_LISTED = 60

_STATUS = {
    "completed": "Completed: every configured epoch ran.",
    "early_stopped": "Stopped early: the monitored metric stopped improving.",
    "stopped": "Stopped by the user before the last configured epoch.",
    "diverged": (
        "Diverged: the loss became NaN or infinite, or grew to more than "
        f"{GROWTH_LIMIT:,.0f} times its starting value, so training stopped."
    ),
    "failed": "Failed with an error.",
    "pruned": "Pruned: a search trial stopped early, clearly behind the other trials.",
}
# The window's colours for the same severities (`workbench.ui.doctor_list`).
_SEVERITY_COLOURS = {"problem": "#b00020", "warning": "#a15c00", "info": "#1f5fa8"}
_CONFIG_GROUPS = (
    ("optimizer", "Optimizer"),
    ("schedule", "Learning-rate schedule"),
    ("training", "Training"),
    ("early_stopping", "Early stopping"),
    ("augmentation", "Data augmentation"),
)


@dataclass(frozen=True)
class Picture:
    """An image as the template places it: its source and display size."""

    src: str
    width: int
    height: int


def render_html(report: Mapping[str, Any], images: np.ndarray | None = None) -> str:
    """The report as one self-contained HTML page, figures inline as base64 PNGs.

    Args:
        report: The run's report (the report.json content).
        images: The misclassified examples' inputs, shape (len(misclassified), C, H, W),
            in the order of `report["misclassified"]`; None when there are none or the
            inputs are not images.

    Returns:
        The HTML text.
    """
    pngs = _report_pngs(report, images)
    return _template("report.html.j2").render(**_report_context(report, pngs, _data_uri))


def render_html_for_qt(
    report: Mapping[str, Any], images: np.ndarray | None = None
) -> tuple[str, dict[str, bytes]]:
    """The report's HTML for QTextDocument, and the PNGs it names.

    Args:
        report: The run's report.
        images: As for `render_html`.

    Returns:
        The HTML, whose images are plain resource names (`fig-learning.png`), and a map from
        each of those names to its PNG bytes, to add to the document as image resources.
    """
    pngs = _report_pngs(report, images)
    return _template("report.html.j2").render(**_report_context(report, pngs, _name)), pngs


def render_comparison_html(reports: Sequence[Mapping[str, Any]]) -> str:
    """Several runs side by side as one self-contained HTML page.

    Args:
        reports: The runs' reports, in the order to show them.

    Returns:
        The HTML text.
    """
    pngs = _comparison_pngs(reports)
    return _template("comparison.html.j2").render(**_comparison_context(reports, pngs, _data_uri))


def render_comparison_html_for_qt(
    reports: Sequence[Mapping[str, Any]],
) -> tuple[str, dict[str, bytes]]:
    """The comparison's HTML for QTextDocument, and the PNGs it names (see the report's)."""
    pngs = _comparison_pngs(reports)
    html = _template("comparison.html.j2").render(**_comparison_context(reports, pngs, _name))
    return html, pngs


# The figures --------------------------------------------------------------------------------


def _report_pngs(report: Mapping[str, Any], images: np.ndarray | None) -> dict[str, bytes]:
    pngs: dict[str, bytes] = {}
    history = report.get("history") or []
    if history:
        pngs["fig-learning.png"] = figures.learning_curves_png(history, report.get("best_epoch"))
        pngs["fig-lr.png"] = figures.learning_rate_png(history)
    test = report.get("test") or {}
    matrix = test.get("confusion_matrix") or []
    names = _class_names(report)
    if matrix:
        pngs["fig-confusion.png"] = figures.confusion_matrix_png(matrix, names)
        if len(matrix) > NORMALIZED_TABLE_MAX:
            pngs["fig-confusion-normalized.png"] = figures.confusion_matrix_png(
                _normalized(test), names, normalized=True
            )
    roc = test.get("roc_curve")
    if roc and len(matrix) == 2:
        pngs["fig-roc.png"] = figures.roc_curve_png(
            roc.get("fpr") or [], roc.get("tpr") or [], test.get("roc_auc")
        )
    activations = _activations(report)
    if activations is not None:
        pngs["fig-activations.png"] = figures.activations_png(*activations)
    boundary = read_boundary(report.get("decision_boundary"), len(names))
    if boundary is not None:
        pngs["fig-boundary.png"] = figures.decision_boundary_png(boundary, names)
    for index, image in enumerate(_example_images(report, images)):
        pngs[f"example-{index}.png"] = figures.example_image_png(image)
    return pngs


def _comparison_pngs(reports: Sequence[Mapping[str, Any]]) -> dict[str, bytes]:
    runs = [(_run_label(report), report.get("history") or []) for report in reports]
    return {"fig-compare.png": figures.comparison_png(runs)} if reports else {}


def _example_images(report: Mapping[str, Any], images: np.ndarray | None) -> list[np.ndarray]:
    # Images must line up with the misclassified list; anything else is not image data.
    if images is None:
        return []
    array = np.asarray(images)
    if array.ndim != 4 or array.shape[0] == 0:
        return []
    count = min(len(report.get("misclassified") or []), array.shape[0])
    return [array[i] for i in range(count)]


def _pictures(pngs: Mapping[str, bytes], src: Callable[[str, bytes], str]) -> dict[str, Picture]:
    pictures = {}
    for name, png in pngs.items():
        width, height = figures.png_size(png)
        stem = name.removesuffix(".png")
        shown = _WIDTHS.get(stem) or min(width, _EXAMPLE_WIDTH)
        # Both width and height: QTextDocument and browsers then agree on the size.
        pictures[stem] = Picture(src(name, png), shown, max(1, round(height * shown / width)))
    return pictures


def _data_uri(name: str, png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _name(name: str, png: bytes) -> str:
    return name


# The report's content -----------------------------------------------------------------------


def _report_context(
    report: Mapping[str, Any], pngs: Mapping[str, bytes], src: Callable[[str, bytes], str]
) -> dict[str, Any]:
    test = report.get("test")
    config = report.get("config") or {}
    return {
        "name": str(report.get("name") or config.get("name") or "unnamed run"),
        "run_id": report.get("run_id"),
        "status": str(report.get("status") or "unknown"),
        "pictures": _pictures(pngs, src),
        "test_seen": _times_seen(report),
        "experiment": _experiment(config),
        "dataset": _dataset(report),
        "environment": _key_values(report.get("environment") or {}),
        "has_history": bool(report.get("history")),
        "test": _test(report) if test else None,
        "misclassified": _misclassified(report, pngs),
        "doctor": _doctor(report),
        "activations": _activations_caption(report) if "fig-activations.png" in pngs else None,
        "boundary": _boundary_caption(report) if "fig-boundary.png" in pngs else None,
        "ending": _ending(report),
    }


def _times_seen(report: Mapping[str, Any]) -> int | None:
    count = report.get("test_evaluations_on_split")
    return count if isinstance(count, int) and count > 1 else None


def _experiment(config: Mapping[str, Any]) -> dict[str, Any]:
    model = config.get("model") or {}
    known = {"data", "model", "name", "seed", "version"} | {key for key, _ in _CONFIG_GROUPS}
    groups = [
        (title, _key_values(settings_that_apply(key, dict(config[key]))))
        for key, title in _CONFIG_GROUPS
        if isinstance(config.get(key), Mapping)
    ]
    # Sections added to the experiment later still show, under their own name.
    groups += [
        (_label(key).capitalize(), _key_values(value))
        for key, value in config.items()
        if key not in known and isinstance(value, Mapping)
    ]
    general = [
        (label, _value(config[key]))
        for key, label in (("name", "name"), ("seed", "seed"), ("version", "config version"))
        if key in config
    ]
    return {
        "general": general,
        "layers": [_layer(layer) for layer in model.get("layers") or []],
        "groups": groups,
    }


def _layer(layer: Mapping[str, Any]) -> tuple[str, str]:
    shown = settings_that_apply("layer", dict(layer))
    settings = ", ".join(f"{_label(k)} {_value(v)}" for k, v in shown.items() if k != "type")
    return str(layer.get("type", "?")), settings


def _dataset(report: Mapping[str, Any]) -> dict[str, Any]:
    dataset = report.get("dataset") or {}
    data = (report.get("config") or {}).get("data") or {}
    names = _class_names(report)
    listed = ", ".join(names[:_MAX_CLASS_NAMES_LISTED])
    if len(names) > _MAX_CLASS_NAMES_LISTED:
        listed += f", … ({len(names) - _MAX_CLASS_NAMES_LISTED} more)"
    shape = dataset.get("image_shape")
    if shape:
        channels = shape[0] if len(shape) == 3 else 1
        colour = {1: "grey", 3: "RGB"}.get(channels, f"{channels} channels")
        input_shape = f"image {' × '.join(str(s) for s in shape)} (C × H × W, {colour})"
    elif dataset.get("n_features") is not None:
        input_shape = f"{dataset['n_features']} features"
    else:
        input_shape = None
    facts = [("name", str(dataset.get("name") or data.get("source") or "unknown"))]
    if names:
        facts.append(("classes", f"{len(names)}: {listed}"))
    if input_shape:
        facts.append(("input", input_shape))
    if report.get("test_split"):
        facts.append(("test split fingerprint", str(report["test_split"])))
    split = dataset.get("split") or {}
    sizes = [
        (label, split.get(key))
        for key, label in (("train", "train"), ("validation", "validation"), ("test", "test"))
        if split.get(key) is not None
    ]
    total = sum(size for _, size in sizes if isinstance(size, int))
    return {
        "facts": facts,
        "split": [(label, str(size), _share(size, total)) for label, size in sizes],
        "split_total": str(total),
        "settings": _key_values(settings_that_apply("data", dict(data))),
    }


def _test(report: Mapping[str, Any]) -> dict[str, Any]:
    test = report["test"]
    k = test.get("top_k")
    overall = [
        ("test loss", _fixed(test.get("loss"))),
        ("accuracy", _percent(test.get("accuracy"))),
    ]
    if test.get("top_k_accuracy") is not None:
        overall.append((f"top-{k} accuracy", _percent(test.get("top_k_accuracy"))))
    if test.get("roc_auc") is not None:
        overall.append(("ROC-AUC", _fixed(test.get("roc_auc"))))
    averaged = [
        (label, _fixed(test.get(f"{key}_macro")), _fixed(test.get(f"{key}_weighted")))
        for key, label in (("precision", "precision"), ("recall", "recall"), ("f1", "F1"))
    ]
    per_class = [
        (
            str(row.get("label", "")),
            _fixed(row.get("precision")),
            _fixed(row.get("recall")),
            _fixed(row.get("f1")),
            _value(row.get("support")),
        )
        for row in test.get("per_class") or []
    ]
    matrix = test.get("confusion_matrix") or []
    names = _class_names(report)[: len(matrix)]
    normalized = _normalized(test) if matrix else []
    table = None
    if 0 < len(matrix) <= NORMALIZED_TABLE_MAX:
        table = {
            "names": names,
            "rows": [
                (name, [_shade(_float(value)) for value in row])
                for name, row in zip(names, normalized, strict=False)
            ],
        }
    return {
        "overall": overall,
        "averaged": averaged,
        "per_class": per_class,
        "normalized_table": table,
        "has_roc": bool(test.get("roc_curve")) and len(matrix) == 2,
    }


def _misclassified(report: Mapping[str, Any], pngs: Mapping[str, bytes]) -> dict[str, Any]:
    entries = [
        {
            "index": _value(entry.get("index")),
            "true": str(entry.get("true", "")),
            "predicted": str(entry.get("predicted", "")),
            "confidence": _percent(entry.get("confidence"), digits=1),
            "picture": f"example-{position}" if f"example-{position}.png" in pngs else None,
        }
        for position, entry in enumerate(report.get("misclassified") or [])
    ]
    with_pictures = [entry for entry in entries if entry["picture"]]
    rows = [
        with_pictures[start : start + _EXAMPLES_PER_ROW]
        for start in range(0, len(with_pictures), _EXAMPLES_PER_ROW)
    ]
    dataset = report.get("dataset") or {}
    return {
        "entries": entries,
        "grid": rows,
        "columns": _EXAMPLES_PER_ROW,
        "images": bool(with_pictures),
        "tabular": "image_shape" in dataset and not dataset.get("image_shape"),
    }


def _doctor(report: Mapping[str, Any]) -> dict[str, Any]:
    """The run doctor's findings as rows; `recorded` is False for reports from before it."""
    entries = report.get("diagnoses")
    rows = [
        {
            "finding": _label(entry.get("id") or "finding"),
            "severity": str(entry.get("severity") or "info"),
            "colour": _SEVERITY_COLOURS.get(str(entry.get("severity")), _SEVERITY_COLOURS["info"]),
            "epoch": _value(entry.get("epoch")),
            "evidence": str(entry.get("evidence") or ""),
            "suggestion": str(entry.get("suggestion") or ""),
        }
        for entry in entries or []
        if isinstance(entry, Mapping)
    ]
    return {"recorded": isinstance(entries, list), "rows": rows}


def _activations(
    report: Mapping[str, Any],
) -> tuple[list[tuple[str, list[float], list[list[int] | None]]], list[str]] | None:
    """The activation figure's layers and look names, or None without (usable) probes.

    Read defensively: a hand-edited report.json with a malformed entry loses the figure or
    that layer, never the whole report.
    """
    data = report.get("activations")
    if not isinstance(data, Mapping):
        return None
    epochs = data.get("epochs")
    if not isinstance(epochs, list) or not epochs or not all(isinstance(e, int) for e in epochs):
        return None
    layers = []
    for layer in data.get("layers") or []:
        if not isinstance(layer, Mapping):
            continue
        edges = layer.get("edges")
        if not isinstance(edges, list) or len(edges) < 2:
            continue
        if not all(isinstance(e, int | float) and math.isfinite(e) for e in edges):
            continue
        counts: list[list[int] | None] = []
        for values in (layer.get("counts") or [])[: len(epochs)]:
            fits = isinstance(values, list) and len(values) == len(edges) - 1
            counts.append(
                [int(v) for v in values]
                if fits and all(isinstance(v, int) and v >= 0 for v in values)
                else None
            )
        if any(c is not None for c in counts):
            layers.append((str(layer.get("name") or "?"), [float(e) for e in edges], counts))
    if not layers:
        return None
    return layers, [
        _look(epoch, index, report.get("best_epoch")) for index, epoch in enumerate(epochs)
    ]


def _look(epoch: int, index: int, best_epoch: Any) -> str:
    if index == 0:
        return "epoch 0, at initialisation" if epoch == 0 else f"epoch {epoch}, the first look"
    return f"best epoch {epoch}" if epoch == best_epoch else f"epoch {epoch}"


def _activations_caption(report: Mapping[str, Any]) -> dict[str, Any]:
    epochs = (report.get("activations") or {}).get("epochs") or []
    first = "initialisation (epoch 0)" if epochs[0] == 0 else f"epoch {epochs[0]}, the first look"
    return {"first": first, "best": _value(epochs[-1]) if len(epochs) > 1 else None}


def _boundary_caption(report: Mapping[str, Any]) -> dict[str, Any]:
    entry = report.get("decision_boundary") or {}
    points = entry.get("points") or {}
    return {"epoch": _value(entry.get("epoch")), "test": "test" in points}


def _ending(report: Mapping[str, Any]) -> dict[str, Any]:
    status = str(report.get("status") or "unknown")
    configured = ((report.get("config") or {}).get("training") or {}).get("epochs")
    epochs = _value(report.get("epochs_run"))
    if configured is not None:
        epochs = f"{epochs} of {configured}"
    best = report.get("best_epoch")
    facts = [
        ("status", status),
        ("epochs run", epochs),
        ("best epoch", _value(best)),
        ("weights tested", _weights(report)),
    ]
    divergence = report.get("divergence")
    explanation = _STATUS.get(status, "")
    if status == "diverged" and isinstance(divergence, Mapping) and divergence.get("message"):
        # The run's own numbers: "grew from 2.44 to 4.66e21 in epoch 1", and what to try.
        explanation = str(divergence["message"])
    return {
        "explanation": explanation,
        "facts": facts,
        "weights": facts[3][1],
        "error": str(report["error"]) if report.get("error") else None,
    }


def _weights(report: Mapping[str, Any]) -> str:
    weights = report.get("weights") or {}
    epoch = weights.get("epoch")
    if report.get("test") is None:
        return "none: the test set was not evaluated"
    if weights.get("kept") == "best":
        return f"best epoch {epoch}" if epoch is not None else "best epoch"
    if weights.get("kept") == "last":
        return f"last epoch ({epoch})" if epoch is not None else "last epoch"
    return "not recorded"


# The comparison's content -------------------------------------------------------------------


def _comparison_context(
    reports: Sequence[Mapping[str, Any]],
    pngs: Mapping[str, bytes],
    src: Callable[[str, bytes], str],
) -> dict[str, Any]:
    rows = []
    for report in reports:
        test = report.get("test") or {}
        config = report.get("config") or {}
        optimizer = config.get("optimizer") or {}
        training = config.get("training") or {}
        accuracy, best_epoch = ranking.score(report)
        rows.append(
            {
                "name": _run_label(report),
                "status": _label(report.get("status") or "unknown"),
                "epochs": _value(report.get("epochs_run")),
                "best_val_accuracy": (
                    f"{_percent(accuracy)} (epoch {best_epoch})" if accuracy is not None else "—"
                ),
                "test_accuracy": _percent(test.get("accuracy")),
                "f1_macro": _fixed(test.get("f1_macro")),
                "test_loss": _fixed(test.get("loss")),
                "optimizer": _value(optimizer.get("name")),
                "lr": _value(optimizer.get("lr")),
                "batch_size": _value(training.get("batch_size")),
            }
        )
    seen = [(_run_label(report), _times_seen(report)) for report in reports]
    return {
        "runs": rows,
        "best": _best_run(reports),
        "best_label": ranking.LABEL,
        "best_definition": ranking.DEFINITION,
        "pictures": _pictures(pngs, src),
        "test_seen": ", ".join(f"{name} ({count} times)" for name, count in seen if count),
    }


def _best_run(reports: Sequence[Mapping[str, Any]]) -> str | None:
    """The winner and its value, or the runs that tie; None when no run has a best epoch."""
    best = ranking.best_of(reports)
    if best.value is None:
        return None
    names = [_run_label(report) for report in best.winners]
    if best.tie:
        return f"a tie between {ranking.join_names(names)} ({_percent(best.value)})"
    return f"{names[0]} ({_percent(best.value)})"


def _run_label(report: Mapping[str, Any]) -> str:
    # Two runs of one experiment share a name: the run number tells them apart.
    name = str(report.get("name") or "unnamed run")
    return f"#{report['run_id']} {name}" if report.get("run_id") is not None else name


# Small helpers ------------------------------------------------------------------------------


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # run and class names are user text: never markup
        undefined=StrictUndefined,  # a misspelt variable is an error, not a blank
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _template(name: str) -> Template:
    return _environment().get_template(name)


def _class_names(report: Mapping[str, Any]) -> list[str]:
    dataset = report.get("dataset") or {}
    if dataset.get("class_names"):
        return [str(name) for name in dataset["class_names"]]
    per_class = (report.get("test") or {}).get("per_class") or []
    if per_class:
        return [str(row.get("label", i)) for i, row in enumerate(per_class)]
    matrix = (report.get("test") or {}).get("confusion_matrix") or []
    return [str(i) for i in range(len(matrix))]


def _normalized(test: Mapping[str, Any]) -> list[list[float]]:
    if test.get("confusion_matrix_normalized"):
        return [[_float(v) for v in row] for row in test["confusion_matrix_normalized"]]
    # Older reports have only the counts: divide each row by its total.
    counts = np.array(test.get("confusion_matrix") or [], dtype=np.float64)
    totals = counts.sum(axis=1, keepdims=True) if counts.size else counts
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nan_to_num(counts / totals).tolist() if counts.size else []


def _shade(value: float) -> dict[str, str]:
    # White to a strong blue by the share of the row; white text once the cell is dark.
    share = min(max(value if math.isfinite(value) else 0.0, 0.0), 1.0)
    red, green, blue = (round(255 + (dark - 255) * share) for dark in (33, 102, 172))
    return {
        "text": "0" if share == 0 else f"{share:.0%}",
        "background": f"#{red:02x}{green:02x}{blue:02x}",
        "color": "#ffffff" if share > 0.55 else "#222222",
    }


def _key_values(section: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(_label(key), _value(value)) for key, value in section.items()]


def _label(key: str) -> str:
    return str(key).replace("_", " ")


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.6g}" if math.isfinite(value) else _not_finite(value)
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value) if value else "none"
    if isinstance(value, Mapping):
        return ", ".join(f"{_label(k)} {_value(v)}" for k, v in value.items())
    text = str(value)
    return text if text else "—"


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _fixed(value: Any, digits: int = 4) -> str:
    if value is None:
        return "—"
    number = _float(value)
    return f"{number:.{digits}f}" if math.isfinite(number) else _not_finite(number)


def _percent(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    number = _float(value)
    return f"{number:.{digits}%}" if math.isfinite(number) else _not_finite(number)


def _not_finite(number: float) -> str:
    return "NaN" if math.isnan(number) else ("∞" if number > 0 else "−∞")


def _share(size: Any, total: int) -> str:
    return f"{size / total:.0%}" if isinstance(size, int) and total else ""
