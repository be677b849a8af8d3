"""Wires the Inside tab and the run doctor to runs: live looks, past runs, Apply, init probe.

A running run's looks inside the network (`TrainingRun.snapshot_taken`) and the doctor's list
after each epoch (`TrainingRun.diagnosed`) go to the Inside tab and to the list under the
curves. A recorded run chosen on the Inside tab is read back from the store, so past runs
show their looks and diagnoses after a restart. Apply puts a finding's change into the form;
"Activations at initialisation" probes the form's model untrained, in a background job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot

from workbench.config import ExperimentError, experiment_with
from workbench.ui.jobs import Job
from workbench.ui.live_plot import REDRAW_MS
from workbench.ui.worker import TrainingRun

if TYPE_CHECKING:
    from workbench.core.doctor import Diagnosis
    from workbench.core.probe_types import ProbeSnapshot
    from workbench.ui.main_window import MainWindow

# Runs listed on the Inside tab, newest first: enough to find a recent one quickly.
_LISTED_RUNS = 50


class InsideView(QObject):
    """Connects the window's Inside tab and run-doctor list to the controller and the store."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._probe_job: Job | None = None
        # A run's findings after each epoch are shown at the curves' pace, not every epoch:
        # short epochs (the digits': ~25 ms) made the list's rows relay out 40 times a second,
        # and the window's thread takes its time from training's through the GIL.
        self._diagnoses: list[Diagnosis] | None = None
        self._show_timer = QTimer(self, singleShot=True, interval=REDRAW_MS)
        self._show_timer.timeout.connect(self._show_diagnoses)
        inside = window.inside_panel
        window.controller.run_started.connect(self._on_run_started)
        window.controller.recorded.connect(self._on_recorded)
        inside.run_chosen.connect(self.show_recorded)
        inside.probe_requested.connect(self.probe_initialisation)
        window.doctor_list.apply_requested.connect(self.apply)
        inside.doctor.apply_requested.connect(self.apply)
        self.refresh_runs()

    def refresh_runs(self, current: int | None = None) -> None:
        store = self._window.store
        if store is None:
            return
        try:
            runs = store.list_runs()
        except Exception:  # the list is a convenience: a store problem is told elsewhere
            return
        newest = sorted(runs, key=lambda run: run.id, reverse=True)[:_LISTED_RUNS]
        self._window.inside_panel.set_runs([(run.id, run.name) for run in newest], current)

    def _list_new_run(self, run_id: int) -> None:
        """Put a run just recorded at the top of the list, without reading every run again."""
        store = self._window.store
        if store is None:
            return
        try:
            name = store.get_run(run_id).name
        except Exception:  # the list is a convenience: a store problem is told elsewhere
            return
        self._window.inside_panel.add_run(run_id, name, _LISTED_RUNS)

    @Slot(object)
    def _on_run_started(self, run: TrainingRun) -> None:
        window = self._window
        window.inside_panel.clear()
        window.doctor_list.set_diagnoses([])
        window.inside_panel.doctor.set_diagnoses([])
        self._diagnoses = None
        run.snapshot_taken.connect(window.inside_panel.add_snapshot)
        run.diagnosed.connect(self._on_diagnosed)

    @Slot(list)
    def _on_diagnosed(self, diagnoses: list) -> None:
        """The doctor's list after an epoch: the first shown at once, the rest in step."""
        first = self._diagnoses is None
        self._diagnoses = diagnoses
        if first:
            self._show_diagnoses()
        elif not self._show_timer.isActive():
            self._show_timer.start()

    @Slot()
    def _show_diagnoses(self) -> None:
        if self._diagnoses is None:
            return
        self._window.doctor_list.set_diagnoses(self._diagnoses)
        self._window.inside_panel.doctor.set_diagnoses(self._diagnoses)

    @Slot(int, list)
    def _on_recorded(self, run_id: int, _group: list) -> None:
        self._list_new_run(run_id)
        # The run's final verdict (end-only findings such as an early stop that never came),
        # as the session made it: nothing to read back from the store.
        outcome = self._window.controller.last_outcome
        if outcome is not None and outcome.run_id == run_id:
            self._show_timer.stop()  # the last epoch's list is superseded by the verdict
            diagnoses = list(outcome.diagnoses)
            self._window.inside_panel.doctor.set_diagnoses(diagnoses)
            self._window.doctor_list.set_diagnoses(diagnoses)

    @Slot(int)
    def show_recorded(self, run_id: int) -> None:
        """Show a recorded run's looks inside the network and its diagnoses."""
        from workbench.runs.diagnoses import recorded_diagnoses

        window, store = self._window, self._window.store
        if store is None:
            return
        try:
            record = store.get_run(run_id)
            snapshots = store.probes(run_id)
        except Exception as error:  # StoreError, a vanished run: say so, keep what is shown
            window.show_status(str(error), error=True)
            return
        diagnoses = recorded_diagnoses(store, record, snapshots)
        window.inside_panel.set_snapshots(snapshots)
        window.inside_panel.doctor.set_diagnoses(diagnoses)
        window.doctor_list.set_diagnoses(diagnoses)

    @Slot(dict)
    def apply(self, changes: dict) -> None:
        """Put a finding's suggested change into the form (never into a running run)."""
        window = self._window
        try:
            experiment = experiment_with(window.current_experiment(), changes)
        except (ExperimentError, ValueError) as error:
            window.warn(str(error))
            return
        window.set_experiment(experiment)
        shown = ", ".join(f"{key} = {value}" for key, value in changes.items())
        window.show_status(
            self.tr("Applied {changes}: press Train to try it.").format(changes=shown)
        )

    @Slot()
    def probe_initialisation(self) -> None:
        """Probe the form's model with its initial weights, untrained, in a background job."""
        window = self._window
        if self._probe_job is not None:
            return
        try:
            experiment = window.current_experiment()
        except ValueError as error:  # pydantic's ValidationError: the form says where
            window.show_status(str(error).splitlines()[0], error=True)
            return

        def probe() -> ProbeSnapshot:
            from workbench.core.probes import probe_at_initialisation

            return probe_at_initialisation(experiment)

        job = Job.calling(probe, name="probeThread", expected=(ExperimentError,), parent=self)
        job.succeeded.connect(self._on_probed)
        job.errored.connect(self._on_probe_failed)
        job.finished.connect(self._forget_probe)
        self._probe_job = job
        window.inside_panel.init_button.setEnabled(False)
        window.show_status(self.tr("Looking inside the untrained model…"))
        job.start()

    @Slot(object)
    def _on_probed(self, snapshot: ProbeSnapshot) -> None:
        from workbench.core.doctor import diagnose

        window = self._window
        window.inside_panel.set_snapshots([snapshot])
        try:
            experiment = window.current_experiment()
            window.inside_panel.doctor.set_diagnoses(diagnose(experiment, [], [snapshot]))
        except ValueError:
            window.inside_panel.doctor.set_diagnoses([])
        window.show_status(
            self.tr("Activations at initialisation: the model as it would start training.")
        )

    @Slot(str)
    def _on_probe_failed(self, message: str) -> None:
        self._window.show_status(
            self.tr("Cannot look inside the model: {error}").format(error=message), error=True
        )

    @Slot()
    def _forget_probe(self) -> None:
        job, self._probe_job = self._probe_job, None
        self._window.inside_panel.init_button.setEnabled(True)
        if job is not None:
            job.deleteLater()
