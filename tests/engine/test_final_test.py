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


def _explored(store, experiment):
    """A run recorded as the window records it while exploring: validated, not tested."""
    from workbench.runs.recorder import RunRecorder

    recorder = RunRecorder(store, experiment)
    result = fit(experiment, [recorder], evaluate_test=False)
    recorder.finish(result)
    return recorder.run_id


def test_a_recorded_run_is_tested_later_as_it_would_have_been_at_its_end(tmp_path, make_experiment):
    from workbench.runs.final_test import evaluate_stored_run
    from workbench.runs.store import RunStore
    from workbench.runs.trained import from_store

    store = RunStore(tmp_path)
    experiment = make_experiment(training={"epochs": 3})
    earlier = _explored(store, experiment)
    later = _explored(store, make_experiment(training={"epochs": 3}, optimizer={"lr": 0.02}))
    tested_at_end = fit(experiment)
    # The later run is chosen and tested first; the earlier one after it.
    _, first_look = evaluate_stored_run(store, later)
    _, second_look = evaluate_stored_run(store, earlier)
    assert second_look.result.test == tested_at_end.test
    assert (first_look.evaluations, second_look.evaluations) == (1, 2)
    # The count follows the order of the looks, not the runs' ids.
    assert from_store(store, later).report["test_evaluations_on_split"] == 1
    assert from_store(store, earlier).report["test_evaluations_on_split"] == 2


def test_a_recorded_run_is_not_tested_twice_and_the_command_says_why(
    tmp_path, make_experiment, capsys
):
    from workbench.runs.cli import runs_command
    from workbench.runs.store import RunStore

    store = RunStore(tmp_path)
    run_id = _explored(store, make_experiment(training={"epochs": 2}))
    assert runs_command(["--data-dir", str(tmp_path), "test", str(run_id)]) == 0
    printed = capsys.readouterr().out
    accuracy = store.get_run(run_id).test["accuracy"]
    assert f"test accuracy {accuracy:.4f}" in printed
    assert "evaluated on this test set so far: 1" in printed
    assert runs_command(["--data-dir", str(tmp_path), "test", str(run_id)]) == 2
    error = capsys.readouterr().err.strip()
    assert error == f"error: run {run_id} was already evaluated on the test set (accuracy " + (
        f"{accuracy:.4f})"
    )
    assert runs_command(["--data-dir", str(tmp_path), "test", "99"]) == 2
    assert "no run 99" in capsys.readouterr().err
