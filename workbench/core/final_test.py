"""The test set evaluated once, on purpose, on a finished run's weights.

While a learner explores (tries a rate, compares optimizers) runs are trained and validated
only (`fit(..., evaluate_test=False)`), so the store's count of test evaluations means what it
says: how many times a model was deliberately judged on this test set. When a run is the
final model, `evaluate_finished_run` evaluates its kept weights, exactly as `fit` would have
at the end of the run (same split, same preprocessing, same evaluation pass).
"""

from __future__ import annotations

import dataclasses

from workbench.config import Experiment
from workbench.core.device import resolve_device
from workbench.core.engine import evaluate_test_part, load_and_split
from workbench.core.events import RunResult
from workbench.errors import UserError
from workbench.models import build_model


class NotTestableError(UserError, ValueError):
    """The run kept no weights that can be tested (it failed, or diverged with no best)."""


def evaluate_finished_run(experiment: Experiment, result: RunResult) -> RunResult:
    """`result` with test metrics and predictions of the weights it kept.

    Raises:
        NotTestableError: the run has no weights to test.
    """
    if result.weights is None:
        raise NotTestableError("this run kept no weights to test")
    dataset, split = load_and_split(experiment)
    model = build_model(
        experiment.model, dataset.n_features, dataset.n_classes, dataset.image_shape
    )
    model.load_state_dict(result.weights)
    model.to(resolve_device(experiment.training.device))
    test, predictions = evaluate_test_part(model, split, None, dataset.class_names)
    return dataclasses.replace(
        result,
        test=test,
        predictions=predictions,
        test_split=split.test_fingerprint,
        preprocessing=split.preprocessing,
    )
