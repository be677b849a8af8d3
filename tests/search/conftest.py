"""Searches small enough for 2 cores: digits, a 200-sample training subset, 1-3 epochs."""

import pytest

from tests.conftest import small_experiment
from workbench.runs.store import RunStore
from workbench.search import build_spec


def make_spec(space, name="test", experiment=None, **settings):
    """A checked spec over a tiny digits experiment; `settings` fill [search]."""
    base = experiment or small_experiment(data={"train_limit": 200})
    return build_spec(
        base,
        {"trials": 4, "epochs": 2, "workers": 1, **settings, "space": space},
        name=name,
    )


LR_SPACE = {"optimizer.lr": {"log_uniform": [1e-4, 1e-1]}}


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "data")
