"""The test split is sealed in a search's trials: touching it raises, and a search never does."""

import numpy as np
import pytest

from tests.search.conftest import LR_SPACE, make_spec
from workbench.core import RunStatus, fit
from workbench.core import engine as engine_module
from workbench.core.holdout import SealedTestPart, TestSplitAccessError, seal_test_split
from workbench.data import load_dataset, split_dataset
from workbench.search import run_search


@pytest.fixture
def sealed():
    split = split_dataset(load_dataset("digits"), 0.2, 0.2, seed=0)
    return split, seal_test_split(split)


ACCESSES = {
    "x_test": lambda s: s.x_test,
    "x_test_raw": lambda s: s.x_test_raw,
    "fingerprint": lambda s: s.test_fingerprint,
    "rows": lambda s: s.rows("test")[0][:1],
    "y_test": lambda s: s.y_test[0],
    "len": lambda s: len(s.y_test),
    "numpy": lambda s: np.asarray(s.test_features),
    "shape": lambda s: s.test_rows.shape,
    "iteration": lambda s: list(s.test_rows),
}


@pytest.mark.parametrize("access", list(ACCESSES))
def test_every_way_of_reading_the_sealed_test_split_raises(sealed, access):
    split, guarded = sealed
    ACCESSES[access](split)  # the open split answers
    with pytest.raises(TestSplitAccessError, match="test split"):
        ACCESSES[access](guarded)


def test_sealing_keeps_training_and_validation_data_as_they_are(sealed):
    split, guarded = sealed
    assert guarded.features is split.features
    assert np.array_equal(guarded.x_train, split.x_train)
    assert np.array_equal(guarded.x_val, split.x_val)
    assert "sealed" in repr(guarded.test_rows)  # a debugger can still show it


def test_fit_without_the_test_evaluation_has_no_test_results(make_experiment):
    result = fit(make_experiment(), evaluate_test=False)
    assert result.status == RunStatus.COMPLETED and result.epochs_run == 3
    assert result.test is None and result.predictions is None and result.test_split is None
    assert result.split_sizes[2] > 0  # the size alone is known
    assert result.weights is not None


def test_a_run_that_reads_the_sealed_split_fails_with_the_guards_message(
    make_experiment, monkeypatch
):
    real = engine_module._Run._train_epoch

    def peeking(self, *args):
        _ = self.split.x_test  # what a careless change to the engine might do
        return real(self, *args)

    monkeypatch.setattr(engine_module._Run, "_train_epoch", peeking)
    result = fit(make_experiment(), evaluate_test=False)
    assert result.status == RunStatus.FAILED
    assert result.error.startswith("TestSplitAccessError:")
    # The same change with the test evaluation allowed reads it without complaint.
    assert fit(make_experiment(), evaluate_test=True).status == RunStatus.COMPLETED


def test_a_search_seals_every_trial_and_never_reads_the_test_split(store, monkeypatch):
    touched, sealed_splits = [], []
    real_refuse, real_seal = SealedTestPart._refuse, engine_module.seal_test_split

    def refuse(self, how):
        touched.append(how)
        real_refuse(self, how)

    def seal(split):
        sealed_splits.append(split)
        return real_seal(split)

    def no_test(*args, **kwargs):
        raise AssertionError("the test evaluation ran during a search")

    monkeypatch.setattr(SealedTestPart, "_refuse", refuse)
    monkeypatch.setattr(engine_module, "seal_test_split", seal)
    monkeypatch.setattr(engine_module._Run, "_test", no_test)
    outcome = run_search(make_spec(LR_SPACE, trials=3), store)
    assert outcome.error is None
    assert [t.status for t in outcome.trials] == ["completed"] * 3
    assert len(sealed_splits) == 3  # every trial's split was sealed
    assert touched == []  # and nothing tried to read it
    runs = store.search_runs(outcome.search_id)
    assert len(runs) == 3 and all(run.test is None for run in runs)
    assert store.test_evaluations(sealed_splits[0].test_fingerprint) == 0
