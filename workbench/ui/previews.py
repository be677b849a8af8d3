"""The previews beside the form: the learning rate a run will follow, and the data it will see.

Each asks the engine through one function rather than redoing its arithmetic: the planned
rates come from `workbench.core.schedule.planned_lr` stepping the real scheduler over the
batches `workbench.core.engine.batch_starts` gives, on the training part
`workbench.data.split.split_sizes` gives (`DatasetPanel.split_sizes`); the data preview shows
the split `workbench.data.split.split_dataset` makes. That split takes a tenth of a second on
60,000 images, so it is made in a background job (`workbench.ui.jobs`), one at a time: a
request made while one runs is served when it ends, and a result the panels have moved on
from is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from pydantic import ValidationError
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from workbench.config import Experiment, format_validation_error, validation_problems
from workbench.data import Dataset, DatasetError, split_dataset
from workbench.data.split import Split
from workbench.ui.data_preview import DataPreview
from workbench.ui.dataset_panel import DatasetPanel
from workbench.ui.hyperparameter_form import HyperparameterForm
from workbench.ui.jobs import Job
from workbench.ui.warmup import Warmup

# One-cycle moves every batch; previewing more steps than this would stall the form.
PREVIEW_MAX_STEPS = 200_000


def planned_rates(experiment: Experiment, n_train: int) -> list[float] | None:
    """The learning rate of each epoch of `experiment` on `n_train` samples; None: too long.

    Imports torch: call it once the warm-up has loaded it (see `Warmup.is_ready`).
    """
    from workbench.core.engine import batch_starts
    from workbench.core.schedule import planned_lr, steps_per_epoch

    batches = len(batch_starts(n_train, experiment.training.batch_size))
    epochs = experiment.training.epochs
    # The scheduler steps planned_lr takes, as the engine counts them.
    if epochs * steps_per_epoch(experiment.schedule, batches) > PREVIEW_MAX_STEPS:
        return None
    return planned_lr(experiment.schedule, experiment.optimizer, epochs, batches)


class Previews(QObject):
    """Keeps the form's learning-rate preview and the Data tab in step with the panels."""

    problem = Signal(str)  # the data cannot be split as set (one line, for the status bar)
    data_shown = Signal()  # the Data tab shows the split the panels describe

    def __init__(
        self,
        form: HyperparameterForm,
        dataset_panel: DatasetPanel,
        data_preview: DataPreview,
        warmup: Warmup,
        experiment: Callable[[], Experiment],
        parent: QObject | None = None,
    ) -> None:
        """`experiment`: what the panels describe now (raises pydantic's ValidationError)."""
        super().__init__(parent)
        self._form, self._dataset_panel, self._data_preview = form, dataset_panel, data_preview
        self._warmup, self._experiment = warmup, experiment
        # The data preview splits the data again: wait until a burst of edits has settled.
        self._data_timer = QTimer(self, singleShot=True, interval=250)
        self._data_timer.timeout.connect(self.update_data)
        self._data_job: Job | None = None  # the split in progress (one at a time)
        self._split_dataset: Dataset | None = None  # the dataset it splits
        # Requests for the data preview, counted: a split made for an older one is stale.
        self._data_requests = 0
        self._split_request = 0  # the request the split in progress serves
        self._split_again = False  # asked while a split ran: split once more when it ends

    def planned_lr(self, experiment: Experiment) -> list[float] | None:
        """The rates `experiment` will follow on the dataset in the panel (None: too long)."""
        n_train, _, _ = self._dataset_panel.split_sizes()
        return planned_rates(experiment, n_train)

    def planned_lr_if_ready(self, experiment: Experiment) -> list[float] | None:
        """`planned_lr`, or None while torch is still loading (it follows with `ready`)."""
        return self.planned_lr(experiment) if self._warmup.is_ready() else None

    @Slot()
    def schedule_data(self) -> None:
        """Update the data preview once the edits have settled."""
        self._data_requests += 1  # a split in progress now shows the panels as they were
        self._data_timer.start()

    def stop(self) -> None:
        """No more data previews (the window closing): `stop_all_jobs` joins the one running."""
        self._data_timer.stop()
        self._data_requests += 1
        self._split_again = False

    @Slot()
    def update_lr(self) -> None:
        """Mark the form's problems, and preview the rates of what it describes."""
        form = self._form
        try:
            experiment = self._experiment()
        except ValidationError as error:
            # Explained where it is made: the field turns red with the reason.
            form.mark_problems(validation_problems(error))
            form.set_lr_preview([], format_validation_error(error))
            return
        form.mark_problems([])
        if not self._warmup.is_ready():  # creating an optimizer now would freeze the window
            form.set_lr_preview([], self.tr("Preparing the preview…"))
            return
        rates = self.planned_lr(experiment)
        if rates is None:
            form.set_lr_preview([], self.tr("Too many steps to preview."))
        elif experiment.schedule.name == "plateau":
            form.set_lr_preview(
                rates, self.tr("Cuts depend on the validation loss: shown as if none happen.")
            )
        else:
            form.set_lr_preview(rates)

    @Slot()
    def update_data(self) -> None:
        """Split the data as the panels describe, in the background; `data_shown` follows."""
        if not self._warmup.is_ready():  # scikit-learn is being imported: it follows then
            return
        self._data_requests += 1
        if self._data_job is not None:
            self._split_again = True
            return
        panel = self._dataset_panel
        config, dataset = panel.data_config(), panel.dataset()
        split = partial(
            split_dataset,
            dataset,
            config.val_fraction,
            config.test_fraction,
            self._form.seed(),
            config.train_limit,
            normalize="none",  # the samples as they are
        )
        job = Job.calling(split, expected=(DatasetError,), name="dataPreviewThread", parent=self)
        job.succeeded.connect(self._on_split)
        job.errored.connect(self._on_split_failed)
        job.finished.connect(self._on_split_ended)
        self._data_job, self._split_dataset = job, dataset
        self._split_request = self._data_requests
        job.start()

    @Slot(object)
    def _on_split(self, split: Split) -> None:
        if self._split_request == self._data_requests and self._split_dataset is not None:
            self._data_preview.show_dataset(self._split_dataset, split)
            self.data_shown.emit()

    @Slot(str)
    def _on_split_failed(self, message: str) -> None:
        if self._split_request == self._data_requests:
            self.problem.emit(message)

    @Slot()
    def _on_split_ended(self) -> None:
        if self._data_job is not None:
            self._data_job.deleteLater()
        self._data_job = self._split_dataset = None
        if self._split_again:
            self._split_again = False
            self.update_data()
