"""Lessons on the learner's own images (MNIST, say) instead of the built-in digits."""

import gzip
import struct

import numpy as np
import pytest

from workbench.config import DataConfig
from workbench.lessons import find_lesson
from workbench.lessons.own_data import (
    OWN_DATA_TRAIN_LIMIT,
    on_own_data,
    own_data_problem,
    used_data,
)
from workbench.lessons.runner import lesson_page, run_lesson


def write_idx(path, array):
    header = struct.pack(f">I{array.ndim}I", 0x800 | array.ndim, *array.shape)
    with gzip.open(path, "wb", compresslevel=1) as handle:
        handle.write(header + array.tobytes())


def digits_as_mnist(folder):
    """scikit-learn's digits drawn 28x28 in MNIST's IDX files: learnable images of its shape."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    order = np.random.default_rng(0).permutation(len(digits.target))
    big = np.kron(digits.images[order], np.ones((3, 3)))  # 24 x 24
    images = np.pad(big, ((0, 0), (2, 2), (2, 2))) * (255 / 16)
    images, labels = images.astype(np.uint8), digits.target[order].astype(np.uint8)
    folder.mkdir(parents=True, exist_ok=True)
    for prefix, part in (("train", slice(0, 1500)), ("t10k", slice(1500, None))):
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", images[part])
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", labels[part])
    return folder


def test_own_images_stand_in_for_the_digits_with_a_training_limit(tmp_path):
    data = DataConfig(source="idx", path=str(tmp_path / "mnist"))
    _, overfitting = find_lesson("overfitting")
    moved = on_own_data(overfitting, data)
    assert moved.experiment.data.source == "idx" and moved.experiment.data.train_limit == 300
    _, rate = find_lesson("learning-rate")
    assert on_own_data(rate, data).experiment.data.train_limit == OWN_DATA_TRAIN_LIMIT
    assert on_own_data(rate, data).variants()[0].data.path == data.path  # every variant
    _, paths = find_lesson("optimizer-paths")
    assert on_own_data(paths, data) is paths  # nothing trains on data
    assert used_data(rate) == "Run on the built-in digits (8x8)."
    assert used_data(on_own_data(rate, data)) == (
        "Run on mnist, your data: at most 1,000 training samples."
    )
    assert used_data(paths) is None


@pytest.mark.parametrize(
    ("shape", "classes", "usable"),
    [((1, 28, 28), 10, True), ((3, 32, 32), 10, False), ((1, 28, 28), 2, False), (None, 10, False)],
)
def test_only_one_channel_images_in_ten_classes_stand_in(shape, classes, usable):
    problem = own_data_problem(shape, classes, "data.npz")
    assert (problem is None) == usable
    if not usable:
        assert problem.startswith("data.npz: the lessons run on one-channel images in 10 classes")


def test_a_lesson_runs_on_own_images_and_its_page_says_so(tmp_path):
    folder = digits_as_mnist(tmp_path / "digits28")
    _, lesson = find_lesson("overfitting")
    lesson = on_own_data(lesson, DataConfig(source="idx", path=str(folder)))
    short = lesson.experiment.model_copy(
        update={"training": lesson.experiment.training.model_copy(update={"epochs": 30})}
    )
    outcome = run_lesson(lesson.model_copy(update={"experiment": short}))
    (run,) = outcome.outcomes
    assert run.result.preprocessing.image_shape == (1, 28, 28)
    assert run.result.split_sizes[0] == 300
    assert outcome.checks[0].holds  # 300 samples of 28x28 digits are fitted, too
    page = lesson_page(lesson, outcome, "en")
    assert page["data"] == "Run on digits28, your data: at most 300 training samples."


def test_the_lesson_command_runs_on_data_given_and_refuses_other_data(tmp_path, capsys):
    from workbench.lessons.cli import lesson_command

    folder = digits_as_mnist(tmp_path / "digits28")
    out = tmp_path / "out"
    code = lesson_command(
        ["new-data", "--data", str(folder), "--out", str(out), "--data-dir", str(tmp_path)]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "Run on digits28, your data: at most 1,000 training samples." in printed
    assert "of the drawn digits right" in printed  # drawn digits mapped to 28x28 too
    page = (out / "lesson.html").read_text(encoding="utf-8")
    assert '<p class="lesson-data">Run on digits28, your data' in page
    table = tmp_path / "table.npz"
    np.savez(table, x=np.zeros((40, 3), np.float32), y=np.arange(40) % 2)
    assert lesson_command(["overfitting", "--data", str(table), "--out", str(out)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: {table}: the lessons run on one-channel images in 10 classes, like the "
        "digits (MNIST, Fashion-MNIST, KMNIST)"
    )
