"""Checks that need more than the file: is the device there, do the layers fit the data."""

from __future__ import annotations

from workbench.config import Experiment, ExperimentError
from workbench.core.device import resolve_device
from workbench.data.sources import load_source


def check_runnable(experiment: Experiment) -> None:
    """Raise `ExperimentError` naming the key when the experiment cannot start here."""
    from workbench.models import ModelShapeError, plan_model  # imports torch

    resolve_device(experiment.training.device)
    dataset = load_source(experiment.data)
    plan = plan_model(experiment.model, dataset.n_features, dataset.n_classes, dataset.image_shape)
    if plan.first_error:
        raise ModelShapeError(plan.first_error)
    limit = experiment.data.train_limit
    if 0 < limit < dataset.n_classes:
        raise ExperimentError(
            f"data.train_limit: {limit} is fewer than the {dataset.n_classes} classes; "
            "each class needs a sample"
        )
