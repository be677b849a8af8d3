"""The run report as one self-contained HTML page, and the same page for Qt's PDF printer.

One Jinja2 template serves both: a browser gets the figures inline as base64 `data:` URIs
(one file to mail or archive, nothing fetched from anywhere), while Qt's QTextDocument,
which cannot be trusted with `data:` URIs, gets plain resource names and the PNG bytes
beside them. QTextDocument understands only a subset of HTML and CSS (tables, simple
selectors, no flexbox or grid), so the layout is built from tables and nothing fancier.

Every value that comes from the run (its name, class names, an error message) goes through
Jinja2's autoescaping, so a run named `<script>...` shows as text.

The page is in English or Japanese (`language`; None: the engine's current language). Its
strings are gettext's, domain "report" (workbench/report/language.py): `{% trans %}` and
`_()` in the templates, `_()` and `N_()` here. The engine's sentences in report.json (the run
doctor's, the divergence sentence) are English by contract; they are said again in the
page's language from the keys and fields the file keeps beside them.
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
from jinja2.ext import InternationalizationExtension

from workbench import i18n
from workbench.config import settings_that_apply
from workbench.core.divergence import GROWTH_LIMIT
from workbench.core.doctor import say_again
from workbench.core.events import Divergence
from workbench.report import figures, ranking
from workbench.report.boundary import read_boundary
from workbench.report.language import (
    N_,
    _,
    current,
    engine_message,
    engine_word,
    join_list,
    speaking,
)

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
    "completed": N_("Completed: every configured epoch ran."),
    "early_stopped": N_("Stopped early: the monitored metric stopped improving."),
    "stopped": N_("Stopped by the user before the last configured epoch."),
    "diverged": N_(
        "Diverged: the loss became NaN or infinite, or grew to more than "
        "{limit} times its starting value, so training stopped."
    ),
    "failed": N_("Failed with an error."),
    "pruned": N_("Pruned: a search trial stopped early, clearly behind the other trials."),
}
# The window's colours for the same severities (`workbench.ui.doctor_list`).
_SEVERITY_COLOURS = {"problem": "#b00020", "warning": "#a15c00", "info": "#1f5fa8"}
_SEVERITIES = {"problem": N_("problem"), "warning": N_("warning"), "info": N_("info")}
# The run doctor's findings by id (workbench/core/doctor.py), as the page names them.
FINDINGS = {
    "divergence": N_("divergence"),
    "loss_spikes": N_("loss spikes"),
    "overfitting": N_("overfitting"),
    "underfitting": N_("underfitting"),
    "too_slow": N_("too slow"),
    "noisy_validation": N_("noisy validation"),
    "early_stopping_never_triggered": N_("early stopping never triggered"),
    "test_set_overused": N_("test set overused"),
    "vanishing_gradients": N_("vanishing gradients"),
    "exploding_gradients": N_("exploding gradients"),
    "dead_relus": N_("dead relus"),
    "saturated_sigmoids": N_("saturated sigmoids"),
}
_CONFIG_GROUPS = (
    ("optimizer", N_("Optimizer")),
    ("schedule", N_("Learning-rate schedule")),
    ("training", N_("Training")),
    ("early_stopping", N_("Early stopping")),
    ("augmentation", N_("Data augmentation")),
)
# The settings' and facts' names as the page shows them: in English the report's key with
# spaces for underscores, as `_label` writes any other key (a test keeps them equal).
LABELS = {
    "name": N_("name"),
    "seed": N_("seed"),
    "config_version": N_("config version"),
    "source": N_("source"),
    "path": N_("path"),
    "label_column": N_("label column"),
    "image_size": N_("image size"),
    "grayscale": N_("grayscale"),
    "normalize": N_("normalize"),
    "noise": N_("noise"),
    "samples": N_("samples"),
    "val_fraction": N_("val fraction"),
    "test_fraction": N_("test fraction"),
    "train_limit": N_("train limit"),
    "units": N_("units"),
    "activation": N_("activation"),
    "negative_slope": N_("negative slope"),
    "init": N_("init"),
    "init_std": N_("init std"),
    "channels": N_("channels"),
    "kernel": N_("kernel"),
    "stride": N_("stride"),
    "padding": N_("padding"),
    "p": N_("p"),
    "lr": N_("lr"),
    "momentum": N_("momentum"),
    "betas": N_("betas"),
    "alpha": N_("alpha"),
    "eps": N_("eps"),
    "weight_decay": N_("weight decay"),
    "l1": N_("l1"),
    "grad_clip": N_("grad clip"),
    "warmup_epochs": N_("warmup epochs"),
    "step_size": N_("step size"),
    "gamma": N_("gamma"),
    "patience": N_("patience"),
    "min_lr": N_("min lr"),
    "epochs": N_("epochs"),
    "batch_size": N_("batch size"),
    "device": N_("device"),
    "deterministic": N_("deterministic"),
    "enabled": N_("enabled"),
    "monitor": N_("monitor"),
    "mode": N_("mode"),
    "min_delta": N_("min delta"),
    "restore_best": N_("restore best"),
    "shift": N_("shift"),
    "rotation": N_("rotation"),
    "zoom": N_("zoom"),
    "shear": N_("shear"),
    "workbench": N_("workbench"),
    "torch": N_("torch"),
    "python": N_("python"),
    "classes": N_("classes"),
    "input": N_("input"),
    "test_split_fingerprint": N_("test split fingerprint"),
    "epochs_run": N_("epochs run"),
    "best_epoch": N_("best epoch"),
    "weights_tested": N_("weights tested"),
    "status": N_("status"),
}
# Values that are a setting's choices (not the user's own text), shown as the page's language
# names them; in English as the experiment file writes them.
_CHOICE_KEYS = {"init", "normalize", "mode", "device", "monitor", "activation", "type"}
CHOICES = frozenset(
    (
        N_("default"),
        N_("normal"),
        N_("xavier"),
        N_("he"),
        N_("none"),
        N_("scale"),
        N_("standard"),
        N_("auto"),
        N_("min"),
        N_("max"),
        N_("val_loss"),
        N_("val_accuracy"),
        N_("identity"),
        N_("constant"),
        N_("step"),
        N_("exponential"),
        N_("cosine"),
        N_("onecycle"),
        N_("plateau"),
        N_("dense"),
        N_("conv2d"),
        N_("maxpool2d"),
        N_("flatten"),
        N_("dropout"),
        N_("batchnorm"),
    )
)
# ranking.LABEL and DEFINITION, in this domain (a test keeps them equal).
BEST_LABEL = N_("val. accuracy at best epoch")
BEST_DEFINITION = N_(
    "validation accuracy at the best epoch: the epoch the early-stopping monitor chose "
    "(lowest validation loss by default), whose weights 'restore best' keeps and tests"
)


@dataclass(frozen=True)
class Picture:
    """An image as the template places it: its source and display size."""

    src: str
    width: int
    height: int


def render_html(
    report: Mapping[str, Any], images: np.ndarray | None = None, language: str | None = None
) -> str:
    """The report as one self-contained HTML page, figures inline as base64 PNGs.

    Args:
        report: The run's report (the report.json content).
        images: The misclassified examples' inputs, shape (len(misclassified), C, H, W),
            in the order of `report["misclassified"]`; None when there are none or the
            inputs are not images.
        language: "en" or "ja"; None: the engine's language now (`workbench.i18n.language`).

    Returns:
        The HTML text.
    """
    with speaking(language):
        pngs = _report_pngs(report, images)
        return _render("report.html.j2", _report_context(report, pngs, _data_uri))


def render_html_for_qt(
    report: Mapping[str, Any], images: np.ndarray | None = None, language: str | None = None
) -> tuple[str, dict[str, bytes]]:
    """The report's HTML for QTextDocument, and the PNGs it names.

    Args:
        report: The run's report.
        images: As for `render_html`.
        language: As for `render_html`.

    Returns:
        The HTML, whose images are plain resource names (`fig-learning.png`), and a map from
        each of those names to its PNG bytes, to add to the document as image resources.
    """
    with speaking(language):
        pngs = _report_pngs(report, images)
        return _render("report.html.j2", _report_context(report, pngs, _name)), pngs


def render_comparison_html(
    reports: Sequence[Mapping[str, Any]], language: str | None = None
) -> str:
    """Several runs side by side as one self-contained HTML page.

    Args:
        reports: The runs' reports, in the order to show them.
        language: As for `render_html`.

    Returns:
        The HTML text.
    """
    with speaking(language):
        pngs = _comparison_pngs(reports)
        return _render("comparison.html.j2", _comparison_context(reports, pngs, _data_uri))


def render_lesson_html(
    lesson: Mapping[str, Any],
    reports: Sequence[Mapping[str, Any]],
    language: str | None = None,
) -> str:
    """A lesson's page: its text, what to notice, its checks, then its runs compared.

    Args:
        lesson: `title` (text), `text` and `notice` (lists of paragraphs) and `checks`
            (each with `holds` and its `sentence`), in the language of the page.
        reports: The lesson's runs' reports, in the lesson's order.
        language: As for `render_html`.
    """
    with speaking(language):
        pngs = _comparison_pngs(reports)
        context = _comparison_context(reports, pngs, _data_uri)
        return _render("lesson.html.j2", {**context, "lesson": lesson})


def render_comparison_html_for_qt(
    reports: Sequence[Mapping[str, Any]], language: str | None = None
) -> tuple[str, dict[str, bytes]]:
    """The comparison's HTML for QTextDocument, and the PNGs it names (see the report's)."""
    with speaking(language):
        pngs = _comparison_pngs(reports)
        return _render("comparison.html.j2", _comparison_context(reports, pngs, _name)), pngs


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
        "lang": current().code,
        "name": str(report.get("name") or config.get("name") or _("unnamed run")),
        "run_id": report.get("run_id"),
        "status": _status_word(report.get("status")),
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
    known = {"data", "model", "name", "seed", "version"} | {key for key, _title in _CONFIG_GROUPS}
    groups = [
        (_(title), _key_values(settings_that_apply(key, dict(config[key])), key))
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
        (_label(label), _value(config[key]))
        for key, label in (("name", "name"), ("seed", "seed"), ("version", "config_version"))
        if key in config
    ]
    return {
        "general": general,
        "layers": [_layer(layer) for layer in model.get("layers") or []],
        "groups": groups,
    }


def _layer(layer: Mapping[str, Any]) -> tuple[str, str]:
    shown = settings_that_apply("layer", dict(layer))
    settings = join_list(f"{_label(k)} {_value(v, k)}" for k, v in shown.items() if k != "type")
    return _value(layer.get("type", "?"), "type"), settings


def _dataset(report: Mapping[str, Any]) -> dict[str, Any]:
    dataset = report.get("dataset") or {}
    data = (report.get("config") or {}).get("data") or {}
    names = _class_names(report)
    if len(names) > _MAX_CLASS_NAMES_LISTED:
        listed = join_list([*names[:_MAX_CLASS_NAMES_LISTED], "…"])
        listed += " " + _("({count} more)").format(count=len(names) - _MAX_CLASS_NAMES_LISTED)
    else:
        listed = join_list(names)
    shape = dataset.get("image_shape")
    if shape:
        channels = shape[0] if len(shape) == 3 else 1
        colour = {1: _("grey"), 3: "RGB"}.get(channels) or _("{count} channels").format(
            count=channels
        )
        input_shape = _("image {shape} (C × H × W, {colour})").format(
            shape=" × ".join(str(s) for s in shape), colour=colour
        )
    elif dataset.get("n_features") is not None:
        input_shape = _("{count} features").format(count=dataset["n_features"])
    else:
        input_shape = None
    facts = [(_label("name"), str(dataset.get("name") or data.get("source") or _("unknown")))]
    if names:
        facts.append((_label("classes"), f"{len(names)}: {listed}"))
    if input_shape:
        facts.append((_label("input"), input_shape))
    if report.get("test_split"):
        facts.append((_label("test_split_fingerprint"), str(report["test_split"])))
    split = dataset.get("split") or {}
    parts = (("train", N_("train")), ("validation", N_("validation")), ("test", N_("test")))
    sizes = [(_(label), split.get(key)) for key, label in parts if split.get(key) is not None]
    total = sum(size for _part, size in sizes if isinstance(size, int))
    return {
        "facts": facts,
        "split": [(label, str(size), _share(size, total)) for label, size in sizes],
        "split_total": str(total),
        "settings": _key_values(settings_that_apply("data", dict(data)), "data"),
    }


def _test(report: Mapping[str, Any]) -> dict[str, Any]:
    test = report["test"]
    k = test.get("top_k")
    overall = [
        (_("test loss"), _fixed(test.get("loss"))),
        (_("accuracy"), _percent(test.get("accuracy"))),
    ]
    if test.get("top_k_accuracy") is not None:
        overall.append((_("top-{k} accuracy").format(k=k), _percent(test.get("top_k_accuracy"))))
    if test.get("roc_auc") is not None:
        overall.append(("ROC-AUC", _fixed(test.get("roc_auc"))))
    metrics = (("precision", N_("precision")), ("recall", N_("recall")), ("f1", N_("F1")))
    averaged = [
        (_(label), _fixed(test.get(f"{key}_macro")), _fixed(test.get(f"{key}_weighted")))
        for key, label in metrics
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
            "finding": _finding(entry.get("id")),
            "severity": _severity(entry.get("severity")),
            "colour": _SEVERITY_COLOURS.get(str(entry.get("severity")), _SEVERITY_COLOURS["info"]),
            "epoch": _value(entry.get("epoch")),
            "evidence": _said_again(entry, "evidence"),
            "suggestion": _said_again(entry, "suggestion"),
        }
        for entry in entries or []
        if isinstance(entry, Mapping)
    ]
    return {"recorded": isinstance(entries, list), "rows": rows}


def _finding(key: Any) -> str:
    key = str(key or "finding")
    return _(FINDINGS[key]) if key in FINDINGS else _label(key)


def _severity(severity: Any) -> str:
    severity = str(severity or "info")
    return _(_SEVERITIES[severity]) if severity in _SEVERITIES else severity


def _said_again(entry: Mapping[str, Any], part: str) -> str:
    """A diagnosis's evidence or suggestion in the page's language, from its `texts`.

    report.json says it in English; `texts` keeps its sentence's key and fields
    (`workbench.core.doctor.report_entry`). A report without them (older, or edited) shows
    its English as it is.
    """
    english = str(entry.get(part) or "")
    texts = entry.get("texts")
    if current().code == "en" or not isinstance(texts, Mapping):
        return english
    try:
        return say_again(texts.get(part), current().engine.gettext)
    except ValueError:
        return english


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
        if epoch == 0:
            return _("epoch 0, at initialisation")
        return _("epoch {epoch}, the first look").format(epoch=epoch)
    if epoch == best_epoch:
        return _("best epoch {epoch}").format(epoch=epoch)
    return _("epoch {epoch}").format(epoch=epoch)


def _activations_caption(report: Mapping[str, Any]) -> dict[str, Any]:
    epochs = (report.get("activations") or {}).get("epochs") or []
    first = (
        _("initialisation (epoch 0)")
        if epochs[0] == 0
        else _("epoch {epoch}, the first look").format(epoch=epochs[0])
    )
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
        epochs = _("{run} of {configured}").format(run=epochs, configured=configured)
    best = report.get("best_epoch")
    facts = [
        (_label("status"), _status_word(status)),
        (_label("epochs_run"), epochs),
        (_label("best_epoch"), _value(best)),
        (_label("weights_tested"), _weights(report)),
    ]
    divergence = report.get("divergence")
    explanation = _(_STATUS[status]) if status in _STATUS else ""
    if status == "diverged":
        explanation = explanation.format(limit=f"{GROWTH_LIMIT:,.0f}")
    if status == "diverged" and isinstance(divergence, Mapping) and divergence.get("message"):
        # The run's own numbers: "grew from 2.44 to 4.66e21 in epoch 1", and what to try.
        explanation = _divergence_sentence(divergence)
    return {
        "explanation": explanation,
        "facts": facts,
        "weights": facts[3][1],
        "error": str(report["error"]) if report.get("error") else None,
    }


def _divergence_sentence(divergence: Mapping[str, Any]) -> str:
    """report.json's divergence sentence (English), in the page's language from its numbers."""
    english = str(divergence["message"])
    if current().code == "en":
        return english
    try:
        found = Divergence(
            epoch=int(divergence["epoch"]),
            initial_loss=_float(divergence["initial_loss"]),
            loss=_float(divergence["loss"]),
            lr=_float(divergence["lr"]),
            which=str(divergence.get("which") or "training"),
        )
        return engine_message(found.describe())
    except (KeyError, TypeError, ValueError):
        return english


def _status_word(status: Any) -> str:
    return engine_word(status or "unknown")


def _weights(report: Mapping[str, Any]) -> str:
    weights = report.get("weights") or {}
    epoch = weights.get("epoch")
    if report.get("test") is None:
        return _("none: the test set was not evaluated")
    if weights.get("kept") == "best":
        return _("best epoch {epoch}").format(epoch=epoch) if epoch is not None else _("best epoch")
    if weights.get("kept") == "last":
        return (
            _("last epoch ({epoch})").format(epoch=epoch) if epoch is not None else _("last epoch")
        )
    return _("not recorded")


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
                "status": _compared_status(report.get("status")),
                "epochs": _value(report.get("epochs_run")),
                "best_val_accuracy": (
                    _("{accuracy} (epoch {epoch})").format(
                        accuracy=_percent(accuracy), epoch=best_epoch
                    )
                    if accuracy is not None
                    else "—"
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
        "lang": current().code,
        "runs": rows,
        "best": _best_run(reports),
        "best_label": _(BEST_LABEL),
        "best_definition": _(BEST_DEFINITION),
        "pictures": _pictures(pngs, src),
        "test_seen": join_list(
            _("{name} ({count} times)").format(name=name, count=count)
            for name, count in seen
            if count
        ),
    }


def _compared_status(status: Any) -> str:
    # The comparison has always written the status with spaces ("early stopped").
    status = str(status or "unknown")
    if current().code == "en" or status not in i18n.WORDS:
        return _label(status)
    return engine_word(status)


def _best_run(reports: Sequence[Mapping[str, Any]]) -> str | None:
    """The winner and its value, or the runs that tie; None when no run has a best epoch."""
    best = ranking.best_of(reports)
    if best.value is None:
        return None
    names = [_run_label(report) for report in best.winners]
    if best.tie:
        return _("a tie between {names} ({value})").format(
            names=_join_names(names), value=_percent(best.value)
        )
    return f"{names[0]} ({_percent(best.value)})"


def _join_names(names: Sequence[str]) -> str:
    if current().code == "en":
        return ranking.join_names(names)
    return join_list(names)


def _run_label(report: Mapping[str, Any]) -> str:
    # Two runs of one experiment share a name: the run number tells them apart.
    name = str(report.get("name") or _("unnamed run"))
    return f"#{report['run_id']} {name}" if report.get("run_id") is not None else name


# Small helpers ------------------------------------------------------------------------------


# How the templates are read, here and by Babel's extraction (packaging/update_messages.py).
JINJA_OPTIONS: dict[str, Any] = {
    "trim_blocks": True,
    "lstrip_blocks": True,
}
# Every {% trans %} block's whitespace collapsed (its msgid one line); _() in a template takes
# its fields as keyword arguments, %(name)s in the text.
JINJA_I18N = {"trimmed": True, "newstyle_gettext": True}


@functools.cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # run and class names are user text: never markup
        undefined=StrictUndefined,  # a misspelt variable is an error, not a blank
        extensions=[InternationalizationExtension],  # imported: the frozen app carries it
        **JINJA_OPTIONS,
    )
    environment.policies["ext.i18n.trimmed"] = JINJA_I18N["trimmed"]
    # Looked up at each call: the language is the render's (`speaking`), not fixed here.
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: current().report.gettext(message),
        lambda singular, plural, n: current().report.ngettext(singular, plural, n),
        newstyle=JINJA_I18N["newstyle_gettext"],
    )
    return environment


def _template(name: str) -> Template:
    return _environment().get_template(name)


def _render(name: str, context: Mapping[str, Any]) -> str:
    return _template(name).render(**context)


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


def _key_values(values: Mapping[str, Any], section: str = "") -> list[tuple[str, str]]:
    return [
        (_label(key), _value(value, "type" if (section, key) == ("schedule", "name") else key))
        for key, value in values.items()
    ]


def _label(key: str) -> str:
    """A key as the page names it: its label, else (English) the key with spaces or the key."""
    key = str(key)
    if key in LABELS:
        return _(LABELS[key])
    return key.replace("_", " ") if current().code == "en" else key


def _value(value: Any, key: str | None = None) -> str:
    """A setting's value as the page shows it; `key`'s choices in the page's language."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return f"{value:.6g}" if math.isfinite(value) else _not_finite(value)
    if isinstance(value, list | tuple):
        return join_list(_value(v) for v in value) if value else _("none")
    if isinstance(value, Mapping):
        return join_list(f"{_label(k)} {_value(v, k)}" for k, v in value.items())
    text = str(value)
    if key in _CHOICE_KEYS and text in CHOICES:
        return _(text)
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
