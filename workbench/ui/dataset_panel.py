"""Dataset panel: which built-in dataset, and how it is split into train / validation / test."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QWidget,
)

from workbench.config import DataConfig
from workbench.data import dataset_info, load_dataset
from workbench.data.split import split_sizes


class DatasetPanel(QGroupBox):
    """Chooses the data; emits `changed` when the number of features or classes may change."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("datasetPanel")
        self.setTitle(self.tr("Dataset"))
        self._source = QComboBox(objectName="datasetSource")
        self._source.addItem(self.tr("Handwritten digits (8x8, 10 classes)"), "digits")
        self._source.addItem(self.tr("Spiral (2-D, 3 classes, synthetic)"), "spiral")
        self._source.setToolTip(self.tr("The data the model learns from."))
        self._val = self._fraction_box("valFraction", 0.2)
        self._val.setToolTip(
            self.tr(
                "Share of the data held out to watch overfitting and choose hyperparameters. "
                "Never trained on."
            )
        )
        self._test = self._fraction_box("testFraction", 0.2)
        self._test.setToolTip(
            self.tr("Share of the data kept for the final evaluation, used once at the end.")
        )
        self._limit = QSpinBox(objectName="trainLimitSpin", minimum=0, maximum=10_000_000)
        self._limit.setSpecialValueText(self.tr("all"))
        self._limit.setSingleStep(100)
        self._limit.setToolTip(
            self.tr(
                "Train on only this many samples (a stratified subset), e.g. 300 to watch a "
                "big network overfit. Validation and test data stay the same."
            )
        )
        self._info = QLabel(objectName="datasetInfo")
        self._info.setWordWrap(True)

        layout = QFormLayout(self)
        layout.addRow(self.tr("Data"), self._source)
        layout.addRow(self.tr("Validation share"), self._val)
        layout.addRow(self.tr("Test share"), self._test)
        layout.addRow(self.tr("Training subset"), self._limit)
        layout.addRow(self._info)

        self._source.currentIndexChanged.connect(self._on_changed)
        self._val.valueChanged.connect(self._on_fraction_changed)
        self._test.valueChanged.connect(self._on_fraction_changed)
        self._limit.valueChanged.connect(self._on_changed)
        self._update_info()

    def _fraction_box(self, name: str, value: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox(objectName=name)
        # The bounds are the experiment file's: a fraction strictly between 0 and 1, and the
        # two together leave at least 20% for training (checked again by the config).
        box.setRange(0.05, 0.6)
        box.setSingleStep(0.05)
        box.setDecimals(2)
        box.setValue(value)
        return box

    def source(self) -> str:
        return self._source.currentData()

    def shape(self) -> tuple[int, int, tuple[int, int, int] | None]:
        """(features, classes, image shape or None) of the chosen dataset."""
        dataset = load_dataset(self.source())
        return dataset.n_features, dataset.n_classes, dataset.image_shape

    def samples(self) -> int:
        return load_dataset(self.source()).n_samples

    def data_config(self) -> DataConfig:
        return DataConfig(
            source=self.source(),
            val_fraction=self._val.value(),
            test_fraction=self._test.value(),
            train_limit=self._limit.value(),
        )

    def set_data_config(self, config: DataConfig) -> None:
        index = self._source.findData(config.source)
        self._source.setCurrentIndex(max(index, 0))
        self._val.setValue(config.val_fraction)
        self._test.setValue(config.test_fraction)
        self._limit.setValue(config.train_limit)

    @Slot()
    def _on_fraction_changed(self) -> None:
        # Keep the pair valid as it is edited, so the form can never hold an impossible split.
        self._val.setMaximum(round(0.8 - self._test.value(), 2))
        self._test.setMaximum(round(0.8 - self._val.value(), 2))
        self._update_info()
        self.changed.emit()

    @Slot()
    def _on_changed(self) -> None:
        self._update_info()
        self.changed.emit()  # the LR preview depends on the training size too

    def _update_info(self) -> None:
        samples, features, classes = dataset_info(self.source())
        train, val, test = split_sizes(
            samples, self._val.value(), self._test.value(), self._limit.value()
        )
        self._info.setText(
            self.tr(
                "{samples} samples, {features} features, {classes} classes\n"
                "train {train} / validation {val} / test {test}"
            ).format(
                samples=samples,
                features=features,
                classes=classes,
                train=train,
                val=val,
                test=test,
            )
        )
