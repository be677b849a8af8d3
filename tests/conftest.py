"""Shared test set-up: Qt runs offscreen, and experiments small enough for 2 cores."""

import gc
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Runs recorded by the tests (and by the CLI subprocesses they start) go to a throwaway
# store, never into the user's own run history.
os.environ["WORKBENCH_DATA_DIR"] = tempfile.mkdtemp(prefix="workbench-tests-")
# Settings the tests change (QSettings: the language, the training process) stay theirs.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="workbench-tests-config-")
if os.environ.get("PYTEST_XDIST_WORKER"):
    # The suite runs in one test process per core (pytest-xdist): torch's threads in each,
    # one per core too, would spin against each other's; read as torch is imported.
    os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest  # noqa: E402

from workbench.config import experiment_from_dict  # noqa: E402
from workbench.core import Callback  # noqa: E402 - plain dataclasses: no torch

EXAMPLE = Path(__file__).resolve().parents[1] / "resources" / "examples" / "digits-adam.toml"


def small_experiment(**sections):
    """A digits experiment that trains in well under a second, with sections overridden."""
    data = {
        "name": "test",
        "seed": 0,
        "model": {"layers": [{"type": "dense", "units": 32, "activation": "relu", "init": "he"}]},
        "optimizer": {"name": "adam", "lr": 0.01},
        "training": {"epochs": 3, "batch_size": 64, "device": "cpu"},
        "early_stopping": {"enabled": False},
    }
    for key, value in sections.items():
        if isinstance(value, dict):
            data[key] = {**data.get(key, {}), **value}
        else:
            data[key] = value
    return experiment_from_dict(data)


@pytest.fixture(autouse=True)
def _collect_garbage_after_each_test():
    """The window turns automatic collection off (`workbench.ui.gc_policy`) for the process.

    Its timer runs only while an event loop does; between tests every thread has been
    joined, so collecting here, on the main thread, is what the app would have done.
    """
    yield
    if not gc.isenabled():
        gc.collect()


@pytest.fixture
def every_epoch_looked(monkeypatch):
    """The probes look after every epoch, however short (see probes.MAX_COST_SHARE).

    For tests whose runs have epochs of a few milliseconds and whose assertions need each
    epoch's look; without it, which epochs are looked at depends on the machine's speed.
    """
    import workbench.core.probes as probes

    monkeypatch.setattr(probes, "MAX_COST_SHARE", 1.0)


@pytest.fixture
def make_experiment():
    return small_experiment


def script_validation(monkeypatch, results, states=None):
    """Make the engine's validation pass return scripted (val_loss, val_accuracy) pairs.

    The test set is still evaluated for real. When `states` is a list, the model's state
    dict is appended to it at every evaluation, validation and test alike.
    """
    from workbench.core import engine

    scripted = iter(results)
    real_evaluate = engine._evaluate

    def evaluate(model, loss_fn, x, y, want_predictions=False):
        if states is not None:
            states.append({k: v.clone() for k, v in model.state_dict().items()})
        if want_predictions:
            return real_evaluate(model, loss_fn, x, y, want_predictions=True)
        return next(scripted)

    monkeypatch.setattr(engine, "_evaluate", evaluate)


@pytest.fixture(autouse=True)
def _engine_messages_in_english():
    """The engine's language is process-wide (workbench.i18n): a test that runs `main()` under
    a Japanese locale, or opens a Japanese window, must not leave the next test Japanese."""
    yield
    from workbench import i18n

    i18n.set_language(i18n.ENGLISH)


class FirstBatch(Callback):
    """A callback keeping the loss of the very first batch: computed before any step, so it
    depends only on the initial weights and on which samples the first batch holds."""

    def __init__(self):
        self.loss = None

    def on_batch_end(self, progress):
        if self.loss is None:
            self.loss = progress.losses[0]


@pytest.fixture(scope="module")
def ray_cluster():
    """A local Ray instance for a module's Ray tests (~5 s to start; the `cluster` extra).

    Per module, not per session: Ray's daemons and idle workers, left running, would slow
    every later test on 2 cores.
    """
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[cluster]')")
    from workbench.runs.ray_run import connect

    os.environ.setdefault("RAY_AUTH_MODE", "disabled")  # a private instance, loopback only
    connect("local")
    yield
    ray.shutdown()
