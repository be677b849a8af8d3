"""The Inside tab draws what the probes recorded: per-layer histograms, epochs, gradient norms."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QWidget

from workbench.core.probe_types import Histogram, LayerProbe, ProbeSnapshot
from workbench.ui.inside_panel import InsidePanel

# Their runs' epochs take milliseconds: without it, which epochs are looked at depends on
# the machine's speed (probes.MAX_COST_SHARE).
pytestmark = pytest.mark.usefixtures("every_epoch_looked")


def _layer(name: str, centre: float, grad_norm: float | None, dead: float | None = None):
    edges = np.linspace(0.0, 1.0, 51)
    counts = np.zeros(50, dtype=np.int64)
    counts[int(centre * 49)] = 1000
    weights = Histogram(np.linspace(-1, 1, 41), np.r_[np.zeros(20), 7, np.zeros(19)].astype(int))
    return LayerProbe(
        name=name,
        activation="sigmoid" if dead is None else "relu",
        activations=Histogram(edges, counts),
        mean=centre,
        std=0.01,
        dead_share=dead,
        saturated_share=None if dead is not None else 0.9,
        weights=weights,
        grad_norm=grad_norm,
        update_ratio=None if grad_norm is None else 0.01,
        gradients=None,
    )


def _snapshot(epoch: int, centre: float, final: bool = True) -> ProbeSnapshot:
    norm = None if epoch == 0 else 10.0**-epoch
    return ProbeSnapshot(
        epoch=epoch,
        step=epoch * 10,
        layers=(
            _layer("1 dense (sigmoid)", centre, norm),
            _layer("2 dense (relu)", 0.2, norm, 0.25),
        ),
        final=final,
    )


def _bars(panel: InsidePanel) -> list[np.ndarray]:
    """The heights of the bar chart in each layer's histogram, left to right."""
    import pyqtgraph as pg

    heights = []
    for column in range(2):
        plot = panel.histograms.getItem(0, column)
        bars = [item for item in plot.items if isinstance(item, pg.BarGraphItem)]
        heights.append(np.asarray(bars[0].opts["height"]) if bars else np.array([]))
    return heights


def test_one_histogram_per_layer_at_the_chosen_epoch(qtbot):
    panel = InsidePanel()
    qtbot.addWidget(panel)
    panel.show()
    assert panel.empty_note.isVisible()
    panel.set_snapshots([_snapshot(0, 0.5), _snapshot(1, 0.9), _snapshot(2, 0.1)])
    assert not panel.empty_note.isVisible()
    assert panel.epoch_slider.maximum() == 2 and panel.epoch_slider.value() == 2
    first, second = _bars(panel)
    assert np.argmax(first) == int(0.1 * 49) and first.sum() == 1.0  # shares of the samples
    panel.epoch_slider.setValue(0)
    assert panel.shown_snapshot().epoch == 0
    assert np.argmax(_bars(panel)[0]) == int(0.5 * 49)
    assert "initialisation" in panel.epoch_label.text()
    title = panel.histograms.getItem(0, 1).titleLabel.text
    assert "dead 25%" in title


def test_weights_view_and_gradient_norms_on_a_log_axis(qtbot):
    panel = InsidePanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_snapshots([_snapshot(epoch, 0.5) for epoch in range(4)])
    panel.view_combo.setCurrentIndex(panel.view_combo.findData("weights"))
    assert _bars(panel)[0].max() == 1.0  # the one non-empty weight bin holds every weight
    lines = panel.grad_norm_lines()
    assert set(lines) == {"1 dense (sigmoid)", "2 dense (relu)"}
    epochs, norms = lines["1 dense (sigmoid)"]
    np.testing.assert_array_equal(epochs, [1, 2, 3])  # epoch 0 has no gradient yet
    np.testing.assert_allclose(norms, [0.1, 0.01, 0.001])
    assert panel.grad_plot.getPlotItem().ctrl.logYCheck.isChecked()
    # Whole epochs on the axis, as on the curves (a 3-epoch run once showed 1.5, 2.5).
    from tests.gui.test_training_plots import _labels

    axis = panel.grad_plot.getAxis("bottom")
    qtbot.waitUntil(lambda: bool(_labels(axis)))  # laid out once the event loop runs
    texts = [text for _, text in _labels(axis)]
    assert all(text.isdigit() for text in texts), texts


def test_live_snapshots_follow_the_run_and_are_drawn_on_the_redraw_timer(qtbot):
    panel = InsidePanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.clear()
    panel.add_snapshot(_snapshot(0, 0.5))
    panel.add_snapshot(_snapshot(1, 0.3, final=False))
    qtbot.waitUntil(lambda: panel.shown_snapshot() is not None, timeout=2000)
    qtbot.waitUntil(lambda: "during epoch 1" in panel.epoch_label.text(), timeout=2000)
    panel.add_snapshot(_snapshot(1, 0.7))
    qtbot.waitUntil(lambda: "after epoch 1" in panel.epoch_label.text(), timeout=2000)
    assert len(panel.snapshots()) == 2


def test_the_init_button_asks_for_a_probe(qtbot):
    panel = InsidePanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.probe_requested, timeout=1000):
        panel.init_button.click()


def test_the_run_doctor_lists_findings_most_serious_first_with_apply(qtbot):
    from PySide6.QtWidgets import QLabel, QPushButton

    from workbench.core.doctor import Diagnosis
    from workbench.ui.doctor_list import DoctorList

    doctor = DoctorList()
    qtbot.addWidget(doctor)
    doctor.show()
    assert "nothing to report" in doctor.findChild(QLabel, "runDoctorTitle").text()
    findings = [
        Diagnosis(
            "divergence", "problem", 1, "The loss went to 1e12.", "Try lr 1.", {"optimizer.lr": 1.0}
        ),
        Diagnosis("test_set_overused", "warning", 3, "Tested 3 times.", "Stop looking."),
    ]
    doctor.set_diagnoses(findings)
    rows = [doctor.findChild(QWidget, f"doctor_{d.id}") for d in findings]
    assert all(row is not None for row in rows)
    assert (
        "Problem" in rows[0].findChild(QLabel).text() and "1e12" in rows[0].findChild(QLabel).text()
    )
    buttons = doctor.findChildren(QPushButton, "doctorApplyButton")
    assert len(buttons) == 1  # only the finding with a form change has Apply
    with qtbot.waitSignal(doctor.apply_requested) as applied:
        buttons[0].click()
    assert applied.args == [{"optimizer.lr": 1.0}]


def test_new_numbers_for_the_same_findings_update_the_rows_without_rebuilding_them(qtbot):
    """After every epoch the doctor repeats its findings with new numbers: no relayout."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QLabel, QPushButton

    from workbench.core.doctor import Diagnosis
    from workbench.ui.doctor_list import DoctorList

    doctor = DoctorList()
    qtbot.addWidget(doctor)
    doctor.show()

    def slow(epochs, lr=0.01):
        return Diagnosis(
            "too_slow", "warning", 1, f"After {epochs} epochs.", "Raise it.", {"optimizer.lr": lr}
        )

    doctor.set_diagnoses([slow(3)])
    row = doctor.findChild(QWidget, "doctor_too_slow")
    doctor.set_diagnoses([slow(4)])
    assert doctor.findChild(QWidget, "doctor_too_slow") is row  # the same widget, kept
    assert "After 4 epochs." in row.findChild(QLabel).text()
    assert doctor.diagnoses() == [slow(4)]
    # A different change for Apply is a different row: its button must send the new one.
    doctor.set_diagnoses([slow(4, lr=0.1)])
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the old row goes
    assert len(doctor.findChildren(QPushButton, "doctorApplyButton")) == 1
    with qtbot.waitSignal(doctor.apply_requested) as applied:
        doctor.findChild(QPushButton, "doctorApplyButton").click()
    assert applied.args == [{"optimizer.lr": 0.1}]
    doctor.set_diagnoses([])
    assert "nothing to report" in doctor.findChild(QLabel, "runDoctorTitle").text()


def test_the_doctor_list_keeps_its_height_whatever_it_holds(qtbot):
    """Findings coming and going mid-run must not make the curves above shrink and grow."""
    from PySide6.QtWidgets import QLabel

    from workbench.core.doctor import Diagnosis
    from workbench.ui.doctor_list import DoctorList

    doctor = DoctorList()
    qtbot.addWidget(doctor)
    doctor.resize(500, doctor.sizeHint().height())
    doctor.show()
    placeholder = doctor.findChild(QLabel, "runDoctorPlaceholder")
    assert placeholder.isVisible() and "run doctor" in placeholder.text()
    heights = [doctor.sizeHint().height()]
    for count in (1, 3, 0, 2):
        long_text = "Saw it. " * 20
        doctor.set_diagnoses(
            [Diagnosis(f"finding_{i}", "warning", 1, long_text, "Try.") for i in range(count)]
        )
        qtbot.wait(1)
        heights.append(doctor.sizeHint().height())
        assert placeholder.isVisible() == (count == 0)
    assert len(set(heights)) == 1


def test_a_first_finding_does_not_resize_the_curves_above_the_doctor(qtbot):
    """Not even for a moment: a relaid plot redraws its axes, on the window's thread."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from workbench.core.doctor import Diagnosis
    from workbench.ui.doctor_list import DoctorList

    class Resizes(QObject):
        count = 0

        def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Resize:
                Resizes.count += 1
            return False

    page = QWidget()
    qtbot.addWidget(page)
    curves, doctor = QWidget(), DoctorList()
    layout = QVBoxLayout(page)
    layout.addWidget(curves, stretch=1)
    layout.addWidget(doctor)
    page.resize(500, 400)
    page.show()
    qtbot.waitExposed(page)
    watcher = Resizes()
    curves.installEventFilter(watcher)
    for count in (1, 0, 2, 0):
        doctor.set_diagnoses(
            [Diagnosis(f"finding_{i}", "warning", 1, "Saw it.", "Try.") for i in range(count)]
        )
        qtbot.wait(1)
    assert Resizes.count == 0


def _slow_window(qtbot, tmp_path, monkeypatch, epochs: int = 6):
    """A window on its own store, its form set to a learning rate far too small to learn."""
    from workbench.app import create_window

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "store"))
    window = create_window()
    qtbot.addWidget(window)
    window.form._epochs.setValue(epochs)
    window.form._device.setCurrentIndex(window.form._device.findData("cpu"))
    window.form._lr.setValue(1e-6)  # far too small: the doctor must say so
    return window


def _train(qtbot, window):
    """Train the form's experiment in the window, to its end; the run."""
    from tests.gui.conftest import start_run

    run = start_run(qtbot, window)
    with qtbot.waitSignal(run.run_finished, timeout=60_000):
        pass
    return run


def test_the_window_looks_inside_each_run_and_past_runs_after_a_restart(
    qtbot, tmp_path, monkeypatch
):
    from workbench.app import create_window

    window = _slow_window(qtbot, tmp_path, monkeypatch)
    _train(qtbot, window)
    window.show_tab(window.inside_panel)
    panel = window.inside_panel
    qtbot.waitUntil(lambda: [s.epoch for s in panel.snapshots()] == list(range(7)), timeout=5000)
    assert panel.shown_snapshot().epoch == 6
    ids = {d.id for d in window.doctor_list.diagnoses()}
    assert "too_slow" in ids
    # Apply the doctor's change: the form's learning rate becomes the suggested one.
    finding = next(d for d in window.doctor_list.diagnoses() if d.id == "too_slow")
    window.doctor_list.apply_requested.emit(dict(finding.changes))
    assert window.form._lr.value() == pytest.approx(finding.changes["optimizer.lr"])
    run_id = window.controller.last_run_id

    # A new window on the same store (a restart) shows the run's looks and findings.
    again = create_window()
    qtbot.addWidget(again)
    assert again.inside_panel.run_combo.findData(run_id) >= 0
    again.inside_view.show_recorded(run_id)
    assert [s.epoch for s in again.inside_panel.snapshots()] == list(range(7))
    assert "too_slow" in {d.id for d in again.inside_panel.doctor.diagnoses()}


def test_activations_at_initialisation_in_one_click(qtbot, tmp_path, monkeypatch):
    from workbench.app import create_window
    from workbench.config import Experiment

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "store"))
    window = create_window()
    qtbot.addWidget(window)
    sigmoid = {
        "type": "dense",
        "units": 100,
        "activation": "sigmoid",
        "init": "normal",
        "init_std": 1.0,
    }
    window.set_experiment(Experiment.model_validate({"model": {"layers": [sigmoid] * 5}}))
    window.show_tab(window.inside_panel)
    panel = window.inside_panel
    panel.init_button.click()
    qtbot.waitUntil(lambda: len(panel.snapshots()) == 1, timeout=30_000)
    snapshot = panel.snapshots()[0]
    assert snapshot.epoch == 0 and len(snapshot.layers) == 5
    assert snapshot.layers[-1].saturated_share > 0.4  # piled at 0 and 1, as the book shows
    assert "saturated_sigmoids" in {d.id for d in panel.doctor.diagnoses()}
    qtbot.waitUntil(panel.init_button.isEnabled, timeout=5000)


def test_a_runs_findings_are_shown_at_the_curves_pace_and_its_verdict_at_the_end(
    qtbot, tmp_path, monkeypatch
):
    # Short epochs (the digits': milliseconds each) gave the doctor's list a new verdict,
    # and the window a relayout, every epoch; now the newest is shown every REDRAW_MS.
    from tests.gui.conftest import start_run

    window = _slow_window(qtbot, tmp_path, monkeypatch, epochs=30)
    shown: list[list] = []
    original = window.doctor_list.set_diagnoses

    def counted(diagnoses):
        shown.append(list(diagnoses))
        original(diagnoses)

    monkeypatch.setattr(window.doctor_list, "set_diagnoses", counted)
    window.form._batch_size.setValue(256)
    window.form._early.setChecked(False)
    run = start_run(qtbot, window)
    heard: list[list] = []
    run.diagnosed.connect(heard.append)
    with qtbot.waitSignal(run.run_finished, timeout=60_000):
        pass
    qtbot.wait(50)
    assert len(heard) == 30  # the doctor spoke after every epoch
    assert 1 < len(shown) < len(heard) // 2, len(shown)
    verdict = list(window.controller.last_outcome.diagnoses)
    assert window.doctor_list.diagnoses() == verdict  # the end's verdict, not an epoch's
    qtbot.wait(700)  # no late epoch's list replaces it
    assert window.doctor_list.diagnoses() == verdict


def test_a_past_run_tested_from_the_runs_tab_exports_its_looks_and_findings(
    qtbot, tmp_path, monkeypatch
):
    # After a restart the run has no session outcome: its report must come from the store,
    # which kept its looks inside the network and the doctor's findings.
    from workbench.app import create_window

    window = _slow_window(qtbot, tmp_path, monkeypatch)
    _train(qtbot, window)
    qtbot.waitUntil(lambda: window.controller.last_run_id is not None, timeout=5000)
    run_id = window.controller.last_run_id

    again = create_window()  # a restart
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.controller.test_evaluated, timeout=60_000):
        again.controller.evaluate_recorded(run_id)
    report = again.controller.last_report
    assert report["test"] is not None  # the test just made
    assert report["activations"] is not None and report["activations"]["epochs"][0] == 0
    assert "too_slow" in {d["id"] for d in report["diagnoses"]}
