"""Prediction on new data, the evaluation kept with each run, and test-set reuse counting."""

import csv
import json

import numpy as np
import pytest
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from workbench.__main__ import main
from workbench.config import save_experiment
from workbench.core import fit
from workbench.data import split_dataset
from workbench.data.builtin import load_dataset
from workbench.data.preprocessing import Preprocessing
from workbench.data.sources import load_source
from workbench.predict.predictor import Predictor
from workbench.report import build_report
from workbench.runs import RunRecorder, RunStore
from workbench.runs.artifacts import load_evaluation, save_evaluation
from workbench.runs.trained import TrainedRunError, from_store, open_trained_run


@pytest.mark.parametrize(
    ("normalize", "scaler"), [("standard", StandardScaler), ("scale", MinMaxScaler)]
)
def test_preprocessing_matches_scikit_learn_and_survives_storage(normalize, scaler):
    x = load_dataset("digits").features[:300]
    fitted = Preprocessing.fit(normalize, x, tuple("0123456789"), (1, 8, 8))
    np.testing.assert_allclose(fitted.apply(x), scaler().fit(x).transform(x), atol=1e-5)
    stored = Preprocessing.from_stored(fitted.metadata(), fitted.arrays())
    assert stored == fitted and stored.pixel_max == 16.0
    np.testing.assert_array_equal(stored.apply(x), fitted.apply(x))


def recorded_run(store, experiment):
    recorder = RunRecorder(store, experiment)
    result = fit(experiment, [recorder])
    recorder.finish(result)
    return recorder.run_id, result


def test_the_store_counts_test_evaluations_per_split(tmp_path, make_experiment):
    store = RunStore(tmp_path)
    first, result = recorded_run(store, make_experiment())
    second, _ = recorded_run(store, make_experiment(optimizer={"lr": 0.02}))  # tuning
    other, _ = recorded_run(store, make_experiment(seed=1))  # a different split
    assert from_store(store, first).report["test_evaluations_on_split"] == 1
    assert from_store(store, second).report["test_evaluations_on_split"] == 2
    assert from_store(store, other).report["test_evaluations_on_split"] == 1
    assert store.test_evaluations(result.test_split) == 2


def test_a_stored_report_has_the_same_keys_as_a_fresh_one(tmp_path, make_experiment):
    store = RunStore(tmp_path)
    experiment = make_experiment(training={"device": "auto"})
    run_id, result = recorded_run(store, experiment)
    fresh = build_report(experiment, result, run_id=run_id, test_evaluations=1)
    stored = from_store(store, run_id).report
    assert set(stored) == set(fresh)
    assert stored["environment"] == fresh["environment"]
    for key in ("weights", "dataset", "test_split", "misclassified", "run_id"):
        assert stored[key] == fresh[key], key
    assert stored["dataset"]["split"] == {"train": 1077, "validation": 360, "test": 360}


def test_the_worst_misclassified_are_wrong_and_most_confident_first(make_experiment):
    result = fit(make_experiment(training={"epochs": 1}))
    entries = build_report(make_experiment(), result)["misclassified"]
    assert entries and all(e["true"] != e["predicted"] for e in entries)
    confidences = [e["confidence"] for e in entries]
    assert confidences == sorted(confidences, reverse=True)
    wrong = int((result.predictions.probabilities.argmax(1) != result.predictions.labels).sum())
    assert len(entries) == min(24, wrong)


@pytest.mark.parametrize(("restore", "kept"), [(True, "best"), (False, "last")])
def test_the_report_says_which_weights_were_tested(make_experiment, restore, kept):
    experiment = make_experiment(early_stopping={"restore_best": restore})
    report = build_report(experiment, fit(experiment))
    assert report["weights"]["kept"] == kept


def test_predicting_the_test_inputs_reproduces_the_test_probabilities(tmp_path, make_experiment):
    """Prediction preprocesses raw data exactly as training did."""
    store = RunStore(tmp_path)
    experiment = make_experiment(data={"normalize": "standard"})
    run_id, result = recorded_run(store, experiment)
    data = experiment.data
    split = split_dataset(load_source(data), data.val_fraction, data.test_fraction, experiment.seed)
    predictor = Predictor(from_store(store, run_id))
    probabilities = predictor.probabilities(split.x_test_raw)
    np.testing.assert_allclose(probabilities, result.predictions.probabilities, atol=1e-6)
    evaluation = store.load_evaluation(run_id)
    np.testing.assert_allclose(evaluation.predictions.probabilities, probabilities, atol=1e-6)


def test_predict_command_writes_csv_from_a_store_run_and_a_folder(
    tmp_path, make_experiment, capsys
):
    experiment = make_experiment()
    experiment_file = tmp_path / "exp.toml"
    save_experiment(experiment, experiment_file)
    data_dir, folder = tmp_path / "store", tmp_path / "out"
    assert (
        main(["run", str(experiment_file), "--out", str(folder), "--data-dir", str(data_dir)]) == 0
    )
    digits = load_dataset("digits")
    inputs = tmp_path / "new.npz"
    np.savez(inputs, x=digits.features[:40].reshape(40, 8, 8), y=digits.labels[:40])
    by_id, by_folder = tmp_path / "a.csv", tmp_path / "b.csv"
    assert (
        main(["predict", "1", str(inputs), "--out", str(by_id), "--data-dir", str(data_dir)]) == 0
    )
    assert "40 predictions" in capsys.readouterr().out
    assert main(["predict", str(folder), str(inputs), "--out", str(by_folder)]) == 0
    assert by_id.read_text() == by_folder.read_text()
    rows = list(csv.DictReader(by_id.open()))
    assert len(rows) == 40 and rows[0]["input"] == "x[0]"
    assert [r["true"] for r in rows] == [str(v) for v in digits.labels[:40]]
    total = sum(float(rows[0][f"p_{c}"]) for c in digits.class_names)
    assert total == pytest.approx(1.0, abs=1e-4)
    # The folder holds what `report` and `predict` need, and the report says whose split.
    report = json.loads((folder / "report.json").read_text())
    assert report["run_id"] == 1 and report["test_evaluations_on_split"] == 1
    assert load_evaluation(folder / "evaluation.safetensors").preprocessing.n_features == 64


def test_no_out_may_write_over_the_run_store_or_the_input(tmp_path, make_experiment, capsys):
    """`--out runs.sqlite3` once wrote predictions over every run's history."""
    experiment = make_experiment()
    experiment_file = tmp_path / "exp.toml"
    save_experiment(experiment, experiment_file)
    data_dir = tmp_path / "store"
    assert (
        main(
            ["run", str(experiment_file), "--out", str(tmp_path / "o"), "--data-dir", str(data_dir)]
        )
        == 0
    )
    inputs = tmp_path / "new.npz"
    np.savez(inputs, x=load_dataset("digits").features[:5])
    kept = {path: path.read_bytes() for path in data_dir.rglob("*") if path.is_file()}
    capsys.readouterr()
    store_db = next(path for path in kept if path.suffix == ".sqlite3")
    weights = next(path for path in kept if path.suffix == ".safetensors")
    for command in (
        ["predict", "1", str(inputs), "--out", str(store_db)],
        ["predict", "1", str(inputs), "--out", str(inputs)],
        ["report", "1", "--format", "json", "--out", str(weights)],
        [
            "runs",
            "--data-dir",
            str(data_dir),
            "export",
            "1",
            "--format",
            "safetensors",
            "--out",
            str(weights),
        ],
    ):
        if command[0] != "runs":
            command += ["--data-dir", str(data_dir)]
        assert main(command) == 2, command
        err = capsys.readouterr().err
        assert err.startswith("error: --out ") and err.count("\n") == 1, err
    assert {path: path.read_bytes() for path in kept} == kept
    assert inputs.stat().st_size > 0 and np.load(inputs)["x"].shape == (5, 64)


def test_predict_reads_csv_images_and_image_folders(tmp_path, make_experiment):
    from PIL import Image

    store = RunStore(tmp_path / "store")
    run_id, _ = recorded_run(store, make_experiment())
    predictor = Predictor(from_store(store, run_id))
    digits = load_dataset("digits")
    table = tmp_path / "rows.csv"
    with table.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["id"] + [f"p{i}" for i in range(64)] + ["digit"])
        for i in range(5):
            writer.writerow([f"s{i}", *digits.features[i], digits.labels[i]])
    from_csv = predictor.predict_path(table)
    assert from_csv.inputs.labels == [str(v) for v in digits.labels[:5]]
    np.testing.assert_allclose(
        from_csv.probabilities, predictor.probabilities(digits.features[:5]), atol=1e-6
    )
    images = tmp_path / "images" / "sub"
    images.mkdir(parents=True)
    for i in range(3):
        pixels = (digits.features[i].reshape(8, 8) * 255 / 16).astype(np.uint8)
        Image.fromarray(pixels).save(images / f"{i}.png")
    from_folder = predictor.predict_path(tmp_path / "images")
    assert from_folder.inputs.names == ["sub/0.png", "sub/1.png", "sub/2.png"]
    single = predictor.predict_path(images / "1.png")
    np.testing.assert_allclose(single.probabilities[0], from_folder.probabilities[1], atol=1e-6)


def test_bad_prediction_input_exits_2_with_one_line_naming_the_file(
    tmp_path, make_experiment, capsys
):
    store = RunStore(tmp_path / "store")
    run_id, _ = recorded_run(store, make_experiment())
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b,c\n1,2,3\n")
    argv = ["predict", str(run_id), str(wrong), "--data-dir", str(tmp_path / "store")]
    assert main(argv) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "wrong.csv" in error and "64" in error
    argv[1] = "99"
    assert main(argv) == 2
    assert "no run 99" in capsys.readouterr().err
    not_npz = tmp_path / "data.npz"
    not_npz.write_bytes(b"not a zip")
    argv[1:3] = [str(run_id), str(not_npz)]
    assert main(argv) == 2  # NumPy called it "pickled (object) data"
    assert (
        capsys.readouterr().err
        == f"error: {not_npz}: not an .npz archive (a zip file of .npy arrays)\n"
    )


def test_a_run_without_an_evaluation_file_cannot_predict_but_says_why(tmp_path, make_experiment):
    store = RunStore(tmp_path)
    run_id, _ = recorded_run(store, make_experiment())
    store.evaluation_path(run_id).unlink()
    with pytest.raises(TrainedRunError, match="train it again"):
        Predictor(open_trained_run(str(run_id), tmp_path))


def test_an_evaluation_file_is_written_whole_or_not_at_all(tmp_path, make_experiment, monkeypatch):
    result = fit(make_experiment())
    path = save_evaluation(tmp_path / "e.safetensors", result)
    before = path.read_bytes()
    from workbench import atomic

    def broken(*args, **kwargs):
        raise OSError("disk full")

    # The last step of the atomic write fails: the new bytes never reach the old file.
    monkeypatch.setattr(atomic.os, "replace", broken)
    with pytest.raises(OSError):
        save_evaluation(path, result)
    assert path.read_bytes() == before and sorted(tmp_path.iterdir()) == [path]


def test_png_digits_are_predicted_as_their_raw_rows(tmp_path, make_experiment):
    """Pixels of 0..255 in a PNG are mapped to the digits' 0..16 before the normalisation."""
    from PIL import Image

    store = RunStore(tmp_path / "store")
    experiment = make_experiment(training={"epochs": 5})
    run_id, _ = recorded_run(store, experiment)
    predictor = Predictor(from_store(store, run_id))
    data = experiment.data
    split = split_dataset(load_source(data), data.val_fraction, data.test_fraction, experiment.seed)
    rows, labels = split.x_test_raw[:80], split.y_test[:80]
    folder = tmp_path / "pngs"
    folder.mkdir()
    for i, (row, label) in enumerate(zip(rows, labels, strict=True)):
        # As a person saves a digit: its 0..16 scaled to the full 0..255 of an 8-bit image.
        pixels = np.round(row.reshape(8, 8) * 255 / 16).astype(np.uint8)
        Image.fromarray(pixels).save(folder / f"{i:03d}-{label}.png")
    from_pngs = predictor.predict_path(folder)
    from_rows = predictor.probabilities(rows)
    assert from_pngs.inputs.names[0] == "000-" + str(labels[0]) + ".png"
    np.testing.assert_array_equal(from_pngs.probabilities.argmax(1), from_rows.argmax(1))
    np.testing.assert_allclose(from_pngs.probabilities, from_rows, atol=0.02)
    accuracy = float(np.mean(from_pngs.probabilities.argmax(1) == labels))
    assert accuracy > 0.85, accuracy


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (load_dataset("digits").features[:200], (0.0, 16.0)),  # scikit-learn's 0..16
        (np.array([[0, 3], [200, 255]], np.uint8), (0.0, 255.0)),  # MNIST-like bytes
        (np.array([[0.0, 40.0], [250.0, 7.0]], np.float32), (0.0, 255.0)),  # dim 8-bit images
        (np.array([[0.0, 0.2], [0.93, 0.5]], np.float32), (0.0, 1.0)),  # floats in [0, 1]
        (np.array([[-0.9, 0.2], [0.97, 0.5]], np.float32), (-1.0, 1.0)),  # floats in [-1, 1]
    ],
)
def test_the_training_pixel_range_is_kept_and_images_are_mapped_onto_it(values, expected):
    fitted = Preprocessing.fit("standard", values, ("a", "b"), (1, 1, 2))
    assert (fitted.pixel_min, fitted.pixel_max) == expected
    stored = Preprocessing.from_stored(fitted.metadata(), fitted.arrays())
    assert (stored.pixel_min, stored.pixel_max) == expected
    black_to_white = stored.pixels_to_raw(np.array([0, 255], np.uint8))
    np.testing.assert_allclose(black_to_white, expected)


def test_an_evaluation_saved_before_pixel_min_existed_still_loads():
    fitted = Preprocessing.fit("standard", load_dataset("digits").features[:50], ("a",), (1, 8, 8))
    metadata = json.loads(fitted.metadata()["preprocessing"])
    del metadata["pixel_min"]
    old = Preprocessing.from_stored({"preprocessing": json.dumps(metadata)}, fitted.arrays())
    assert (old.pixel_min, old.pixel_max) == (0.0, 16.0)
    np.testing.assert_allclose(old.pixels_to_raw(np.array([255.0])), [16.0])


def test_colour_npz_images_may_be_channels_last_as_for_training(tmp_path):
    from workbench.predict.inputs import read_inputs

    rng = np.random.default_rng(0)
    first = rng.integers(0, 256, size=(6, 3, 4, 5)).astype(np.uint8)  # (N, C, H, W)
    preprocessing = Preprocessing.fit("standard", first.reshape(6, -1), ("a", "b"), (3, 4, 5))
    np.savez(tmp_path / "first.npz", x=first)
    np.savez(tmp_path / "last.npz", x=first.transpose(0, 2, 3, 1))  # (N, H, W, C), as Keras
    rows = read_inputs(tmp_path / "first.npz", preprocessing).features
    np.testing.assert_array_equal(rows, first.reshape(6, -1))
    np.testing.assert_array_equal(read_inputs(tmp_path / "last.npz", preprocessing).features, rows)
