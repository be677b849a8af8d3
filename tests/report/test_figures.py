import io
import math

import numpy as np
from PIL import Image

from workbench.report import figures


def _image(png):
    assert png.startswith(b"\x89PNG")
    return Image.open(io.BytesIO(png))


def test_learning_curves_cope_with_nan_and_empty_histories(failed_report):
    assert _image(figures.learning_curves_png(failed_report["history"], 2)).size == (700, 320)
    _image(figures.learning_curves_png([], None))
    all_nan = [{"epoch": 1, "train_loss": math.nan, "val_loss": None, "train_accuracy": None}]
    _image(figures.learning_curves_png(all_nan, 1))


def test_learning_rate_curve_for_constant_and_decaying_rates(digits_report):
    _image(figures.learning_rate_png(digits_report["history"]))
    _image(figures.learning_rate_png([{"epoch": 1, "lr": 0.001}, {"epoch": 2, "lr": 0.001}]))
    _image(figures.learning_rate_png([]))


def test_confusion_matrix_for_few_and_many_classes():
    _image(figures.confusion_matrix_png([[3, 1], [0, 4]], ["a$b", "c$d"]))
    many = np.eye(60, dtype=int).tolist()
    _image(figures.confusion_matrix_png(many, [f"class {i}" for i in range(60)]))
    _image(figures.confusion_matrix_png([[0.75, 0.25], [0.0, 1.0]], ["a", "b"], normalized=True))


def test_roc_curve_without_an_auc():
    _image(figures.roc_curve_png([0, 0.5, 1], [0, 0.8, 1], None))


def test_a_small_grey_image_is_enlarged_and_scaled_to_full_range():
    image = np.linspace(-3, 5, 64).reshape(1, 8, 8)
    picture = _image(figures.example_image_png(image))
    assert picture.mode == "L"
    assert picture.size == (64, 64)
    pixels = np.asarray(picture)
    assert pixels.min() == 0 and pixels.max() == 255
    # Nearest neighbour: each input pixel is an 8x8 block of one value.
    assert len(np.unique(pixels[:8, :8])) == 1


def test_rgb_constant_and_nan_images():
    rgb = _image(figures.example_image_png(np.random.default_rng(0).random((3, 28, 28))))
    assert rgb.mode == "RGB" and rgb.size == (84, 84)
    assert _image(figures.example_image_png(np.full((1, 4, 4), 7.0))).getextrema() == (128, 128)
    _image(figures.example_image_png(np.full((1, 4, 4), np.nan)))


def test_comparison_of_runs_including_a_diverged_one(digits_report, failed_report):
    runs = [("a", digits_report["history"]), ("$x$ <b>", failed_report["history"]), ("empty", [])]
    _image(figures.comparison_png(runs))
    _image(figures.comparison_png([]))


def test_figures_never_load_pyplot_or_qt():
    import subprocess
    import sys

    code = (
        "import sys; from workbench.report import html_report, export, csv_report;"
        "print(any(m.startswith(('matplotlib.pyplot', 'PySide6')) for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_grey_digit_is_dark_ink_on_white_as_in_the_window():
    # MNIST stores bright strokes on a dark background; the window shows them inverted.
    digit = np.zeros((1, 28, 28))
    digit[0, 4:24, 12:16] = 255.0
    pixels = np.asarray(_image(figures.example_image_png(digit)))
    factor = pixels.shape[0] // 28
    assert pixels[0, 0] == 255 and pixels[-1, -1] == 255  # background: white
    assert pixels[10 * factor, 13 * factor] == 0  # stroke: black
    assert (pixels == 255).mean() > 0.8  # mostly paper, as a person would see it


def test_a_comparison_draws_its_runs_in_the_windows_colours_and_order():
    from workbench.report.palette import PALETTE, contrast_on_white

    runs = [
        (
            f"run {i}",
            [
                {"epoch": e, "val_loss": 1.0 / e + i, "val_accuracy": 0.5 + 0.04 * e - 0.1 * i}
                for e in range(1, 6)
            ],
        )
        for i in range(3)
    ]
    pixels = np.asarray(_image(figures.comparison_png(runs)).convert("RGB")).reshape(-1, 3)
    colours, numbers = np.unique(pixels, axis=0, return_counts=True)
    counts = {tuple(int(v) for v in c): int(n) for c, n in zip(colours, numbers, strict=True)}
    for colour in PALETTE[:3]:
        assert counts.get(colour, 0) > 50, colour  # each run's lines, in the window's colour
    assert counts.get((31, 119, 180), 0) == 0  # not matplotlib's own blue (tab10's C0)
    assert all(contrast_on_white(c) >= 3.0 for c in PALETTE)


def test_activation_histograms_sit_in_one_row_and_wrap_past_seven_layers():
    edges = np.linspace(0.0, 1.0, 51).tolist()
    piled = [300] + [10] * 48 + [300]  # sigmoid with std 1: outputs at 0 and 1
    spike = [0] * 24 + [990, 10] + [0] * 24  # std 0.01: one bar at 0.5, off the top
    layer = ("1 dense (sigmoid)", edges, [piled, spike])
    looks = ["epoch 0, at initialisation", "best epoch 3"]
    assert _image(figures.activations_png([layer] * 5, looks)).size == (700, 210)
    # Past seven layers a second row; a look without the layer or without outputs draws nothing.
    others = [("2 dense (relu)", edges, [None, [0] * 50]), ("3 $x$", edges, [piled, None])]
    wide = figures.activations_png([layer] * 7 + others, looks)
    assert _image(wide).size == (700, 375)
    _image(figures.activations_png([("1 dense (tanh)", edges, [None, None])], looks[:1]))
