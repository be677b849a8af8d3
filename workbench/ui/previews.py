"""The previews beside the form: the learning rate a run will follow, and the data it will see.

Each asks the engine through one function rather than redoing its arithmetic: the planned
rates come from `workbench.core.schedule.planned_lr` stepping the real scheduler over the
batches `workbench.core.engine.batch_starts` gives, on the training part
`workbench.data.split.split_sizes` gives (`DatasetPanel.split_sizes`); the data preview shows
the split `workbench.data.split.split_dataset` makes.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import ValidationError
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from workbench.config import Experiment, format_validation_error, validation_problems
from workbench.data import DatasetError, split_dataset
from workbench.ui.data_preview import DataPreview
from workbench.ui.dataset_panel import DatasetPanel
from workbench.ui.hyperparameter_form import HyperparameterForm
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
        self._data_timer.start()

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
        """Show the class counts and samples of the split the panels describe."""
        if not self._warmup.is_ready():  # scikit-learn is being imported: it follows then
            return
        panel = self._dataset_panel
        config = panel.data_config()
        try:
            split = split_dataset(
                panel.dataset(),
                config.val_fraction,
                config.test_fraction,
                self._form.seed(),
                config.train_limit,
                normalize="none",  # the samples as they are
            )
        except DatasetError as error:
            self.problem.emit(str(error))
            return
        self._data_preview.show_dataset(panel.dataset(), split)
