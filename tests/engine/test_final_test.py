"""The test set evaluated later, on purpose, gives what evaluating it at the end would have."""

import numpy as np
import pytest

from workbench.core import fit
from workbench.core.final_test import NotTestableError, evaluate_finished_run


def test_a_later_test_evaluation_equals_the_one_at_the_end_of_the_run(make_experiment):
    experiment = make_experiment(
        early_stopping={"enabled": True, "patience": 1, "restore_best": True}
    )
    tested_at_end = fit(experiment)
    explored = fit(experiment, evaluate_test=False)
    assert explored.test is None and explored.test_split is None  # the test set untouched
    final = evaluate_finished_run(experiment, explored)
    assert final.test == tested_at_end.test
    assert final.test_split == tested_at_end.test_split
    np.testing.assert_array_equal(
        final.predictions.probabilities, tested_at_end.predictions.probabilities
    )
    assert list(final.predictions.worst_indices) == list(tested_at_end.predictions.worst_indices)
    assert final.history == explored.history  # training is not repeated


def test_a_run_without_weights_cannot_be_tested(make_experiment):
    import dataclasses

    experiment = make_experiment(training={"epochs": 1})
    explored = dataclasses.replace(fit(experiment, evaluate_test=False), weights=None)
    with pytest.raises(NotTestableError, match="no weights"):
        evaluate_finished_run(experiment, explored)
