"""A new view follows the window's runs from inside them, without editing the worker."""

from PySide6.QtCore import QObject, Signal

from tests.gui.conftest import run_to_end
from workbench.core import Callback, RunStatus


class _Relay(QObject):
    """Lives in the window's thread: the view's signals cross threads queued, as Qt does."""

    epoch_seen = Signal(int)


class _LayerCounter(Callback):
    """The smallest "inside the network" view: the model's layers, and the epochs seen."""

    def __init__(self, relay: _Relay, seen: dict) -> None:
        self._relay, self._seen = relay, seen

    def on_train_begin(self, model, run) -> None:
        self._seen["layers"] = [type(module).__name__ for name, module in model.named_modules()]
        self._seen["epochs_planned"] = run.epochs

    def on_epoch_end(self, metrics) -> None:
        self._seen["epochs"] = self._seen.get("epochs", 0) + 1
        self._relay.epoch_seen.emit(metrics.epoch)

    def on_train_end(self, result) -> None:
        self._seen["status"] = result.status


def test_a_view_added_to_the_window_sees_the_model_and_every_epoch(qtbot, window):
    relay, seen, shown = _Relay(), {}, []
    relay.epoch_seen.connect(shown.append)
    window.add_run_view(lambda: _LayerCounter(relay, seen))
    result = run_to_end(qtbot, window)
    qtbot.waitUntil(lambda: len(shown) == result.epochs_run, timeout=5_000)
    assert seen["epochs"] == result.epochs_run == seen["epochs_planned"]
    assert seen["status"] == RunStatus.COMPLETED
    # The model the layer list describes: its dense layers, and the output layer.
    dense = [layer for layer in window.current_experiment().model.layers if layer.type == "dense"]
    assert seen["layers"].count("Linear") == len(dense) + 1, seen["layers"]
    assert shown == list(range(1, seen["epochs"] + 1))


class _Broken(Callback):
    def on_epoch_end(self, metrics) -> None:
        raise RuntimeError("the view broke")


def test_a_view_that_raises_ends_the_run_as_failed_and_the_window_is_free_again(qtbot, window):
    window.add_run_view(_Broken)
    result = run_to_end(qtbot, window)
    assert result.status == RunStatus.FAILED and "the view broke" in result.error
    qtbot.waitUntil(lambda: window.train_button.isEnabled(), timeout=5_000)
    assert "the view broke" in window.status_text()


def test_a_failure_around_the_engine_still_ends_the_run(qtbot, window, monkeypatch):
    """Opening the record can fail too: the window must still hear that the run ended."""
    from workbench.runs import session

    def broken_recorder(*args, **kwargs):
        raise OSError("the store vanished")

    monkeypatch.setattr(session, "RunRecorder", broken_recorder)
    result = run_to_end(qtbot, window)
    assert result.status == RunStatus.FAILED and "the store vanished" in result.error
    qtbot.waitUntil(lambda: window.train_button.isEnabled(), timeout=5_000)
