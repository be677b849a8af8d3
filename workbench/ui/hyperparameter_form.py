"""Hyperparameter form: optimizer, learning rate, epochs, batch size, regularisation, stopping.

Each box's range is the experiment file's, so the form cannot hold a value the engine would
refuse (a negative learning rate, batch size 0, epochs 0).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from workbench.config import (
    EarlyStoppingConfig,
    Experiment,
    OptimizerConfig,
    TrainingConfig,
)
from workbench.core.device import cuda_available


def _optimizer_names() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "sgd": translate("HyperparameterForm", "SGD"),
        "momentum": translate("HyperparameterForm", "Momentum (SGD + momentum)"),
        "adagrad": translate("HyperparameterForm", "AdaGrad"),
        "rmsprop": translate("HyperparameterForm", "RMSprop"),
        "adam": translate("HyperparameterForm", "Adam"),
    }


class HyperparameterForm(QGroupBox):
    """Edits everything about a run except the data and the model."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hyperparameterForm")
        self.setTitle(self.tr("Training"))
        self._early_stopping = EarlyStoppingConfig()
        self._optimizer = OptimizerConfig()

        self._name = QLineEdit(objectName="experimentName")
        self._name.setToolTip(self.tr("A name for this run; it goes into the report."))

        self._optimizer_combo = QComboBox(objectName="optimizerCombo")
        for key, text in _optimizer_names().items():
            self._optimizer_combo.addItem(text, key)
        self._optimizer_combo.setToolTip(
            self.tr(
                "How the weights move along the gradient. Adam, RMSprop and AdaGrad adapt the "
                "step per weight; SGD uses the learning rate as it is."
            )
        )
        self._lr = QDoubleSpinBox(objectName="learningRateSpin", decimals=6)
        self._lr.setRange(0.000001, 10.0)
        self._lr.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self._lr.setToolTip(
            self.tr("Step size. Too large: the loss jumps or diverges. Too small: learning crawls.")
        )
        self._momentum = QDoubleSpinBox(objectName="momentumSpin", decimals=3, maximum=0.999)
        self._momentum.setSingleStep(0.05)
        self._momentum.setToolTip(
            self.tr("Share of the last step kept in the next: smooths and speeds up SGD.")
        )
        self._weight_decay = QDoubleSpinBox(objectName="weightDecaySpin", decimals=6)
        self._weight_decay.setRange(0.0, 1.0)
        self._weight_decay.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self._weight_decay.setToolTip(
            self.tr("L2 penalty pulling weights towards zero, against overfitting. 0 = off.")
        )
        self._epochs = QSpinBox(objectName="epochsSpin", minimum=1, maximum=100_000)
        self._epochs.setToolTip(self.tr("Passes over the training data, at most."))
        self._batch_size = QSpinBox(objectName="batchSizeSpin", minimum=1, maximum=65_536)
        self._batch_size.setToolTip(
            self.tr(
                "Samples per weight update. Small: noisy, slow steps. Large: smooth steps, "
                "more memory, fewer updates per epoch."
            )
        )
        self._early = QCheckBox(self.tr("Stop when validation loss stops improving"))
        self._early.setObjectName("earlyStoppingCheck")
        self._patience = QSpinBox(objectName="patienceSpin", minimum=1, maximum=10_000)
        self._patience.setToolTip(
            self.tr("Epochs without improvement before the run ends; the best weights are kept.")
        )
        self._device = QComboBox(objectName="deviceCombo")
        self._device.addItem(self.tr("Automatic (GPU if present)"), "auto")
        self._device.addItem(self.tr("CPU"), "cpu")
        if cuda_available():
            self._device.addItem(self.tr("CUDA GPU"), "cuda")
        self._seed = QSpinBox(objectName="seedSpin", minimum=0, maximum=2**31 - 1)
        self._seed.setToolTip(
            self.tr("Fixes the split, the initial weights and the batch order: same seed, same run")
        )

        layout = QFormLayout(self)
        layout.addRow(self.tr("Run name"), self._name)
        layout.addRow(self.tr("Optimizer"), self._optimizer_combo)
        layout.addRow(self.tr("Learning rate"), self._lr)
        layout.addRow(self.tr("Momentum"), self._momentum)
        layout.addRow(self.tr("Weight decay (L2)"), self._weight_decay)
        layout.addRow(self.tr("Epochs"), self._epochs)
        layout.addRow(self.tr("Batch size"), self._batch_size)
        layout.addRow(self._early)
        layout.addRow(self.tr("Patience"), self._patience)
        layout.addRow(self.tr("Device"), self._device)
        layout.addRow(self.tr("Seed"), self._seed)
        self._layout = layout

        self._optimizer_combo.currentIndexChanged.connect(self._update_visibility)
        self._early.toggled.connect(self._update_visibility)
        self.set_experiment(Experiment())

    def set_experiment(self, experiment: Experiment) -> None:
        self._optimizer = experiment.optimizer
        self._early_stopping = experiment.early_stopping
        self._name.setText(experiment.name)
        self._optimizer_combo.setCurrentIndex(
            self._optimizer_combo.findData(experiment.optimizer.name)
        )
        self._lr.setValue(experiment.optimizer.lr)
        self._momentum.setValue(experiment.optimizer.momentum)
        self._weight_decay.setValue(experiment.optimizer.weight_decay)
        self._epochs.setValue(experiment.training.epochs)
        self._batch_size.setValue(experiment.training.batch_size)
        self._early.setChecked(experiment.early_stopping.enabled)
        self._patience.setValue(experiment.early_stopping.patience)
        device_index = self._device.findData(experiment.training.device)
        # A file asking for CUDA on a machine without it keeps "auto" here; the engine would
        # refuse "cuda" with a clear message, and the window should still open.
        self._device.setCurrentIndex(max(device_index, 0))
        self._seed.setValue(min(experiment.seed, self._seed.maximum()))
        self._update_visibility()

    def name(self) -> str:
        return self._name.text().strip() or "experiment"

    def seed(self) -> int:
        return self._seed.value()

    def optimizer_config(self) -> OptimizerConfig:
        return OptimizerConfig(
            name=self._optimizer_combo.currentData(),
            lr=self._lr.value(),
            weight_decay=self._weight_decay.value(),
            momentum=self._momentum.value(),
        )

    def training_config(self) -> TrainingConfig:
        return TrainingConfig(
            epochs=self._epochs.value(),
            batch_size=self._batch_size.value(),
            device=self._device.currentData(),
        )

    def early_stopping_config(self) -> EarlyStoppingConfig:
        # Keys the form does not show yet (monitor, min_delta, restore_best) keep the file's.
        return self._early_stopping.model_copy(
            update={"enabled": self._early.isChecked(), "patience": self._patience.value()}
        )

    @Slot()
    def _update_visibility(self) -> None:
        uses_momentum = self._optimizer_combo.currentData() == "momentum"
        self._layout.setRowVisible(self._momentum, uses_momentum)
        self._patience.setEnabled(self._early.isChecked())
