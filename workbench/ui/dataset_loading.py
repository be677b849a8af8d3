"""Reading a dataset without freezing the window: a background job, a progress bar, Cancel.

`DatasetLoading.load` reads in a `workbench.ui.jobs.Job` and waits for it in a local event
loop, so the window keeps repainting (and its timers ticking) while 60,000 images are read,
yet the caller gets the dataset back as a plain return value, as before. Past a moment a
window-modal progress dialog shows, with Cancel; until then the window's input is held back
(a click on Train half-way through a load would train on the dataset being replaced).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from workbench.config import DataConfig
from workbench.data.dataset import Dataset, DatasetError
from workbench.data.sources import load_source
from workbench.ui.jobs import Job, JobState

# Input that would act on the window while it waits for the dataset.
_INPUT = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel,
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.Shortcut,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.ContextMenu,
    QEvent.Type.DragEnter,
    QEvent.Type.DragMove,
    QEvent.Type.Drop,
}


class _Load:
    """The job's function: read the dataset, telling the job how far it is. Holds no Qt."""

    def __init__(self, config: DataConfig) -> None:
        self._config = config

    def __call__(self, state: JobState) -> Dataset:
        # Cancel raises JobCancelled from the progress report, inside the importer.
        return load_source(self._config, progress=state.report_fraction)


class _HoldInput(QObject):
    """Swallows the window's input, except what goes to the progress dialog."""

    def __init__(self, dialog: QWidget) -> None:
        super().__init__()
        self._dialog = dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() not in _INPUT:
            return False
        # A shortcut's event goes to the QShortcut or QAction: judged by the widget it is of
        # (the dialog's Escape is the dialog's; the window's Ctrl+Enter is the window's).
        widget = watched if isinstance(watched, QWidget) else watched.parent()
        inside = isinstance(widget, QWidget) and (
            widget is self._dialog or self._dialog.isAncestorOf(widget)
        )
        return not inside


class DatasetLoading(QObject):
    """Reads datasets for a panel, one at a time, with a progress dialog for long reads."""

    # A read taking longer than this (ms) shows the progress dialog; quicker ones show nothing.
    SHOW_AFTER_MS = 400

    def __init__(self, widget: QWidget) -> None:
        """`widget`: the panel asking; the dialog is modal to its window."""
        super().__init__(widget)
        self._widget = widget
        self._job: Job | None = None
        self._dialog: QProgressDialog | None = None
        self._dataset: Dataset | None = None
        self._error: str | None = None
        self._cancelled = False

    def is_loading(self) -> bool:
        return self._job is not None

    def load(self, config: DataConfig) -> Dataset | None:
        """The dataset `config` names; None if the person pressed Cancel.

        Returns once it is read; the window's events go on meanwhile (a local event loop).

        Raises:
            DatasetError: why it cannot be read, in one line.
            RuntimeError: a read is already in progress.
        """
        if self._job is not None:
            raise RuntimeError("a dataset is already being read")
        self._dataset, self._error, self._cancelled = None, None, False
        job = Job(_Load(config), expected=(DatasetError,), name="datasetLoadThread", parent=self)
        dialog = self._progress_dialog(config)
        hold = _HoldInput(dialog)
        loop = QEventLoop()
        job.progress.connect(self._on_progress)
        job.succeeded.connect(self._on_loaded)
        job.errored.connect(self._on_failed)
        job.finished.connect(loop.quit)
        # Cancel, Escape, or the dialog closed: Escape is the dialog's shortcut while it is
        # the active window, else it rejects the dialog.
        dialog.canceled.connect(self.cancel)
        dialog.rejected.connect(self.cancel)
        self._job, self._dialog = job, dialog
        application = QCoreApplication.instance()
        application.installEventFilter(hold)
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        try:
            job.start()
            loop.exec()
            if not job.is_done():  # the loop was ended from outside: the application quits
                self._cancelled = True
                job.cancel()
                job.wait()
        finally:
            QApplication.restoreOverrideCursor()
            application.removeEventFilter(hold)
            self._job = self._dialog = None
            dialog.canceled.disconnect(self.cancel)
            dialog.rejected.disconnect(self.cancel)
            dialog.hide()
            dialog.deleteLater()
            job.deleteLater()
        if self._cancelled:
            return None
        if self._error is not None:
            raise DatasetError(self._error)
        dataset, self._dataset = self._dataset, None
        return dataset

    @Slot()
    def cancel(self) -> None:
        """Give up the read in progress; the dataset already shown stays."""
        if self._job is not None:
            self._cancelled = True
            self._job.cancel()

    def _progress_dialog(self, config: DataConfig) -> QProgressDialog:
        name = Path(config.path).name if config.path else config.source
        dialog = QProgressDialog(
            self.tr("Reading {name}…").format(name=name), self.tr("Cancel"), 0, 100, self._widget
        )
        dialog.setObjectName("datasetLoadProgress")
        dialog.setWindowTitle(self.tr("Opening dataset"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(self.SHOW_AFTER_MS)
        dialog.setValue(0)  # starts the timer that shows it, should the read take long
        return dialog

    @Slot(object)
    def _on_progress(self, fraction: float) -> None:
        if self._dialog is not None and not self._cancelled:
            self._dialog.setValue(round(fraction * 100))

    @Slot(object)
    def _on_loaded(self, dataset: Dataset) -> None:
        self._dataset = dataset

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._error = message
