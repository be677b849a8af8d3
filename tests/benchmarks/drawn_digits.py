"""Benchmark: how well drawn digits are read, against the held-out test digits.

Run as a script, not collected by pytest:
    QT_QPA_PLATFORM=offscreen python tests/benchmarks/drawn_digits.py [--seeds 0 1 2]
    (--examples digits-augmented trains that example with and without its augmentation)

Scripted pen strokes for the digits 0-9 (a 7 with and without a crossbar, a 1 as a single
stroke and with a flag, an open and a closed 4, ...) are drawn on the real `DigitCanvas`
(its painter and round pen, so the ink is what a person's mouse would leave) in several
styles: thin, normal and thick pens, small and large, off-centre, slanted either way. A
second, held-out set (`held_out_drawings`: other shapes of every digit in other hands,
narrower, slanted and turned, tiny, shaky) was added after the mapping had been worked on
with the first, and no setting was chosen on it: its figure is the less biased one. Each
drawing goes through `workbench.predict.predictor.drawing_row`, the mapping the Predict
tab uses, to a model trained by the workbench's engine on scikit-learn's 8x8 digits.
Prints, per example experiment and seed, the accuracy on the test digits, on the drawings
and on the held-out drawings, measured in the same run; per set the accuracy per style and
per digit and the mistakes; one JSON line per model; and the means over the seeds.

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


def _eight_figure(cx: float = 0.5, rx: float = 0.42) -> Stroke:
    """A figure eight in one stroke: top loop, crossing in the middle, bottom loop, back up."""
    return [
        (cx + rx * math.sin(2 * t), 0.5 - 0.5 * math.cos(t))
        for t in np.linspace(0.0, 2 * math.pi, 49)
    ]


# A second set of shapes, written differently from DIGITS, in other hands (HELD_OUT_STYLES),
# written down before any mapping was tried on it, so that what is changed to read DIGITS
# better is checked on drawings it was not fitted to. The mapping's settings were chosen on
# DIGITS; this set was only measured (its accuracy compared for the main alternatives, its
# misread images looked at to explain them, nothing fitted to them): the less biased figure.
HELD_OUT_DIGITS: dict[int, dict[str, list[Stroke]]] = {
    0: {"open oval": [_arc(0.5, 0.5, 0.42, 0.5, -60, 290)]},
    1: {
        "serif": [[(0.25, 0.2), (0.55, 0.0), (0.55, 1.0)], [(0.25, 1.0), (0.85, 1.0)]],
        "lean": [[(0.7, 0.0), (0.35, 1.0)]],
    },
    2: {"z": [[(0.1, 0.15), (0.5, 0.0), (0.9, 0.2), (0.85, 0.4), (0.1, 1.0), (0.9, 1.0)]]},
    3: {"flat top": [[(0.1, 0.0), (0.9, 0.0), (0.45, 0.42), *_arc(0.5, 0.7, 0.4, 0.3, -90, 150)]]},
    4: {"joined": [[(0.72, 0.0), (0.08, 0.65), (0.92, 0.65)], [(0.72, 0.0), (0.72, 1.0)]]},
    5: {
        "two strokes": [
            [(0.2, 0.0), (0.15, 0.45), *_arc(0.5, 0.68, 0.4, 0.32, 230, 500)],
            [(0.2, 0.0), (0.9, 0.0)],
        ]
    },
    6: {"straight": [[(0.75, 0.0), (0.25, 0.55), *_arc(0.5, 0.72, 0.3, 0.28, 180, 540)]]},
    7: {
        "curved": [[(0.05, 0.05), (0.95, 0.05), (0.75, 0.35), (0.55, 0.7), (0.5, 1.0)]],
        "tick": [[(0.05, 0.2), (0.05, 0.0), (0.95, 0.0), (0.45, 1.0)]],
    },
    8: {"figure": [_eight_figure()]},
    9: {
        "straight stem": [[*_arc(0.5, 0.28, 0.38, 0.28, 10, -350), (0.88, 0.3), (0.88, 1.0)]],
        "curled tail": [
            [
                *_arc(0.5, 0.28, 0.4, 0.28, 0, -360),
                (0.88, 0.55),
                *_arc(0.6, 0.75, 0.28, 0.25, 0, 150),
            ]
        ],
    },
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
    rotate: float = 0.0  # degrees, clockwise on the screen
    wobble: float = 0.0  # a shaky hand: each point moved up to this share of the height


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

# Other hands for HELD_OUT_DIGITS: combinations and variations STYLES does not have.
HELD_OUT_STYLES = (
    Style("medium", height=0.6, aspect=0.55, pen=1 / 10),
    Style("very narrow", aspect=0.35),
    Style("narrow, slant left", aspect=0.45, slant=-0.2),
    Style("wide, slant right", aspect=0.8, slant=0.15),
    Style("tiny", height=0.25),
    Style("tall, thin pen", height=0.95, pen=1 / 20),
    Style("turned", rotate=8),
    Style("turned back", rotate=-8, aspect=0.5),
    Style("shaky", wobble=0.03),
    Style("right edge, shaky", height=0.35, dx=0.3, wobble=0.02),
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
    turn = math.radians(style.rotate)
    cos, sin = math.cos(turn), math.sin(turn)
    if style.wobble:
        # Smooth, repeatable shaking: the same stroke always shakes the same way.
        seed = int(1000 * sum(x + 3 * y for x, y in stroke)) % 2**32
        phases = np.random.default_rng(seed).uniform(0, 2 * math.pi, 4)
    placed = []
    for i, (x, y) in enumerate(stroke):
        px = (x - 0.5) * width + style.slant * (0.5 - y) * height
        py = (y - 0.5) * height
        if style.wobble:
            t = i / max(1, len(stroke) - 1) * 2 * math.pi
            px += style.wobble * height * math.sin(3 * t + phases[0]) * math.cos(phases[1] + t)
            py += style.wobble * height * math.sin(2 * t + phases[2]) * math.cos(phases[3] + t)
        placed.append((cx + px * cos - py * sin, cy + px * sin + py * cos))
    return placed


def scripted_drawings(styles=STYLES, side: int = 280, digits=None) -> list[Drawing]:
    """Every variant of every digit in every style, drawn on a real `DigitCanvas`.

    ``digits`` defaults to DIGITS; `held_out_drawings` draws HELD_OUT_DIGITS.
    """
    from PySide6.QtWidgets import QApplication

    from workbench.ui.digit_canvas import DigitCanvas

    _app = QApplication.instance() or QApplication([])  # noqa: F841 - widgets need one
    canvas = DigitCanvas(side=side)
    drawings = []
    for label, variants in (DIGITS if digits is None else digits).items():
        for variant, strokes in variants.items():
            for style in styles:
                canvas.clear()
                for stroke in strokes:
                    canvas.draw_stroke(_place(stroke, style, side), pen_width=style.pen * side)
                drawings.append(Drawing(label, variant, style.name, canvas.ink()))
    canvas.deleteLater()
    return drawings


def held_out_drawings(side: int = 280) -> list[Drawing]:
    """HELD_OUT_DIGITS in HELD_OUT_STYLES: shapes and hands the mapping was not chosen on."""
    return scripted_drawings(HELD_OUT_STYLES, side, HELD_OUT_DIGITS)


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


def _report_set(title: str, model: TrainedModel, drawings) -> np.ndarray:
    """Print one set's accuracy per style and per digit and its mistakes; which were right."""
    predicted = read_drawings(model, drawings)
    right = predicted == np.array([d.label for d in drawings])
    by_style: dict[str, list[bool]] = defaultdict(list)
    by_digit: dict[int, list[bool]] = defaultdict(list)
    for drawing, ok in zip(drawings, right, strict=True):
        by_style[drawing.style].append(bool(ok))
        by_digit[drawing.label].append(bool(ok))
    print(f"\n{model.name} {title}: {right.mean():.3f} ({right.sum()}/{right.size})")
    print("  per style: " + ", ".join(f"{k} {np.mean(v):.2f}" for k, v in by_style.items()))
    print("  per digit: " + ", ".join(f"{k}: {np.mean(v):.2f}" for k, v in by_digit.items()))
    mistakes = Counter(
        f"{d.label}({d.variant})->{p}"
        for d, p, ok in zip(drawings, predicted, right, strict=True)
        if not ok
    )
    print("  mistakes: " + ", ".join(f"{k} x{n}" for k, n in mistakes.most_common()))
    return right


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
    held_out = held_out_drawings()
    print(
        f"{len(drawings)} scripted drawings ({len(STYLES)} styles), {len(held_out)} held-out "
        f"drawings ({len(HELD_OUT_STYLES)} other styles, other shapes) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    results: dict[tuple[str, str], list[tuple[float, float, float]]] = defaultdict(list)
    for name in args.examples:
        own = _own_augmentation(name)
        extra = [("as written", None)] if own and not args.augment else []
        for seed in args.seeds:
            for variant, augmentation in variants + extra:
                model = train(example(name, seed, args.epochs, augmentation))
                right = _report_set("scripted", model, drawings)
                held_right = _report_set("held-out", model, held_out)
                print(
                    f"  {name} seed {seed} {variant}: test digits {model.test_accuracy:.3f}, "
                    f"drawings {right.mean():.3f} ({right.sum()}/{right.size}), held-out "
                    f"drawings {held_right.mean():.3f} ({held_right.sum()}/{held_right.size})"
                )
                results[(name, variant)].append(
                    (model.test_accuracy, float(right.mean()), float(held_right.mean()))
                )
                print(
                    json.dumps(
                        {
                            "example": name,
                            "seed": seed,
                            "variant": variant,
                            "test_accuracy": round(model.test_accuracy, 4),
                            "drawing_accuracy": round(float(right.mean()), 4),
                            "drawings": int(right.size),
                            "held_out_accuracy": round(float(held_right.mean()), 4),
                            "held_out_drawings": int(held_right.size),
                        }
                    )
                )
    print(f"\nmeans over seeds {' '.join(map(str, args.seeds))}:")
    for (name, variant), figures in results.items():
        test, drawn, held = np.mean(figures, axis=0)
        print(
            f"  {name} {variant}: test digits {test:.3f}, drawings {drawn:.3f} "
            f"({drawn - test:+.3f}), held-out drawings {held:.3f} ({held - test:+.3f})"
        )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
