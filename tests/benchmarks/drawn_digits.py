"""Benchmark: how well drawn digits are read, against the held-out test digits.

Run as a script, not collected by pytest:
    QT_QPA_PLATFORM=offscreen python tests/benchmarks/drawn_digits.py [--seeds 0 1 2]

Scripted pen strokes for the digits 0-9 (a 7 with and without a crossbar, a 1 as a single
stroke and with a flag, an open and a closed 4, ...) are drawn on the real `DigitCanvas`
(its painter and round pen, so the ink is what a person's mouse would leave) in several
styles: thin, normal and thick pens, small and large, off-centre, slanted either way. Each
drawing goes through `workbench.predict.predictor.drawing_row`, the mapping the Predict tab
uses, to a model trained by the workbench's engine on scikit-learn's 8x8 digits. Prints, per example
experiment and seed, the accuracy on the test digits and on the drawings, the drawings'
accuracy per style and per digit, the mistakes, and one JSON line per model.

`tests/gui/test_drawn_digits.py` reuses the drawings to hold the mapping to its figure.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "resources" / "examples"

Point = tuple[float, float]
Stroke = list[Point]


def _arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float) -> Stroke:
    """Points along an ellipse from ``start`` to ``end`` degrees (0 = right, 90 = down)."""
    steps = max(2, int(abs(end - start) / 10) + 1)
    return [
        (cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
        for a in np.linspace(start, end, steps)
    ]


# Each digit in a unit box (x right, y down, both 0..1), as strokes of a pen. Variants are
# the common ways of writing the digit.
DIGITS: dict[int, dict[str, list[Stroke]]] = {
    0: {"oval": [_arc(0.5, 0.5, 0.45, 0.5, -90, 270)]},
    1: {
        "stroke": [[(0.5, 0.0), (0.5, 1.0)]],
        "flag": [[(0.2, 0.25), (0.6, 0.0), (0.6, 1.0)]],
    },
    2: {"swan": [[*_arc(0.5, 0.28, 0.42, 0.28, 190, 380), (0.05, 1.0), (0.95, 1.0)]]},
    3: {
        "round": [[*_arc(0.5, 0.25, 0.4, 0.25, 200, 450), *_arc(0.5, 0.74, 0.45, 0.26, 270, 520)]],
    },
    4: {
        "closed": [[(0.65, 0.0), (0.05, 0.68), (0.95, 0.68)], [(0.68, 0.3), (0.68, 1.0)]],
        "open": [[(0.1, 0.0), (0.1, 0.6), (0.95, 0.6)], [(0.72, 0.0), (0.72, 1.0)]],
    },
    5: {"hook": [[(0.9, 0.0), (0.2, 0.0), (0.15, 0.45), *_arc(0.5, 0.7, 0.42, 0.3, 220, 520)]]},
    6: {
        "loop": [[*_arc(0.95, 0.65, 0.75, 0.65, 255, 180), *_arc(0.5, 0.72, 0.3, 0.28, 180, -180)]]
    },
    7: {
        "plain": [[(0.05, 0.0), (0.95, 0.0), (0.35, 1.0)]],
        "crossbar": [[(0.05, 0.0), (0.95, 0.0), (0.35, 1.0)], [(0.3, 0.52), (0.85, 0.52)]],
    },
    8: {
        "loops": [
            _arc(0.5, 0.24, 0.32, 0.24, -90, 270),
            _arc(0.5, 0.74, 0.42, 0.26, -90, 270),
        ]
    },
    9: {"loop": [[*_arc(0.45, 0.3, 0.4, 0.3, 0, -360), (0.85, 0.3), (0.8, 1.0)]]},
}


@dataclass(frozen=True)
class Style:
    """How a digit is drawn on the canvas, as shares of the canvas's side."""

    name: str
    height: float = 0.7  # the digit's height
    aspect: float = 0.62  # its width over its height (a unit box is drawn this wide)
    pen: float = 1 / 12  # the pen's width (1/12 is the canvas's own)
    slant: float = 0.0  # shear: positive leans the top to the right
    dx: float = 0.0  # the centre's offset from the canvas's centre
    dy: float = 0.0


STYLES = (
    Style("normal"),
    Style("thin pen", pen=1 / 28),
    Style("thick pen", pen=1 / 7),
    Style("small", height=0.4),
    Style("large", height=0.9),
    Style("wide", aspect=0.85),
    Style("narrow", aspect=0.45),
    Style("slant right", slant=0.25),
    Style("slant left", slant=-0.15),
    Style("top left", height=0.5, dx=-0.2, dy=-0.2),
    Style("bottom right, thick", height=0.5, dx=0.2, dy=0.2, pen=1 / 9),
)


@dataclass(frozen=True)
class Drawing:
    label: int
    variant: str
    style: str
    ink: np.ndarray


def _place(stroke: Stroke, style: Style, side: int) -> Stroke:
    """A unit-box stroke in canvas pixels, sized, slanted and placed as the style says."""
    height = style.height * side
    width = style.aspect * height
    cx, cy = side / 2 + style.dx * side, side / 2 + style.dy * side
    placed = []
    for x, y in stroke:
        px = (x - 0.5) * width + style.slant * (0.5 - y) * height
        placed.append((cx + px, cy + (y - 0.5) * height))
    return placed


def scripted_drawings(styles=STYLES, side: int = 280) -> list[Drawing]:
    """Every variant of every digit in every style, drawn on a real `DigitCanvas`."""
    from PySide6.QtWidgets import QApplication

    from workbench.ui.digit_canvas import DigitCanvas

    _app = QApplication.instance() or QApplication([])  # noqa: F841 - widgets need one
    canvas = DigitCanvas(side=side)
    drawings = []
    for label, variants in DIGITS.items():
        for variant, strokes in variants.items():
            for style in styles:
                canvas.clear()
                for stroke in strokes:
                    canvas.draw_stroke(_place(stroke, style, side), pen_width=style.pen * side)
                drawings.append(Drawing(label, variant, style.name, canvas.ink()))
    canvas.deleteLater()
    return drawings


@dataclass
class TrainedModel:
    """A model the engine trained, with what the Predict tab needs to feed it a drawing."""

    name: str
    test_accuracy: float
    probabilities: Callable[[np.ndarray], np.ndarray]  # raw feature rows -> probabilities
    preprocessing: object  # the run's `Preprocessing`


def train(experiment) -> TrainedModel:
    """Train with the engine and wrap the kept weights as the Predictor does."""
    import torch

    from workbench.core import fit
    from workbench.models import build_model

    result = fit(experiment)
    p = result.preprocessing
    model = build_model(experiment.model, p.n_features, len(p.class_names), p.image_shape)
    model.load_state_dict(result.weights)
    model.eval()

    @torch.no_grad()
    def probabilities(raw: np.ndarray) -> np.ndarray:
        return torch.softmax(model(torch.from_numpy(p.apply(raw))), dim=1).numpy()

    return TrainedModel(experiment.name, result.test.accuracy, probabilities, p)


def example(name: str, seed: int, epochs: int | None = None, augmentation: dict | None = None):
    """An example experiment on the CPU, with Adam (the 5-layer example's SGD learns slowly).

    ``augmentation`` replaces the file's ``[augmentation]`` table (``{}`` turns it off);
    None keeps what the file says.
    """
    from workbench.config import experiment_from_dict, read_toml

    data = read_toml(EXAMPLES / f"{name}.toml")
    data["seed"] = seed
    if augmentation is not None:
        data["augmentation"] = augmentation
    data.setdefault("training", {})["device"] = "cpu"
    data["optimizer"] = {"name": "adam", "lr": 0.001}
    if epochs is not None:
        data["training"]["epochs"] = epochs
    return experiment_from_dict(data)


def _own_augmentation(name: str) -> bool:
    """Whether the example file turns data augmentation on itself."""
    from workbench.config import read_toml

    table = read_toml(EXAMPLES / f"{name}.toml").get("augmentation") or {}
    return any(float(value) != 0 for value in table.values())


def read_drawings(model: TrainedModel, drawings) -> np.ndarray:
    """The predicted class of each drawing, mapped as the Predict tab maps the canvas."""
    from workbench.predict.predictor import drawing_row

    raw = np.concatenate([drawing_row(d.ink, model.preprocessing) for d in drawings])
    return model.probabilities(raw).argmax(axis=1)


def drawing_accuracy(model: TrainedModel, drawings) -> float:
    predicted = read_drawings(model, drawings)
    return float(np.mean(predicted == np.array([d.label for d in drawings])))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", nargs="+", default=["digits-adam", "mlp-5-layer"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument(
        "--augment",
        metavar="KEY=VALUE,...",
        default=None,
        help="also train each model with this data augmentation (e.g. shift=0.1,rotation=10) "
        "and print both side by side",
    )
    args = parser.parse_args(argv)
    # "plain" always trains without augmentation, so an example that has it (such as
    # digits-augmented) is measured side by side with and without it.
    variants: list[tuple[str, dict | None]] = [("plain", {})]
    if args.augment:
        settings = dict(item.split("=", 1) for item in args.augment.split(","))
        variants.append(("augmented", {k: float(v) for k, v in settings.items()}))

    import torch

    torch.set_num_threads(max(1, (os.cpu_count() or 2) - 1))
    started = time.perf_counter()
    drawings = scripted_drawings()
    print(
        f"{len(drawings)} scripted drawings ({len(STYLES)} styles) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    for name in args.examples:
        own = _own_augmentation(name)
        extra = [("as written", None)] if own and not args.augment else []
        for seed in args.seeds:
            for variant, augmentation in variants + extra:
                model = train(example(name, seed, args.epochs, augmentation))
                predicted = read_drawings(model, drawings)
                right = predicted == np.array([d.label for d in drawings])
                by_style: dict[str, list[bool]] = defaultdict(list)
                by_digit: dict[int, list[bool]] = defaultdict(list)
                for drawing, ok in zip(drawings, right, strict=True):
                    by_style[drawing.style].append(bool(ok))
                    by_digit[drawing.label].append(bool(ok))
                print(
                    f"\n{name} seed {seed} {variant}: test digits {model.test_accuracy:.3f}, "
                    f"drawings {right.mean():.3f} ({right.sum()}/{right.size})"
                )
                print(
                    "  per style: "
                    + ", ".join(f"{k} {np.mean(v):.2f}" for k, v in by_style.items())
                )
                print(
                    "  per digit: "
                    + ", ".join(f"{k}: {np.mean(v):.2f}" for k, v in by_digit.items())
                )
                mistakes = Counter(
                    f"{d.label}({d.variant})->{p}"
                    for d, p, ok in zip(drawings, predicted, right, strict=True)
                    if not ok
                )
                print("  mistakes: " + ", ".join(f"{k} x{n}" for k, n in mistakes.most_common()))
                print(
                    json.dumps(
                        {
                            "example": name,
                            "seed": seed,
                            "variant": variant,
                            "test_accuracy": round(model.test_accuracy, 4),
                            "drawing_accuracy": round(float(right.mean()), 4),
                            "drawings": int(right.size),
                        }
                    )
                )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
