"""Callbacks with a lifecycle: begin with the model, end with the result, stop with a reason.

A callback is how a view or a search sees a run, so a broken one must end the run as
`failed` (never escape `fit`) and every callback must still hear how the run ended.
"""

import logging

import pytest

from workbench.core import Callback, RunContext, RunStatus, fit
from workbench.core import engine as engine_module


class Journal(Callback):
    """Writes down every hook in order, and what the lifecycle hooks were given."""

    def __init__(self):
        self.calls = []
        self.model = self.run = self.result = None

    def on_train_begin(self, model, run):
        self.calls.append("begin")
        self.model, self.run = model, run

    def on_batch_end(self, progress):
        self.calls.append("batch")
        self.batches = progress.batches

    def on_epoch_end(self, metrics):
        self.calls.append("epoch")

    def on_new_best(self, metrics, weights):
        self.calls.append("best")

    def on_train_end(self, result):
        self.calls.append("end")
        self.result = result


class Raising(Callback):
    """Raises in one named hook (a two-line message: only the first may reach the error)."""

    def __init__(self, hook, epoch=1):
        self.hook, self.epoch = hook, epoch

    def _maybe_raise(self, hook, epoch=None):
        if hook == self.hook and (epoch is None or epoch == self.epoch):
            raise RuntimeError(f"{hook} broke\nsecond line")

    def on_train_begin(self, model, run):
        self._maybe_raise("on_train_begin")

    def on_batch_end(self, progress):
        self._maybe_raise("on_batch_end", progress.epoch)

    def on_epoch_end(self, metrics):
        self._maybe_raise("on_epoch_end", metrics.epoch)

    def on_new_best(self, metrics, weights):
        self._maybe_raise("on_new_best", metrics.epoch)

    def on_train_end(self, result):
        self._maybe_raise("on_train_end")


class StopAt(Callback):
    """Asks the run to stop from on_epoch_end of `epoch` (or from on_train_begin: epoch 0)."""

    def __init__(self, epoch, reason="enough"):
        self.epoch, self.reason = epoch, reason

    def on_train_begin(self, model, run):
        self.run = run
        if self.epoch == 0:
            run.request_stop(self.reason)

    def on_epoch_end(self, metrics):
        if metrics.epoch == self.epoch:
            self.run.request_stop(self.reason)


def test_begin_comes_first_and_end_last_each_once_with_the_result_returned(make_experiment):
    journal = Journal()
    experiment = make_experiment(training={"epochs": 3})
    result = fit(experiment, [journal], progress_interval_s=0.0)
    assert result.status == RunStatus.COMPLETED
    assert journal.calls[0] == "begin" and journal.calls.count("begin") == 1
    assert journal.calls[-1] == "end" and journal.calls.count("end") == 1
    assert journal.calls.count("epoch") == 3
    assert journal.result is result and result.stop_reason is None
    run = journal.run
    assert isinstance(run, RunContext)
    assert run.experiment is experiment and run.device == "cpu" and run.epochs == 3
    assert run.batches_per_epoch == journal.batches  # what the progress events count
    assert len(run.class_names) == 10  # the digits
    assert journal.model is not None and sum(p.numel() for p in journal.model.parameters())
    with pytest.raises(AttributeError):  # read-only: no callback changes what others see
        run.epochs = 5


def test_a_new_view_counts_epochs_and_sees_the_layer_names_through_fit_alone(make_experiment):
    class LayerView(Callback):
        """A view as a panel would add one: no worker, no window, only the callback API."""

        def __init__(self):
            self.layers, self.epochs = [], 0

        def on_train_begin(self, model, run):
            self.layers = [name for name, _ in model.named_modules() if name]

        def on_epoch_end(self, metrics):
            self.epochs += 1

    view = LayerView()
    result = fit(make_experiment(training={"epochs": 2}), [view])
    assert result.status == RunStatus.COMPLETED and view.epochs == 2
    assert view.layers and all(isinstance(name, str) for name in view.layers)
    # The weights the run kept belong to the layers the view was shown.
    assert {key.rsplit(".", 1)[0] for key in result.weights} <= set(view.layers)


def test_a_callback_stops_the_run_with_its_reason_and_the_test_still_runs(make_experiment):
    result = fit(make_experiment(training={"epochs": 5}), [StopAt(2, "accuracy reached")])
    assert result.status == RunStatus.STOPPED and result.epochs_run == 2
    assert result.stop_reason == "accuracy reached"
    assert result.test is not None  # like the user's Stop: the weights are still tested


def test_a_stop_asked_before_the_first_batch_trains_nothing(make_experiment):
    journal = Journal()
    result = fit(make_experiment(), [StopAt(0, "nothing to do"), journal])
    assert result.status == RunStatus.STOPPED and result.epochs_run == 0
    assert result.stop_reason == "nothing to do"
    assert "batch" not in journal.calls and journal.calls[-1] == "end"


def test_the_first_request_is_kept_on_one_line(make_experiment):
    first, second = StopAt(1, "first reason\nwith a second line"), StopAt(1, "second")
    result = fit(make_experiment(), [first, second])
    assert result.stop_reason == "first reason"
    empty = fit(make_experiment(), [StopAt(1, "  ")])
    assert empty.status == RunStatus.STOPPED and empty.stop_reason


def test_the_users_stop_has_no_reason(make_experiment):
    import threading

    token = threading.Event()
    token.set()
    result = fit(make_experiment(), [Journal()], token)
    assert result.status == RunStatus.STOPPED and result.stop_reason is None


@pytest.mark.parametrize("hook", ["on_train_begin", "on_batch_end", "on_epoch_end", "on_new_best"])
def test_an_exception_in_any_hook_fails_the_run_and_every_callback_hears_the_end(
    make_experiment, hook
):
    journal = Journal()
    result = fit(make_experiment(training={"epochs": 3}), [Raising(hook), journal])
    assert result.status == RunStatus.FAILED
    assert result.error == f"RuntimeError: {hook} broke"
    assert result.test is None and result.stop_reason is None
    assert journal.result is result and journal.calls[-1] == "end"
    assert journal.calls.count("end") == 1
    expected_epochs = {"on_epoch_end": 1, "on_new_best": 1}.get(hook, 0)
    assert result.epochs_run == expected_epochs  # the epochs recorded before it are kept


def test_an_exception_in_on_train_end_does_not_mask_the_result(make_experiment, caplog):
    journal = Journal()
    with caplog.at_level(logging.WARNING, logger="workbench.core.engine"):
        result = fit(make_experiment(), [Raising("on_train_end"), journal])
    assert result.status == RunStatus.COMPLETED and result.error is None
    assert journal.result is result  # the callback after the broken one was still told
    assert "Raising.on_train_end failed: RuntimeError: on_train_end broke" in caplog.text

    # A failed run's own error is kept, not replaced by the later one.
    failed = fit(make_experiment(), [Raising("on_epoch_end"), Raising("on_train_end")])
    assert failed.error == "RuntimeError: on_epoch_end broke"


def test_a_run_that_fails_before_training_still_ends_for_its_callbacks(
    make_experiment, monkeypatch
):
    def no_data(config):
        raise FileNotFoundError("data.csv: no such file")

    monkeypatch.setattr(engine_module, "load_and_split", no_data)
    journal = Journal()
    result = fit(make_experiment(), [journal])
    assert result.status == RunStatus.FAILED
    assert result.error == "FileNotFoundError: data.csv: no such file"
    assert journal.calls == ["end"] and journal.result is result


def test_a_callback_with_only_the_old_hooks_still_works(make_experiment):
    class OldStyle(Callback):
        def __init__(self):
            self.epochs = 0

        def on_epoch_end(self, metrics):
            self.epochs += 1

    old = OldStyle()
    assert fit(make_experiment(), [old]).status == RunStatus.COMPLETED and old.epochs == 3
