"""Built-in and imported sources through the [data] section: sizes, noise, own test splits,
normalisation, and training on them."""

import subprocess
import sys

import numpy as np
import pytest

from workbench.config import ExperimentError, experiment_from_dict
from workbench.core import RunStatus, fit
from workbench.data import Dataset, split_dataset
from workbench.data.builtin import BUILTIN_DESCRIPTIONS, builtin_dataset
from workbench.data.sources import load_source
from workbench.data.split import split_sizes


@pytest.mark.parametrize("name", ["spiral", "moons", "circles", "xor", "blobs"])
def test_synthetic_sets_follow_samples_and_noise(name):
    data = experiment_from_dict({"data": {"source": name, "samples": 300, "noise": 0.1}}).data
    dataset = load_source(data)
    assert dataset.n_features == 2 and dataset.features.dtype == np.float32
    assert abs(dataset.n_samples - 300) <= 2  # the spiral splits the count over its arms
    assert np.bincount(dataset.labels).min() >= 90
    noisier = load_source(data.model_copy(update={"noise": 0.6}))
    assert not np.array_equal(noisier.features, dataset.features)
    again = load_source(data)
    np.testing.assert_array_equal(again.features, dataset.features)  # a dataset, not a draw


@pytest.mark.parametrize("name", ["moons", "circles", "xor", "blobs"])
def test_a_small_network_learns_each_synthetic_set(make_experiment, name):
    experiment = make_experiment(
        data={"source": name, "samples": 600, "noise": 0.1},
        training={"epochs": 40, "batch_size": 32},
    )
    result = fit(experiment)
    assert result.status == RunStatus.COMPLETED
    assert result.test.accuracy > 0.85


def _dataset_with_own_test():
    rng = np.random.default_rng(0)
    return Dataset(
        name="own-test",
        features=rng.normal(size=(200, 3)).astype(np.float32) * 5 + 10,
        labels=np.repeat([0, 1], 100),
        class_names=("a", "b"),
        test_features=rng.normal(size=(50, 3)).astype(np.float32),
        test_labels=np.repeat([0, 1], 25),
    )


def test_a_sources_own_test_split_is_kept_and_only_validation_is_carved():
    dataset = _dataset_with_own_test()
    split = split_dataset(dataset, 0.25, 0.2, seed=0, normalize="none")
    np.testing.assert_array_equal(split.x_test, dataset.test_features)
    assert (len(split.y_train), len(split.y_val), len(split.y_test)) == (150, 50, 50)
    assert split_sizes(200, 0.25, 0.2, own_test=50) == (150, 50, 50)


@pytest.mark.parametrize("normalize", ["standard", "scale", "none"])
def test_normalisation_uses_training_statistics_only(normalize):
    dataset = _dataset_with_own_test()
    split = split_dataset(dataset, 0.25, 0.2, seed=0, normalize=normalize)
    if normalize == "standard":
        assert np.abs(split.x_train.mean(axis=0)).max() < 1e-4
        assert abs(split.x_test.mean() + 2.0) < 0.5  # test data keep their own offset
    elif normalize == "scale":
        assert split.x_train.min() == pytest.approx(0) and split.x_train.max() == pytest.approx(1)
    else:
        assert split.x_train.mean() == pytest.approx(10, abs=1)
    assert split.x_train.dtype == np.float32


def test_a_class_too_small_to_split_is_named():
    dataset = Dataset(
        name="tiny",
        features=np.zeros((11, 2), dtype=np.float32),
        labels=np.array([0] * 10 + [1]),
        class_names=("a", "b"),
    )
    from workbench.data import DatasetError

    with pytest.raises(DatasetError, match="data: cannot split by class"):
        split_dataset(dataset, 0.2, 0.2, seed=0)


def test_a_file_source_needs_a_path():
    with pytest.raises(ExperimentError, match="data.path: source 'csv' needs the path"):
        experiment_from_dict({"data": {"source": "csv"}}, "x.toml")


def test_training_on_an_imported_csv(tmp_path, make_experiment):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 4))
    label = np.where(x[:, 0] + x[:, 1] > 0, "yes", "no")
    lines = ["a,b,c,d,answer"] + [
        ",".join(f"{v:.5f}" for v in row) + f",{y}" for row, y in zip(x, label, strict=True)
    ]
    path = tmp_path / "table.csv"
    path.write_text("\n".join(lines) + "\n")
    experiment = make_experiment(
        data={"source": "csv", "path": str(path)}, training={"epochs": 30, "batch_size": 32}
    )
    result = fit(experiment)
    assert result.status == RunStatus.COMPLETED, result.error
    assert [c.label for c in result.test.per_class] == ["no", "yes"]
    assert result.test.accuracy > 0.9


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args], capture_output=True, text=True, timeout=120
    )


def test_datasets_command_lists_every_builtin():
    completed = run_cli("datasets")
    assert completed.returncode == 0
    for name in BUILTIN_DESCRIPTIONS:
        assert completed.stdout.count(f"\n{name} ") + completed.stdout.startswith(name) >= 1


def test_inspect_shows_counts_and_refuses_bad_paths(tmp_path, capsys):
    from workbench.cli import inspect_command

    np.savez(tmp_path / "d.npz", x=np.zeros((30, 5)), y=np.array([0, 1, 2] * 10))
    assert inspect_command([str(tmp_path / "d.npz")]) == 0
    out = capsys.readouterr().out
    assert "30 training" in out and "classes: 3" in out
    assert inspect_command([str(tmp_path / "absent.csv")]) == 2
    err = capsys.readouterr().err
    assert "absent.csv" in err and len(err.strip().splitlines()) == 1


def test_builtin_datasets_are_cached_read_only():
    dataset = builtin_dataset("moons", 100, 0.1)
    assert builtin_dataset("moons", 100, 0.1) is dataset
    with pytest.raises(ValueError):
        dataset.features[0, 0] = 1.0


def test_the_builtin_digits_read_directly_equal_scikit_learns_load_digits():
    from sklearn.datasets import load_digits

    from workbench.data.builtin import _digits

    features, labels = load_digits(return_X_y=True)
    digits = _digits()
    np.testing.assert_array_equal(digits.features, features.astype(np.float32))
    np.testing.assert_array_equal(digits.labels, labels)
    assert digits.class_names == tuple("0123456789")


def test_a_split_holds_row_numbers_and_batches_are_normalised_as_taken():
    """The dataset is held once: parts are rows of it, normalised batch by batch."""
    import torch

    from workbench.core.rows import NormalisedRows
    from workbench.data import split_dataset
    from workbench.data.builtin import load_dataset

    dataset = load_dataset("digits")
    split = split_dataset(dataset, 0.2, 0.2, seed=0)
    assert split.features is dataset.features  # not a copy
    rows = NormalisedRows(
        torch.from_numpy(dataset.features.copy()), split.train_rows, split.preprocessing
    )
    batch = torch.tensor([5, 0, 17])
    np.testing.assert_array_equal(rows[batch].numpy(), split.x_train[[5, 0, 17]])
    np.testing.assert_array_equal(rows[0:64].numpy(), split.x_train[:64])


def test_a_provided_dataset_stands_in_for_a_file_this_machine_does_not_have(tmp_path):
    # A run sent to a cluster carries its data: there, the path may not exist.
    from workbench.config import DataConfig
    from workbench.data import DatasetError
    from workbench.data.sources import provide

    digits = load_source(DataConfig(source="digits"))
    config = DataConfig(source="npz", path=str(tmp_path / "not-here.npz"))
    provide(config, digits)
    assert load_source(config) is digits
    other = DataConfig(source="npz", path=str(tmp_path / "other.npz"))
    with pytest.raises(DatasetError):
        load_source(other)
