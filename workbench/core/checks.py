"""Checks that need more than the file: is the device there, do the layers fit the data.

Everything here runs before a run is recorded: what it refuses is an `ExperimentError` (the
CLI's one line and exit 2), never a `failed` run found after training started.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from workbench.config import Experiment, ExperimentError, one_line
from workbench.core.device import resolve_device
from workbench.data.dataset import Dataset, DatasetError
from workbench.data.memory import available_memory as available_system_memory
from workbench.data.memory import size_text
from workbench.data.sources import load_source
from workbench.data.split import split_dataset, split_sizes
from workbench.i18n import _

if TYPE_CHECKING:
    import torch


class ModelSizeError(ExperimentError):
    """A model whose weights and training state cannot fit in the memory there is."""


def check_runnable(experiment: Experiment) -> None:
    """Raise `ExperimentError` naming the key when the experiment cannot start here."""
    from workbench.models import ModelShapeError, plan_model  # imports torch

    device = resolve_device(experiment.training.device)
    dataset = load_source(experiment.data)
    plan = plan_model(experiment.model, dataset.n_features, dataset.n_classes, dataset.image_shape)
    if plan.first_error:
        raise ModelShapeError(plan.first_error)
    limit = experiment.data.train_limit
    if 0 < limit < dataset.n_classes:
        raise ExperimentError(
            "data.train_limit: "
            + _("{limit} is fewer than the {classes} classes; each class needs a sample").format(
                limit=limit, classes=dataset.n_classes
            )
        )
    check_splittable(experiment, dataset)
    check_augmentable(experiment, dataset)
    check_fits_in_memory(experiment, plan.total_parameters, device, dataset)


def check_augmentable(experiment: Experiment, dataset: Dataset) -> None:
    """Augmentation moves and turns images: data without an image shape cannot take it."""
    if experiment.augmentation.enabled and dataset.image_shape is None:
        raise ExperimentError(
            "augmentation: "
            + _(
                "the data has no images to move or turn (it is a table of {features} "
                "features); set shift, rotation, zoom and shear to 0"
            ).format(features=dataset.n_features)
        )


# -- the split ------------------------------------------------------------------------------


def check_splittable(experiment: Experiment, dataset: Dataset) -> None:
    """Refuse data the stratified split cannot divide, before a run is recorded.

    The clear cases get their own message (a class with one sample; a fraction that leaves
    a part with fewer samples than classes); then the split itself is made, on row numbers
    only, so anything else it would refuse at the start of training is refused now.
    """
    data = experiment.data
    counts = np.bincount(dataset.labels, minlength=dataset.n_classes)
    lonely = [dataset.class_names[i] for i in np.flatnonzero(counts == 1)]
    if lonely:
        listed = ", ".join(repr(name) for name in lonely[:5])
        if len(lonely) > 5:
            listed = _("{listed} and {count} more").format(listed=listed, count=len(lonely) - 5)
        reason = _(
            "class {listed} has only 1 sample; a split by class needs at least 2 of each (one "
            "to train on, one to validate with)"
        ).format(listed=listed)
        raise DatasetError(one_line("data: " + reason, limit=500))
    present = int(np.count_nonzero(counts))
    own_test = dataset.test_labels is not None
    n_train, n_val, n_test = split_sizes(
        len(dataset.labels),
        data.val_fraction,
        data.test_fraction,
        own_test=len(dataset.test_labels) if dataset.test_labels is not None else None,
    )
    # One template per part, so a translation can name it in its own grammar.
    too_few_validation = _(
        "{fraction} of {samples} samples leaves {size} for validation, fewer than the "
        "{present} classes; a split by class needs one of each"
    )
    too_few_test = _(
        "{fraction} of {samples} samples leaves {size} for test, fewer than the {present} "
        "classes; a split by class needs one of each"
    )
    parts = [("data.val_fraction", data.val_fraction, too_few_validation, n_val)]
    if not own_test:
        parts.insert(0, ("data.test_fraction", data.test_fraction, too_few_test, n_test))
    for key, fraction, template, size in parts:
        if size < present:
            reason = template.format(
                fraction=f"{fraction:g}", samples=len(dataset.labels), size=size, present=present
            )
            raise DatasetError(f"{key}: {reason}")
    if n_train < present:
        raise DatasetError(
            "data: "
            + _(
                "val_fraction + test_fraction leave {n_train} training samples, fewer than the "
                "{present} classes"
            ).format(n_train=n_train, present=present)
        )
    limit = data.train_limit
    if 0 < limit < n_train and n_train - limit < present:
        # The subset is itself a split by class, and so is what it leaves out.
        raise DatasetError(
            "data.train_limit: "
            + _(
                "{limit} of the {n_train} training samples leaves out {left}, fewer than the "
                "{present} classes; use 0 (all) or at most {most}"
            ).format(
                limit=limit,
                n_train=n_train,
                left=n_train - limit,
                present=present,
                most=n_train - present,
            )
        )
    settings = (data.val_fraction, data.test_fraction, experiment.seed, data.train_limit)
    if _split_already_checked(dataset, settings):
        return
    # The very split training will make (same function, fractions and seed) on stand-in
    # features of width 0: no copy of the data, no statistics worth computing.
    stand_in = Dataset(
        name=dataset.name,
        features=np.empty((len(dataset.labels), 0), np.uint8),
        labels=dataset.labels,
        class_names=dataset.class_names,
        test_features=(
            None if dataset.test_labels is None else np.empty((len(dataset.test_labels), 0))
        ),
        test_labels=dataset.test_labels,
    )
    split_dataset(
        stand_in, data.val_fraction, data.test_fraction, experiment.seed, data.train_limit, "none"
    )
    _SPLITS_CHECKED.append((dataset.labels, dataset.test_labels, settings))
    del _SPLITS_CHECKED[:-_SPLITS_REMEMBERED]


# Splits already made without an error: the labels they were made of (the very arrays, held so
# that a new dataset can never pass for one checked before) and the settings. The window
# checks every run before it starts, on its own thread, and a comparison all its variants at
# once: 21 ms a split on MNIST's 60,000 labels, the same split each time.
_SPLITS_CHECKED: list[tuple[np.ndarray, np.ndarray | None, tuple]] = []
_SPLITS_REMEMBERED = 8


def _split_already_checked(dataset: Dataset, settings: tuple) -> bool:
    return any(
        labels is dataset.labels and test is dataset.test_labels and checked == settings
        for labels, test, checked in _SPLITS_CHECKED
    )


# -- memory ---------------------------------------------------------------------------------

# Per-parameter tensors each optimizer keeps besides the weights and their gradients
# (torch.optim: SGD's momentum buffer, Adagrad's sum, RMSprop's average, Adam's two moments).
_OPTIMIZER_STATE = {
    "sgd": 0,
    "momentum": 1,
    "nesterov": 1,
    "adagrad": 1,
    "rmsprop": 1,
    "adam": 2,
    "adamw": 2,
}
_BYTES_PER_PARAMETER = 4  # float32


def training_bytes(experiment: Experiment, parameters: int) -> int:
    """Bytes the training state takes: a floor, activations not counted.

    The weights, their gradients, the optimizer's state and, when early stopping restores
    the best epoch, a copy of the weights.
    """
    copies = 2 + _OPTIMIZER_STATE[experiment.optimizer.name]
    copies += 1 if experiment.early_stopping.restore_best else 0
    return parameters * copies * _BYTES_PER_PARAMETER


def available_memory(device: torch.device) -> int | None:
    """Bytes free for training on `device`, or None when that cannot be told."""
    if device.type == "cuda":
        import torch

        try:
            free, _total = torch.cuda.mem_get_info(device)
        except (RuntimeError, AssertionError):  # a driver that will not say
            return None
        return int(free)
    if device.type == "mps":
        return None  # shares the system's memory, but torch caps it its own way
    return available_system_memory()


def check_fits_in_memory(
    experiment: Experiment, parameters: int, device: torch.device, dataset: Dataset
) -> None:
    """Refuse a model whose training state alone cannot fit where it would train.

    The parameter count comes from the plan (meta tensors, nothing allocated); running out
    of memory mid-run instead kills the process or fails the run after it was recorded.
    """
    needed = training_bytes(experiment, parameters)
    if device.type != "cpu":
        needed += dataset.features.nbytes  # the data are copied to the device as well
    free = available_memory(device)
    if free is not None and needed > free:
        raise ModelSizeError(
            "model.layers: "
            + _(
                "{parameters} parameters need at least {needed} to train with {optimizer} "
                "(weights, gradients, optimizer state), but only {free} of memory is available "
                "on {device}"
            ).format(
                parameters=f"{parameters:,}",
                needed=size_text(needed),
                optimizer=experiment.optimizer.name,
                free=size_text(free),
                device=device,
            )
        )
