"""The form's "Run on" (issue 22): a run on a Ray cluster fills the window as a run here does
(live curves, the decision boundary, the record, Evaluate with its weights), Stop stops it,
the choice is remembered, a bad address is refused in the dialog and an unreachable cluster
ends the run with one line naming it, nothing recorded. The Ray tests use the local instance
of tests/conftest.py (`ray` marker)."""

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QDialogButtonBox

from tests.gui.conftest import evaluate_test, start_run
from tests.gui.test_decision_boundary import choose
from workbench.app import create_window
from workbench.core import RunStatus
from workbench.runs.ray_run import RayCluster
from workbench.ui.run_on import RayClusterDialog


def choose_cluster(qtbot, window, address, cpus=1.0, accept=True, data_there=False):
    """Pick "Other Ray cluster…" like a person and fill its dialog."""
    combo = window.run_on
    seen = {}

    def fill():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RayClusterDialog), dialog
        dialog.address.setText(address)
        dialog.cpus.setValue(cpus)
        dialog.findChild(QCheckBox, "rayDataThereCheck").setChecked(data_there)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        seen["ok enabled"], seen["problem"] = ok.isEnabled(), dialog.problem.text()
        if accept and ok.isEnabled():
            ok.click()
        else:
            dialog.reject()

    QTimer.singleShot(0, fill)
    combo.activated.emit(combo.findData("other"))
    return seen


def test_runs_train_here_until_a_cluster_is_chosen(window):
    combo = window.run_on
    assert combo.currentText() == "This computer"
    assert window.controller.cluster is None
    # The row sits under the device, in the form.
    assert window.form.isAncestorOf(combo) and combo.isVisibleTo(window.form)


def test_the_dialog_refuses_an_address_without_a_port_and_keeps_the_choice(qtbot, window):
    seen = choose_cluster(qtbot, window, "headnode")
    assert not seen["ok enabled"]
    assert "HOST:PORT" in seen["problem"]
    assert window.run_on.currentText() == "This computer"
    assert window.controller.cluster is None


def test_reading_the_data_on_the_cluster_is_asked_in_the_dialog_and_remembered(qtbot, window):
    choose_cluster(qtbot, window, "10.0.0.5:6379", data_there=True)
    assert window.controller.cluster == RayCluster("10.0.0.5:6379", 1.0, 0.0, data_there=True)
    other = create_window()
    qtbot.addWidget(other)
    assert other.controller.cluster.data_there
    choose_cluster(qtbot, other, "10.0.0.5:6379", data_there=False)
    assert other.controller.cluster == RayCluster("10.0.0.5:6379", 1.0, 0.0)


def test_an_unreachable_cluster_fails_the_run_in_one_line_and_records_nothing(qtbot, window):
    seen = choose_cluster(qtbot, window, "127.0.0.1:1", cpus=2)
    assert seen["ok enabled"], seen
    assert window.run_on.currentText() == "Ray cluster at 127.0.0.1:1"
    assert window.controller.cluster == RayCluster("127.0.0.1:1", 2.0, 0.0)
    recorded = len(window.store.list_runs())
    run = start_run(qtbot, window)
    with qtbot.waitSignal(run.run_finished, timeout=30_000) as finished:
        pass
    result = finished.args[0]
    assert result.status is RunStatus.FAILED and result.history == ()
    assert result.error.startswith("the Ray cluster at 127.0.0.1:1: cannot reach the cluster")
    assert "\n" not in result.error
    assert len(window.store.list_runs()) == recorded
    # The choice is remembered by the next window; "This computer" is, too.
    other = create_window()
    qtbot.addWidget(other)
    assert other.run_on.currentText() == "Ray cluster at 127.0.0.1:1"
    assert other.controller.cluster == RayCluster("127.0.0.1:1", 2.0, 0.0)
    other.run_on.activated.emit(other.run_on.findData("computer"))
    assert QSettings().value("training/run_on") == "computer"
    assert other.controller.cluster is None


@pytest.fixture
def on_local_ray(ray_cluster, qtbot, window):
    seen = choose_cluster(qtbot, window, "local")
    assert seen["ok enabled"], seen
    yield window
    QSettings().setValue("training/run_on", "computer")  # later tests' windows train here


@pytest.mark.ray
def test_a_run_on_the_cluster_fills_the_window_and_is_recorded_here(qtbot, on_local_ray):
    window = on_local_ray
    choose(window, "spiral")
    window.form._epochs.setValue(4)
    view = window.training_tab.boundary
    window.training_tab.setCurrentWidget(view)
    run = start_run(qtbot, window)
    assert run.cluster == RayCluster("local", 1.0, 0.0)
    assert window.run_on.currentText() == "Ray, started on this computer"
    assert "Ray cluster at local" in window.status_text()
    epochs = []
    run.epoch_finished.connect(lambda metrics: epochs.append(metrics.epoch))
    with qtbot.waitSignal(run.run_finished, timeout=120_000) as finished:
        pass
    result = finished.args[0]
    assert result.status is RunStatus.COMPLETED, result.error
    assert epochs == [1, 2, 3, 4]  # live, in order, before the end
    _, val_loss = window.loss_plot.points("validation")
    assert list(val_loss) == [m.val_loss for m in result.history]
    # The boundary was drawn on the cluster and came back with the events.
    assert view.drawn_grid() is not None
    record = window.store.get_run(window.controller.last_run_id)
    assert record.status == "completed" and len(record.history) == 4
    np.testing.assert_allclose([epoch["val_loss"] for epoch in record.history], val_loss, rtol=1e-6)
    # The weights came back as safetensors: the test set evaluates them here.
    tested = evaluate_test(qtbot, window)
    assert tested.test is not None and 0.0 < tested.test.accuracy <= 1.0


@pytest.mark.ray
def test_stop_stops_a_run_on_the_cluster(qtbot, on_local_ray):
    window = on_local_ray
    window.form._epochs.setValue(100_000)
    run = start_run(qtbot, window)
    qtbot.waitSignal(run.epoch_finished, timeout=120_000).wait()
    with qtbot.waitSignal(run.run_finished, timeout=30_000) as finished:
        qtbot.mouseClick(window.stop_button, Qt.MouseButton.LeftButton)
    result = finished.args[0]
    assert result.status is RunStatus.STOPPED and len(result.history) >= 1
    record = window.store.get_run(window.controller.last_run_id)
    assert record.status == "stopped"
