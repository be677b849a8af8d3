"""Data augmentation: training images changed at random, validation and test ones never."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from workbench.config import AugmentationConfig, Experiment, ExperimentError, experiment_from_dict
from workbench.core import augment as augment_module
from workbench.core.augment import ImageAugmentation
from workbench.core.checks import check_runnable
from workbench.core.engine import batch_starts, fit


def _dot_image(side: int = 16, row: int = 8, col: int = 8) -> torch.Tensor:
    image = torch.zeros(1, side, side)
    image[0, row, col] = 1.0
    return image.reshape(1, -1)


def _centre(rows: torch.Tensor, side: int) -> np.ndarray:
    """Each image's centre of mass as (row, column)."""
    images = rows.reshape(-1, side, side).numpy()
    grid_r, grid_c = np.mgrid[0:side, 0:side]
    mass = images.sum(axis=(1, 2))
    return np.stack(
        [(images * grid_r).sum(axis=(1, 2)) / mass, (images * grid_c).sum(axis=(1, 2)) / mass],
        axis=1,
    )


def test_a_shift_moves_each_image_within_its_bound_and_differently_each_time():
    side = 16
    shift = 0.25  # up to 4 pixels
    augmentation = ImageAugmentation(AugmentationConfig(shift=shift), (1, side, side), seed=0)
    batch = _dot_image(side).repeat(200, 1)
    moved = augmentation(batch)
    centres = _centre(moved, side)
    offsets = centres - np.array([8.0, 8.0])
    assert np.abs(offsets).max() <= shift * side + 0.5
    # Spread over the whole range, both ways, on both axes: not a fixed offset.
    assert offsets.min(axis=0).max() < -2 and offsets.max(axis=0).min() > 2
    again = augmentation(batch)
    assert not torch.allclose(moved, again)  # anew at each batch


def test_the_changes_are_the_seeds_alone():
    batch = torch.rand(8, 64)
    config = AugmentationConfig(shift=0.1, rotation=10, zoom=0.1, shear=10)
    first = ImageAugmentation(config, (1, 8, 8), seed=3)(batch)
    second = ImageAugmentation(config, (1, 8, 8), seed=3)(batch)
    other = ImageAugmentation(config, (1, 8, 8), seed=4)(batch)
    assert torch.equal(first, second)
    assert not torch.allclose(first, other)


def test_a_rotation_turns_a_bar_and_keeps_it_centred():
    side = 17
    image = torch.zeros(1, side, side)
    image[0, 8, 2:15] = 1.0  # a horizontal bar through the centre
    augmentation = ImageAugmentation(AugmentationConfig(rotation=90), (1, side, side), seed=1)
    turned = augmentation(image.reshape(1, -1).repeat(50, 1)).reshape(-1, side, side)
    # A bar turned by a clear angle has ink off its own row; its centre stays put.
    off_row = turned.sum(dim=(1, 2)) - turned[:, 8, :].sum(dim=1)
    assert (off_row > 1.0).float().mean() > 0.5
    assert np.allclose(_centre(turned.reshape(50, -1), side), 8.0, atol=0.6)


def _counting(monkeypatch) -> list[int]:
    """Record the batch size of every call to the augmentation."""
    sizes: list[int] = []
    original = ImageAugmentation.__call__

    def counted(self, rows):
        sizes.append(rows.shape[0])
        return original(self, rows)

    monkeypatch.setattr(augment_module.ImageAugmentation, "__call__", counted)
    return sizes


def test_only_training_batches_are_augmented(monkeypatch):
    sizes = _counting(monkeypatch)
    experiment = Experiment.model_validate(
        {
            "training": {"epochs": 2, "batch_size": 200, "device": "cpu"},
            "augmentation": {"shift": 0.1, "rotation": 10},
            "model": {"layers": [{"type": "dense", "units": 16}]},
        }
    )
    result = fit(experiment)
    assert result.status.value == "completed"
    assert result.split_sizes is not None
    train_size = result.split_sizes[0]
    # Every training batch of both epochs, each once; no validation or test chunk.
    assert len(sizes) == 2 * len(batch_starts(train_size, 200))
    assert max(sizes) == 200
    assert sum(sizes) == 2 * train_size


def test_augmentation_changes_training_and_nothing_else(monkeypatch):
    base = {
        "training": {"epochs": 2, "device": "cpu"},
        "model": {"layers": [{"type": "dense", "units": 16}]},
    }
    plain = fit(Experiment.model_validate(base))
    augmented = fit(Experiment.model_validate({**base, "augmentation": {"rotation": 15}}))
    assert plain.history[0].train_loss != augmented.history[0].train_loss
    assert plain.split_sizes == augmented.split_sizes


def test_augmenting_a_table_is_refused_naming_the_key():
    experiment = experiment_from_dict(
        {
            "data": {"source": "moons"},
            "augmentation": {"shift": 0.1},
            "training": {"device": "cpu"},
        }
    )
    with pytest.raises(ExperimentError, match=r"^augmentation: .*no images"):
        check_runnable(experiment)


@pytest.mark.parametrize(
    ("key", "value"), [("shift", -0.1), ("shift", 0.9), ("rotation", 200), ("zoom", 0.6)]
)
def test_out_of_range_settings_name_their_key(key, value):
    with pytest.raises(ExperimentError, match=rf"augmentation\.{key}"):
        experiment_from_dict({"augmentation": {key: value}})


def test_off_by_default_and_round_trips_through_toml(tmp_path):
    from workbench.config import load_experiment, save_experiment

    assert not Experiment().augmentation.enabled
    experiment = Experiment.model_validate({"augmentation": {"zoom": 0.1, "shear": 5}})
    path = tmp_path / "e.toml"
    save_experiment(experiment, path)
    assert "[augmentation]" in path.read_text(encoding="utf-8")
    assert load_experiment(path).augmentation == experiment.augmentation
