"""Prediction and reports on hostile input (issue 15): refused in one line, never a wrong answer.

Each case was a silent wrong answer or a traceback before: colour images laid out otherwise
than training laid them out, labels that do not line up with the rows, NaN weights, and run
folders or evaluation files edited by hand.
"""

import json
import shutil

import numpy as np
import pytest
from safetensors.numpy import load_file as load_arrays
from safetensors.numpy import save_file as save_arrays
from safetensors.torch import load_file as load_tensors
from safetensors.torch import save_file as save_tensors

from tests.conftest import small_experiment
from workbench.__main__ import main
from workbench.config import save_experiment
from workbench.data.builtin import load_dataset
from workbench.data.importers import read_npz
from workbench.predict.inputs import read_inputs
from workbench.predict.predictor import Predictor
from workbench.runs.trained import TrainedRunError, open_trained_run


def train(folder, experiment):
    """Train with `workbench run --out`: a run folder, and run 1 in the store beside it."""
    save_experiment(experiment, folder / "experiment.toml")
    argv = ["run", str(folder / "experiment.toml"), "--out", str(folder / "run")]
    assert main([*argv, "--data-dir", str(folder / "store")]) == 0
    return folder


@pytest.fixture(scope="module")
def digits_template(tmp_path_factory):
    return train(tmp_path_factory.mktemp("digits"), small_experiment())


@pytest.fixture
def digits(digits_template, tmp_path):
    """A fresh copy of a digits run (folder and store) that a test may damage."""
    shutil.copytree(digits_template, tmp_path, dirs_exist_ok=True)
    return tmp_path


def colour_images(n=150, seed=0):
    """(n, 3, 3, 3) channels-last images whose class is the bright channel.

    Height, width and channels are all 3, so only the importer's rule says which axis holds
    the colours: a reader guessing from the model's shape flattens them in the wrong order.
    """
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 3
    images = rng.normal(0.0, 0.1, size=(n, 3, 3, 3)).astype(np.float32)
    images[np.arange(n), :, :, labels] += 1.0
    return images, labels


@pytest.fixture(scope="module")
def colour(tmp_path_factory):
    folder = tmp_path_factory.mktemp("colour")
    images, labels = colour_images()
    np.savez(folder / "colour.npz", x=images, y=labels)
    data = {"source": "npz", "path": str(folder / "colour.npz")}
    return train(folder, small_experiment(data=data, training={"epochs": 20}))


def one_line_error(capsys):
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: ") and "\n" not in error and "Traceback" not in error
    return error


# 1. The layout: predictions go through the importer's own function ---------------------------


def test_colour_npz_images_are_predicted_as_they_were_trained(colour, capsys):
    report = json.loads((colour / "run" / "report.json").read_text())
    assert report["test"]["accuracy"] == 1.0
    argv = ["predict", str(colour / "run"), str(colour / "colour.npz")]
    assert main([*argv, "--out", str(colour / "predictions.csv")]) == 0
    # Before: the colours were interleaved and the same file scored 0.0067.
    assert "accuracy against the file's labels: 1.0000" in capsys.readouterr().out
    predictor = Predictor(open_trained_run(colour / "run"))
    rows = read_inputs(colour / "colour.npz", predictor.preprocessing).features
    np.testing.assert_array_equal(rows, read_npz(colour / "colour.npz").features)


@pytest.mark.parametrize(
    ("shape", "words"),
    [
        ((12, 3, 9), ["3x9", "1x3x9 images", "3x3x3 images"]),  # 27 values, not 3x3x3 images
        ((12, 27), ["27 values"]),  # flat rows in the training rows' layout: accepted
        ((12, 3, 3, 1), ["1x3x3 images", "3x3x3"]),  # one channel for a colour model
        ((12, 26), ["26 values", "3x3x3"]),
    ],
)
def test_an_npz_whose_shape_cannot_match_a_colour_model_is_refused(
    colour, tmp_path, capsys, shape, words
):
    path = tmp_path / "new.npz"
    np.savez(path, x=np.zeros(shape, np.float32))
    code = main(["predict", str(colour / "run"), str(path)])
    if shape == (12, 27):
        assert code == 0
        return
    assert code == 2
    error = one_line_error(capsys)
    assert "new.npz" in error and str(shape) in error
    for word in words:
        assert word in error


@pytest.mark.parametrize(
    ("x", "words"),
    [
        (np.zeros((5, 4, 16)), ["(5, 4, 16)", "1x4x16 images", "1x8x8 images"]),  # 64 values
        (np.zeros((5, 8, 8, 3)), ["3x8x8 images", "1x8x8"]),  # colour for a grey model
        (np.zeros((5, 63)), ["63 values", "1x8x8"]),
        (np.array(["a", "b"]), ["dtype"]),
    ],
)
def test_an_npz_whose_shape_cannot_match_a_digits_model_is_refused(digits, capsys, x, words):
    path = digits / "new.npz"
    np.savez(path, x=x)
    assert main(["predict", str(digits / "run"), str(path)]) == 2
    error = one_line_error(capsys)
    assert "new.npz" in error and all(word in error for word in words), error


# 2. Labels: one per row, or refused -------------------------------------------------------


@pytest.mark.parametrize(
    ("y", "words"),
    [
        (np.zeros((40, 2), np.int64), ["y has shape (40, 2)", "one label per sample"]),
        (np.zeros(39, np.int64), ["39 labels but 40 samples"]),
        (np.full(40, np.nan), ["NaN"]),
    ],
)
def test_labels_that_are_not_one_per_row_are_refused_and_nothing_is_written(
    digits, capsys, y, words
):
    path, out = digits / "new.npz", digits / "predictions.csv"
    np.savez(path, x=load_dataset("digits").features[:40], y=y)
    assert main(["predict", str(digits / "run"), str(path), "--out", str(out)]) == 2
    error = one_line_error(capsys)
    assert "new.npz" in error and all(word in error for word in words), error
    assert not out.exists()


def test_labels_of_one_column_are_one_per_row(digits, capsys):
    digits_data = load_dataset("digits")
    path = digits / "new.npz"
    np.savez(path, x=digits_data.features[:40], y=digits_data.labels[:40].reshape(40, 1))
    predictor = Predictor(open_trained_run(digits / "run"))
    labels = predictor.predict_path(path).inputs.labels
    assert labels == [str(v) for v in digits_data.labels[:40]]


# 3. Non-finite weights and outputs ----------------------------------------------------------


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_weights_holding_nan_or_infinity_are_refused_naming_the_run_and_tensor(
    digits, capsys, value
):
    weights_file = digits / "run" / "model.safetensors"
    weights = load_tensors(str(weights_file))
    name = sorted(key for key in weights if weights[key].is_floating_point())[-1]
    weights[name].view(-1)[3] = value
    save_tensors(weights, str(weights_file))
    with pytest.raises(TrainedRunError, match=f"{digits / 'run'}.* in {name}"):
        Predictor(open_trained_run(digits / "run"))
    path = digits / "new.npz"
    np.savez(path, x=load_dataset("digits").features[:5])
    assert main(["predict", str(digits / "run"), str(path)]) == 2
    error = one_line_error(capsys)
    assert "NaN or infinite" in error and name in error


def test_inputs_that_overflow_the_model_are_refused_not_predicted_as_nan(digits, capsys):
    path = digits / "huge.npz"
    x = np.full((3, 64), 3e38, np.float32)
    x[0] = 0.0  # one ordinary row: the message names the first bad one
    np.savez(path, x=x)
    assert main(["predict", str(digits / "run"), str(path)]) == 2
    error = one_line_error(capsys)
    assert "2 of 3 inputs (first: x[1])" in error and "NaN or infinite" in error


# 4. Hand-edited run folders and evaluation files ----------------------------------------------


def edit_report(folder, change):
    path = folder / "run" / "report.json"
    report = json.loads(path.read_text())
    change(report)
    path.write_text(json.dumps(report))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda r: r.update(history="abc"), "history: should be a list"),
        (lambda r: r["history"][1].update(val_loss="low"), "history[1].val_loss"),
        (lambda r: r.update(best_epoch="2"), "best_epoch"),
        (lambda r: r["test"].update(confusion_matrix=[[1, 2], [3]]), "test.confusion_matrix"),
        (lambda r: r["test"].update(per_class=[1, 2]), "test.per_class[0]"),
        (lambda r: r["test"].update(accuracy=[1]), "test.accuracy"),
        (lambda r: r.update(weights="best"), "weights: should be a table"),
        (lambda r: r["dataset"].update(split=[1, 2, 3]), "dataset.split"),
        (lambda r: r.update(misclassified=[{"confidence": "high"}]), "misclassified[0]"),
    ],
)
def test_a_report_json_of_the_wrong_types_is_refused_in_one_line(digits, capsys, change, field):
    edit_report(digits, change)
    out = digits / "report.html"
    assert main(["report", str(digits / "run"), "--format", "html", "--out", str(out)]) == 2
    error = one_line_error(capsys)
    assert "report.json" in error and field in error, error
    assert not out.exists()


def test_a_report_json_of_the_wrong_types_stops_predict_too(digits, capsys):
    edit_report(digits, lambda r: r.update(test=[0.9]))
    path = digits / "new.npz"
    np.savez(path, x=load_dataset("digits").features[:5])
    assert main(["predict", str(digits / "run"), str(path)]) == 2
    assert "report.json: test: should be a table" in one_line_error(capsys)


def edit_evaluation(path, metadata_change=None, arrays_change=None):
    """Rewrite a safetensors evaluation file with its metadata or arrays changed."""
    from safetensors import safe_open

    with safe_open(str(path), framework="numpy") as file:
        metadata = dict(file.metadata())
    arrays = load_arrays(str(path))
    if metadata_change is not None:
        metadata_change(metadata)
    if arrays_change is not None:
        arrays_change(arrays)
    save_arrays(arrays, str(path), metadata)


def preprocessing_change(**values):
    def change(metadata):
        info = json.loads(metadata["preprocessing"])
        info.update(values)
        metadata["preprocessing"] = json.dumps(info)

    return change


def run_info_change(value):
    def change(metadata):
        metadata["run"] = json.dumps(value)

    return change


def array_change(name, value):
    def change(arrays):
        arrays[name] = value(arrays[name]) if callable(value) else value

    return change


@pytest.mark.parametrize(
    ("metadata_change", "arrays_change", "words"),
    [
        # The normalisation vector: wrong length (63 or 1 value for 64 features) or dtype.
        (None, array_change("preprocessing.multiplier", lambda a: a[:63]), ["multiplier", "63"]),
        (None, array_change("preprocessing.offset", lambda a: a[:1]), ["offset", "(1,)"]),
        (None, array_change("preprocessing.multiplier", lambda a: a.astype(np.int64)), ["int64"]),
        (None, array_change("preprocessing.offset", lambda a: a * np.nan), ["offset", "NaN"]),
        (preprocessing_change(image_shape=[8, 8]), None, ["image_shape", "[8, 8]"]),
        (preprocessing_change(image_shape=[3, 8, 8]), None, ["image_shape", "64 features"]),
        (preprocessing_change(n_features="64"), None, ["n_features", "'64'"]),
        (preprocessing_change(class_names="0123456789"), None, ["class_names"]),
        (preprocessing_change(pixel_max=None), None, ["pixel_max"]),
        (lambda m: m.update(preprocessing="{"), None, ["damaged evaluation file"]),
    ],
)
def test_bad_preprocessing_in_an_evaluation_file_is_refused_by_predict(
    digits, capsys, metadata_change, arrays_change, words
):
    evaluation = digits / "run" / "evaluation.safetensors"
    edit_evaluation(evaluation, metadata_change, arrays_change)
    path = digits / "new.npz"
    np.savez(path, x=load_dataset("digits").features[:5])
    assert main(["predict", str(digits / "run"), str(path)]) == 2
    error = one_line_error(capsys)
    assert "evaluation.safetensors" in error and all(word in error for word in words), error


@pytest.mark.parametrize(
    ("metadata_change", "arrays_change", "words"),
    [
        (run_info_change([1, 2]), None, ["run: should be a table"]),
        (run_info_change({"split_sizes": [1, 2]}), None, ["run.split_sizes", "3 sample counts"]),
        (run_info_change({"weights": "best"}), None, ["run.weights"]),
        (run_info_change({"test_split": 7}), None, ["run.test_split"]),
        (None, array_change("test.labels", lambda a: a + 99), ["test.labels", "0..9"]),
        (None, array_change("misclassified.indices", lambda a: a + 10**6), ["indices"]),
        (None, array_change("misclassified.inputs", lambda a: a[:, :10]), ["inputs", "shape"]),
        (None, array_change("test.probabilities", lambda a: a[:5]), ["probabilities"]),
    ],
)
def test_bad_run_facts_in_a_stored_evaluation_file_are_refused_by_report(
    digits, capsys, metadata_change, arrays_change, words
):
    store = digits / "store"
    (evaluation,) = (store / "weights").glob("1.evaluation.safetensors")
    edit_evaluation(evaluation, metadata_change, arrays_change)
    out = digits / "report.html"
    argv = ["report", "1", "--format", "html", "--out", str(out), "--data-dir", str(store)]
    assert main(argv) == 2
    error = one_line_error(capsys)
    assert "1.evaluation.safetensors" in error and all(word in error for word in words), error
    assert not out.exists()


def test_an_untouched_run_still_reports_and_predicts(digits, capsys):
    out = digits / "report.html"
    assert main(["report", str(digits / "run"), "--format", "html", "--out", str(out)]) == 0
    argv = ["report", "1", "--format", "json", "--out", str(digits / "r.json")]
    assert main([*argv, "--data-dir", str(digits / "store")]) == 0
    path = digits / "new.npz"
    data = load_dataset("digits")
    np.savez(path, x=data.features[:20].reshape(20, 8, 8), y=data.labels[:20])
    assert main(["predict", str(digits / "run"), str(path), "--out", str(digits / "p.csv")]) == 0
