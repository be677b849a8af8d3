"""What the window shows of the training controller's runs: plots, progress, results, status.

`RunDisplay` receives the controller's signals (a run started or ended, a run recorded, a
comparison done, a run tested) and the running run's events, and puts them in the panels;
it enables what may be used while a run trains (or a search does) and disables the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from workbench.core import BatchProgress, EpochMetrics, RunStatus
from workbench.ui.run_summary import describe_end
from workbench.ui.training_controller import RunEnd, Tested
from workbench.ui.worker import TrainingRun

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


class RunDisplay(QObject):
    """Shows the window's runs in its panels, as the training controller reports them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        controller = window.controller
        controller.run_started.connect(self._on_run_started)
        controller.run_ended.connect(self._on_run_ended)
        controller.recorded.connect(self._on_recorded)
        controller.comparison_done.connect(self._on_comparison_done)
        controller.tested.connect(self._on_tested)

    def set_running(self, running: bool) -> None:
        """Enable what may be used while a run trains (`running`) or not."""
        window, actions = self._window, self._window.menu_actions
        can_start = not running and not window.search_panel.is_running()
        for item in (window.train_button, window.compare_button, actions.train):
            item.setEnabled(can_start)
        window.search_panel.set_training(running)
        for item in (window.stop_button, actions.stop):
            item.setEnabled(running)
        # The experiment is fixed for the length of a run: what the panels show is what runs.
        panels = (window.dataset_panel, window.model_builder, window.form)
        for item in (*panels, *actions.while_running()):
            item.setEnabled(not running)
        has_report = window.controller.last_report is not None and not running
        for item in (window.export_button, actions.export):
            item.setEnabled(has_report)
        can_evaluate = not running and window.controller.can_evaluate()
        for item in (window.evaluate_button, actions.evaluate):
            item.setEnabled(can_evaluate)

    @Slot()
    def on_busy_changed(self) -> None:
        self.set_running(self._window.controller.run is not None)

    @Slot(bool)
    def on_search_running(self, running: bool) -> None:
        # One thing at a time on the cores: no training run while a search trains trials.
        window = self._window
        for item in (window.train_button, window.compare_button, window.menu_actions.train):
            item.setEnabled(not running and window.controller.run is None)

    @Slot(object)
    def _on_run_started(self, run: TrainingRun) -> None:
        window, controller = self._window, self._window.controller
        planned = window.previews.planned_lr_if_ready(run.experiment)
        window.plots.start_run(run.experiment.training.epochs, planned)
        window.show_tab(window.training_tab)
        window.results.show_training()
        window.progress.setRange(0, controller.progress_maximum())
        window.status_line.set_progress(controller.progress_of(None))
        # Looked up now, run by run: a test may put its own handler in its place.
        run.epoch_finished.connect(self.on_epoch_finished)
        run.batch_progress.connect(self.on_batch_progress)
        run.batch_progress.connect(window.plots.add_batches)
        self.set_running(True)

    @Slot(object)
    def on_epoch_finished(self, metrics: EpochMetrics) -> None:
        window = self._window
        window.plots.add_epoch(metrics)
        window.status_line.set_progress_soon(window.controller.progress_of(metrics))
        text = window.controller.epoch_status(metrics)
        if text is not None:
            window.status_line.show_soon(text)

    @Slot(object)
    def on_batch_progress(self, progress: BatchProgress) -> None:
        self._window.status_line.set_progress_soon(self._window.controller.progress_of(progress))

    @Slot(object)
    def _on_run_ended(self, end: RunEnd) -> None:
        window = self._window
        result, experiment = end.result, end.experiment
        window.status_line.set_progress(end.progress)
        window.plots.flush()
        self.set_running(False)
        if experiment.early_stopping.restore_best:
            window.plots.mark_best_epoch(result.best_epoch)
        window.results.show_run_end(result, experiment, window.controller.can_evaluate())
        failed = result.status == RunStatus.FAILED
        window.show_status(describe_end(result, experiment), error=failed)
        if end.record_error:
            window.show_status(
                self.tr("The run was not recorded: {error}").format(error=end.record_error),
                error=True,
            )

    @Slot(int, list)
    def _on_recorded(self, run_id: int, group: list) -> None:
        window = self._window
        window.runs_panel.add_run(run_id)
        window.predict_panel.select_run(run_id)
        # In a comparison the Runs tab overlays the variants as they finish.
        window.runs_panel.select_runs(group)

    @Slot(list)
    def _on_comparison_done(self, ids: list) -> None:
        self._window.runs_panel.select_runs(ids)
        self._window.show_tab(self._window.runs_panel)

    @Slot(object)
    def _on_tested(self, tested: Tested) -> None:
        window = self._window
        window.results.show_tested(tested.result, tested.experiment, tested.evaluations)
        window.show_tab(window.training_tab)
        self.set_running(False)
        window.show_status(describe_end(tested.result, tested.experiment))
        if tested.record_error:
            window.show_status(
                self.tr("The evaluation was not recorded: {error}").format(
                    error=tested.record_error
                ),
                error=True,
            )
        window.runs_panel.refresh()
        # Only tested runs predict: this one may now, even if the Predict tab was looked at
        # (and found none) before the test.
        if window.controller.last_run_id is not None and not tested.record_error:
            window.predict_panel.select_run(window.controller.last_run_id)
