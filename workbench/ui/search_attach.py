"""The Search tab's "Attach to a shared study…": watch a search other machines train.

The learner gives the storage (a PostgreSQL URL, an SQLite file URL or a journal file) and
the study name, remembered for next time; a background job opens the study
(`workbench.search.attach.open_shared`) and reads it every few seconds (`watch`), and the
panel shows its search, its trials (the machine of each) and their learning curves as they
come, like a search of its own. The button then reads "Stop watching". Nothing is trained or
written to the study; Apply best and Narrow work on what is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.search.attach import StudyState
from workbench.ui.jobs import Job, JobState

if TYPE_CHECKING:
    from workbench.search.spec import SearchSpec
    from workbench.ui.search_panel import SearchPanel

_STORAGE_KEY = "search/attach_storage"
_STUDY_KEY = "search/attach_study"


class AttachDialog(QDialog):
    """Asks for the storage and the study name."""

    def __init__(self, storage: str, study: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachStudyDialog")
        self.setWindowTitle(self.tr("Attach to a shared study"))
        self.storage = QLineEdit(storage, objectName="attachStorageEdit")
        self.storage.setPlaceholderText("postgresql://user@dbhost/optuna")
        self.storage.setMinimumWidth(360)
        self.study = QLineEdit(study, objectName="attachStudyEdit")
        form = QFormLayout()
        form.addRow(self.tr("Storage"), self.storage)
        form.addRow(self.tr("Study"), self.study)
        note = QLabel(
            self.tr(
                "What every worker was given as --storage and --study. The window only "
                "reads the study: it trains nothing and changes nothing there."
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        for edit in (self.storage, self.study):
            edit.textChanged.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self) -> None:
        self._ok.setEnabled(bool(self.storage.text().strip() and self.study.text().strip()))


class StudyAttach(QObject):
    """Follows one shared study at a time for the Search panel."""

    def __init__(self, panel: SearchPanel) -> None:
        super().__init__(panel)
        self._panel = panel
        self._job: Job | None = None
        self._spec: SearchSpec | None = None
        self._where = ("", "")  # (storage, study) watched
        panel.attach_button.clicked.connect(self.toggle)

    def is_watching(self) -> bool:
        return self._job is not None

    @Slot()
    def toggle(self) -> None:
        if self._job is not None:
            self._job.cancel()  # watch() returns within 0.1 s; the job then ends
            return
        settings = QSettings()
        dialog = AttachDialog(
            str(settings.value(_STORAGE_KEY, "") or ""),
            str(settings.value(_STUDY_KEY, "") or ""),
            self._panel,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        storage, study = dialog.storage.text().strip(), dialog.study.text().strip()
        settings.setValue(_STORAGE_KEY, storage)
        settings.setValue(_STUDY_KEY, study)
        self.attach(storage, study)

    def attach(self, storage: str, study: str) -> None:
        """Start watching `study` in `storage` (what the dialog asks for)."""
        if self._job is not None:
            return

        def follow(state: JobState) -> StudyState | str:
            from workbench.search.attach import open_shared, watch
            from workbench.search.space import SearchError

            try:
                opened, spec = open_shared(storage, study)
            except SearchError as error:  # a wrong storage or study: the learner's to fix
                return str(error)
            state.report(spec)
            return watch(opened, spec, state.report, state.stop_token)

        self._where, self._spec = (storage, study), None
        job = Job(follow, name="studyWatchThread", parent=self)
        job.progress.connect(self._on_progress)
        job.succeeded.connect(self._on_ended)
        job.errored.connect(self._on_failed)
        job.finished.connect(self._on_finished)
        self._job = job
        panel = self._panel
        panel.set_watching(True)
        panel.attach_button.setText(self.tr("Stop watching"))
        opening = self.tr("Opening study {study} in {storage}…")
        panel.say(opening.format(study=study, storage=storage))
        job.start()

    @Slot(object)
    def _on_progress(self, value: Any) -> None:
        if isinstance(value, StudyState):
            self._show(value)
        else:  # the search the study holds, read first
            self._spec = value

    def _show(self, state: StudyState, ended: bool = False) -> None:
        panel, spec = self._panel, self._spec
        if spec is None:
            return
        panel.show_watched(spec, state.trials)
        panel.progress.setRange(0, state.total)
        panel.progress.setValue(min(state.done, state.total))
        storage, study = self._where
        text = self.tr(
            "Study {study} in {storage}: {done} of {total} trials done, {running} running"
        ).format(
            study=study, storage=storage, done=state.done, total=state.total, running=state.running
        )
        if state.hosts:
            text += self.tr(", on {hosts}").format(hosts=", ".join(state.hosts))
        text += "."
        if ended:
            text += " " + (
                self.tr("The search is done.")
                if state.finished
                else self.tr("Stopped watching; the search goes on.")
            )
        panel.say(text)

    @Slot(object)
    def _on_ended(self, state: StudyState | str) -> None:
        if isinstance(state, str):
            self._on_failed(state)
        else:
            self._show(state, ended=True)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._panel.say(self.tr("Cannot watch the study: {error}").format(error=message), True)

    @Slot()
    def _on_finished(self) -> None:
        self._job = None
        panel = self._panel
        panel.attach_button.setText(self.tr("Attach to a shared study…"))
        panel.set_watching(False)
