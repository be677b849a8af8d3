"""Experiments in and out of the window: files, dropped files, recorded runs, search results.

The File menu's work, and what the Runs and Search tabs ask to load; the last run's report
is written from here too. Each action says what it did in the status bar, or why it could
not in a message box, and leaves the window as it was when it fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QFileDialog

from workbench.config import (
    ExperimentError,
    experiment_from_dict,
    format_validation_error,
    load_experiment,
)
from workbench.config import save_experiment as write_experiment
from workbench.runs.artifacts import worst_images
from workbench.ui.report_export import choose_report_path, format_of, write_run_report

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


class FileActions(QObject):
    """Opens and saves experiment files and exports the last run's report, for `window`."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._experiment_path: Path | None = None

    # -- experiments ------------------------------------------------------------------------
    @Slot()
    def choose_experiment(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._window, self.tr("Open experiment"), "", self.tr("Experiment (*.toml)")
        )
        if path:
            self.open_experiment(path)

    def open_experiment(self, path: str | Path) -> bool:
        """Load a file into the panels; on a bad file, say why and keep what is shown."""
        try:
            experiment = load_experiment(path)
        except ExperimentError as error:
            self._window.warn(str(error))
            return False
        self._window.set_experiment(experiment)
        self._set_experiment_path(Path(path))
        self._window.show_status(self.tr("Opened {path}").format(path=path))
        return True

    @Slot()
    def choose_save_path(self) -> None:
        suggested = str(self._experiment_path or f"{self._window.form.name()}.toml")
        path, _ = QFileDialog.getSaveFileName(
            self._window, self.tr("Save experiment"), suggested, self.tr("Experiment (*.toml)")
        )
        if path:
            self.save_experiment(path)

    def save_experiment(self, path: str | Path) -> bool:
        """Write what the panels describe to a TOML file; say why when it cannot."""
        window = self._window
        try:
            write_experiment(window.current_experiment(), path)
        except ValidationError as error:
            window.warn(
                self.tr("Cannot save: {error}").format(error=format_validation_error(error))
            )
            return False
        except OSError as error:
            window.warn(self.tr("Cannot save {path}: {error}").format(path=path, error=error))
            return False
        self._set_experiment_path(Path(path))
        window.show_status(self.tr("Saved {path}").format(path=path))
        return True

    def _set_experiment_path(self, path: Path) -> None:
        self._experiment_path = path
        self._window.recent_files.add(path)
        self._window.setWindowTitle(self.tr("{file} – Training Workbench").format(file=path.name))

    def open_dropped(self, path: Path) -> bool:
        """A dropped .toml opens as an experiment; anything else is imported as a dataset."""
        if path.suffix.lower() == ".toml":
            return self.open_experiment(path)
        return self._window.dataset_panel.open_path(path)

    @Slot()
    def show_imported(self) -> None:
        """A dataset was imported (a file, a folder, a drop): show it on the Data tab."""
        window = self._window
        window.show_tab(window.data_preview)
        dataset = window.dataset_panel.dataset()
        window.show_status(
            self.tr("Opened dataset {name}: {samples:,} samples, {classes} classes").format(
                name=dataset.name, samples=dataset.n_samples, classes=dataset.n_classes
            )
        )

    @Slot(dict)
    def load_recorded(self, config: dict) -> None:
        """Fill the panels with a recorded run's experiment (the Runs tab's Load)."""
        try:
            experiment = experiment_from_dict(config, self.tr("the recorded run"))
        except ExperimentError as error:
            self._window.warn(str(error))
            return
        self._window.set_experiment(experiment)
        self._window.show_status(
            self.tr("Loaded the experiment of run {name}").format(name=experiment.name)
        )

    @Slot(dict)
    def apply_search_values(self, values: dict) -> None:
        """Load a search trial's values into the form (dotted setting path -> value)."""
        from workbench.search.space import SearchError, apply_values

        window = self._window
        try:
            experiment = apply_values(window.current_experiment(), values, "search result")
        except (SearchError, ValidationError) as error:
            window.warn(str(error))
            return
        window.set_experiment(experiment)
        window.show_tab(window.training_tab)
        shown = ", ".join(
            f"{path} = {value:.3g}" if isinstance(value, float) else f"{path} = {value}"
            for path, value in values.items()
        )
        window.show_status(
            self.tr(
                "Applied the best trial: {values}. Train now trains on the whole training "
                "part and evaluates the test set once."
            ).format(values=shown)
        )

    # -- what the Runs tab wrote -----------------------------------------------------------
    @Slot(str)
    def say_model_saved(self, path: str) -> None:
        self._window.show_status(self.tr("Model saved to {path}").format(path=path))

    @Slot(str)
    def say_report_saved(self, path: str) -> None:
        self._window.show_status(self.tr("Report saved to {path}").format(path=path))

    # -- the last run's report --------------------------------------------------------------
    def export_report(self, path: str | Path, fmt: str | None = None) -> Path:
        """Write the last run's report to `path`; the format follows the suffix (else JSON)."""
        controller = self._window.controller
        report, result = controller.last_report, controller.last_result
        if report is None or result is None:
            raise RuntimeError("no finished run to export")
        images = (
            worst_images(result.predictions, result.preprocessing)
            if result.preprocessing is not None
            else None
        )
        written = write_run_report(report, fmt or format_of(path), path, images)
        return written[0]

    @Slot()
    def choose_export_path(self) -> None:
        report = self._window.controller.last_report
        if report is None:
            return
        chosen = choose_report_path(self._window, f"{report['name']}-report")
        if chosen is None:
            return
        path, fmt = chosen
        try:
            written = self.export_report(path, fmt)
        except OSError as error:
            self._window.warn(
                self.tr("Cannot write {path}: {error}").format(path=path, error=error)
            )
            return
        self.say_report_saved(str(written))
