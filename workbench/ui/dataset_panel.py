"""Dataset panel: pick a built-in dataset or import one, and decide how it is split.

Loading happens here, once per change of source, in a background job with a progress bar
(`workbench.ui.dataset_loading`), so a bad file is refused with its reason, and a cancelled
read leaves nothing changed: the dataset already shown stays in place.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QMenu,
    QSlider,
    QSpinBox,
    QToolButton,
    QWidget,
)

from workbench.config import BUILTIN_SOURCES, DataConfig
from workbench.data.dataset import Dataset, DatasetError
from workbench.data.importers import detect_kind
from workbench.data.sources import load_source
from workbench.data.split import split_sizes
from workbench.ui.dataset_loading import DatasetLoading


def _builtin_names() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "digits": translate("DatasetPanel", "Handwritten digits (8x8, 10 classes)"),
        "spiral": translate("DatasetPanel", "Spiral (2-D, 3 classes)"),
        "moons": translate("DatasetPanel", "Moons (2-D, 2 classes)"),
        "circles": translate("DatasetPanel", "Circles (2-D, 2 classes)"),
        "xor": translate("DatasetPanel", "XOR (2-D, 2 classes)"),
        "blobs": translate("DatasetPanel", "Gaussian blobs (2-D, 3 classes)"),
    }


_IMPORTED = "imported"  # the combo entry of the dataset opened from disk


class DatasetPanel(QGroupBox):
    """Chooses the data; `changed` is emitted after a new dataset or split is in place."""

    changed = Signal()
    error = Signal(str)  # a dataset that could not be loaded, one line
    notice = Signal(str)  # a line for the status bar (a read cancelled)
    imported = Signal()  # a dataset from disk is in place

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("datasetPanel")
        self.setTitle(self.tr("Dataset"))
        self._config = DataConfig()
        # The default dataset is small and built in: read here, before any window exists.
        self._dataset: Dataset = load_source(self._config)
        self._loading = False
        self._reader = DatasetLoading(self)

        self._source = QComboBox(objectName="datasetSource")
        for key, text in _builtin_names().items():
            self._source.addItem(text, key)
        self._source.setToolTip(self.tr("The data the model learns from."))
        self._open = QToolButton(objectName="openDatasetButton", text=self.tr("Open…"))
        self._open.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._open.setToolTip(
            self.tr("Import a dataset: MNIST IDX folder, CSV, NPZ, or a folder of images.")
        )
        menu = QMenu(self._open)
        for text, slot in (
            (self.tr("Data file (CSV, NPZ)…"), self.choose_file),
            (self.tr("Folder (MNIST IDX files, or one sub-folder per class)…"), self.choose_folder),
        ):
            action = QAction(text, menu)
            action.triggered.connect(slot)
            menu.addAction(action)
        self._open.setMenu(menu)

        self._noise = QSlider(Qt.Orientation.Horizontal, objectName="noiseSlider")
        self._noise.setRange(0, 100)
        self._noise.setToolTip(self.tr("How much the classes blur into each other (0 to 1)."))
        self._noise_label = QLabel()
        self._samples = QSpinBox(objectName="samplesSpin", minimum=20, maximum=100_000)
        self._samples.setSingleStep(100)
        self._samples.setToolTip(self.tr("Points generated for the synthetic dataset."))
        self._label_column = QComboBox(objectName="labelColumnCombo")
        self._label_column.setToolTip(self.tr("The CSV column that holds the class."))
        self._image_height = QSpinBox(objectName="imageHeightSpin", minimum=4, maximum=1024)
        self._image_width = QSpinBox(objectName="imageWidthSpin", minimum=4, maximum=1024)
        for box in (self._image_height, self._image_width):
            box.setToolTip(self.tr("Every image is resized to this height and width."))
        self._grayscale = QCheckBox(self.tr("Grayscale"), objectName="grayscaleCheck")

        self._normalize = QComboBox(objectName="normalizeCombo")
        for key, text in (
            ("standard", self.tr("Standardise (mean 0, std 1)")),
            ("scale", self.tr("Scale to [0, 1]")),
            ("none", self.tr("None")),
        ):
            self._normalize.addItem(text, key)
        self._normalize.setToolTip(
            self.tr("Rescale the features, with statistics of the training part only.")
        )
        self._val = self._fraction_box("valFraction")
        self._val.setToolTip(
            self.tr(
                "Share of the training data held out to watch overfitting and choose "
                "hyperparameters. Never trained on."
            )
        )
        self._test = self._fraction_box("testFraction")
        self._test.setToolTip(
            self.tr(
                "Share of the data locked away for the final evaluation, used once at the end "
                "(unless the source brings its own test set)."
            )
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
        layout.addRow(self._open)
        layout.addRow(self._noise_label, self._noise)
        layout.addRow(self.tr("Samples"), self._samples)
        layout.addRow(self.tr("Label column"), self._label_column)
        layout.addRow(self.tr("Image height"), self._image_height)
        layout.addRow(self.tr("Image width"), self._image_width)
        layout.addRow(self._grayscale)
        layout.addRow(self.tr("Normalise"), self._normalize)
        layout.addRow(self.tr("Validation share"), self._val)
        layout.addRow(self.tr("Test share"), self._test)
        layout.addRow(self.tr("Training subset"), self._limit)
        layout.addRow(self._info)
        self._layout = layout

        self._source.currentIndexChanged.connect(self._on_source_chosen)
        self._noise.sliderReleased.connect(self._reload)
        self._noise.valueChanged.connect(self._on_noise_moved)
        for box in (self._samples, self._image_height, self._image_width):
            box.editingFinished.connect(self._reload)
        self._label_column.activated.connect(self._reload)
        self._grayscale.toggled.connect(self._reload)
        for widget in (self._val, self._test, self._limit):
            widget.valueChanged.connect(self._on_split_changed)
        self._normalize.currentIndexChanged.connect(self._on_split_changed)
        self.set_data_config(self._config)

    @staticmethod
    def _fraction_box(name: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox(objectName=name)
        # The bounds are the experiment file's: a fraction strictly between 0 and 1, and the
        # two together leave at least 20% for training (checked again by the config).
        box.setRange(0.05, 0.6)
        box.setSingleStep(0.05)
        box.setDecimals(2)
        return box

    # -- what the window reads ----------------------------------------------------------------
    def dataset(self) -> Dataset:
        return self._dataset

    def shape(self) -> tuple[int, int, tuple[int, int, int] | None]:
        """(features, classes, image shape or None) of the loaded dataset."""
        return self._dataset.n_features, self._dataset.n_classes, self._dataset.image_shape

    def samples(self) -> int:
        return self._dataset.n_samples

    def split_sizes(self) -> tuple[int, int, int]:
        config = self.data_config()
        own_test = len(self._dataset.test_labels) if self._dataset.has_test_split else None
        return split_sizes(
            self._dataset.n_samples,
            config.val_fraction,
            config.test_fraction,
            config.train_limit,
            own_test,
        )

    def data_config(self) -> DataConfig:
        return self._config.model_copy(
            update={
                "normalize": self._normalize.currentData(),
                "val_fraction": self._val.value(),
                "test_fraction": self._test.value(),
                "train_limit": self._limit.value(),
            }
        )

    # -- what changes it ------------------------------------------------------------------------
    def set_data_config(self, config: DataConfig) -> bool:
        """Load the dataset the config names; on failure say why and keep the current one.

        A read from disk runs in the background with a progress bar; Cancel keeps the
        current dataset (and returns False). While one read runs, another is refused.
        """
        if self._reader.is_loading() or not self._load(config):
            return False
        self._loading = True
        try:
            self._show_source(config)
            self._normalize.setCurrentIndex(max(self._normalize.findData(config.normalize), 0))
            self._val.setValue(config.val_fraction)
            self._test.setValue(config.test_fraction)
            self._limit.setValue(config.train_limit)
        finally:
            self._loading = False
        self._update_visibility()
        self._update_info()
        self.changed.emit()
        return True

    def open_path(self, path: str | Path) -> bool:
        """Import a file or folder (its kind found from what it holds)."""
        path = Path(path)
        try:
            kind = detect_kind(path)
        except DatasetError as error:
            self._refuse(str(error))
            return False
        opened = self.set_data_config(
            self.data_config().model_copy(update={"source": kind, "path": str(path)})
        )
        if opened:
            self.imported.emit()
        return opened

    @Slot()
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open dataset"), "", self.tr("Data files (*.csv *.npz)")
        )
        if path:
            self.open_path(path)

    @Slot()
    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Open dataset folder"))
        if path:
            self.open_path(path)

    # -- internals ------------------------------------------------------------------------------
    def is_loading(self) -> bool:
        """Whether a dataset is being read (its progress dialog may show)."""
        return self._reader.is_loading()

    def _load(self, config: DataConfig) -> bool:
        try:
            dataset = self._reader.load(config)
        except DatasetError as error:
            self._refuse(str(error))
            return False
        if dataset is None:  # cancelled
            self._show_loaded_source()
            self.notice.emit(self.tr("Opening cancelled: the dataset shown is kept."))
            return False
        self._config, self._dataset = config, dataset
        return True

    def _refuse(self, message: str) -> None:
        self._show_loaded_source()
        self.error.emit(message)

    def _show_loaded_source(self) -> None:
        self._loading = True
        try:
            self._show_source(self._config)  # back to what is still loaded
        finally:
            self._loading = False

    def _show_source(self, config: DataConfig) -> None:
        index = self._source.findData(_IMPORTED)
        if config.source in BUILTIN_SOURCES:
            if index >= 0:
                self._source.removeItem(index)
            self._source.setCurrentIndex(self._source.findData(config.source))
        else:
            text = self.tr("Imported: {name}").format(name=Path(config.path).name)
            if index < 0:
                self._source.addItem(text, _IMPORTED)
                index = self._source.count() - 1
            self._source.setItemText(index, text)
            self._source.setItemData(index, config.path, Qt.ItemDataRole.ToolTipRole)
            self._source.setCurrentIndex(index)
        self._noise.setValue(round(min(config.noise, 1.0) * 100))
        self._samples.setValue(config.samples)
        self._image_height.setValue(config.image_size[0])
        self._image_width.setValue(config.image_size[1])
        self._grayscale.setChecked(config.grayscale)
        self._label_column.clear()
        if config.source == "csv":
            self._label_column.addItems(self._csv_columns(config.path))
            chosen = config.label_column or self._label_column.itemText(
                self._label_column.count() - 1
            )
            self._label_column.setCurrentText(chosen)
        self._on_noise_moved(self._noise.value())

    @staticmethod
    def _csv_columns(path: str) -> list[str]:
        try:
            with open(path, encoding="utf-8") as handle:
                header = handle.readline()
        except OSError:
            return []
        return [name.strip() for name in header.strip().split(",") if name.strip()]

    def _update_visibility(self) -> None:
        source = self._config.source
        synthetic = source in BUILTIN_SOURCES and source != "digits"
        rows = {
            self._noise: synthetic,
            self._samples: synthetic,
            self._label_column: source == "csv",
            self._image_height: source == "folder",
            self._image_width: source == "folder",
            self._grayscale: source == "folder",
            self._test: not self._dataset.has_test_split,
        }
        for widget, visible in rows.items():
            self._layout.setRowVisible(widget, visible)

    @Slot(int)
    def _on_source_chosen(self, index: int) -> None:
        key = self._source.itemData(index)
        if self._loading or key == _IMPORTED or key == self._config.source:
            return
        self.set_data_config(self.data_config().model_copy(update={"source": key, "path": ""}))

    @Slot(int)
    def _on_noise_moved(self, value: int) -> None:
        self._noise_label.setText(self.tr("Noise {value:.2f}").format(value=value / 100))
        if not self._noise.isSliderDown() and not self._loading:
            self._reload()

    @Slot()
    def _reload(self) -> None:
        if self._loading:
            return
        update = {
            "noise": self._noise.value() / 100,
            "samples": self._samples.value(),
            "image_size": (self._image_height.value(), self._image_width.value()),
            "grayscale": self._grayscale.isChecked(),
            "label_column": self._label_column.currentText()
            if self._config.source == "csv"
            else "",
        }
        current = self.data_config()
        config = current.model_copy(update=update)
        if config != current:
            self.set_data_config(config)

    @Slot()
    def _on_split_changed(self) -> None:
        if self._loading:
            return
        # Keep the pair valid as it is edited, so the form can never hold an impossible split.
        self._val.setMaximum(round(0.8 - self._test.value(), 2))
        self._test.setMaximum(round(0.8 - self._val.value(), 2))
        self._update_info()
        self.changed.emit()

    def _update_info(self) -> None:
        dataset = self._dataset
        train, val, test = self.split_sizes()
        shape = (
            "x".join(str(n) for n in dataset.image_shape)
            if dataset.image_shape
            else str(dataset.n_features)
        )
        self._info.setText(
            self.tr(
                "{samples:,} samples of {shape}, {classes} classes\n"
                "train {train:,} / validation {val:,} / test {test:,}"
            ).format(
                samples=dataset.n_samples + (test if dataset.has_test_split else 0),
                shape=shape,
                classes=dataset.n_classes,
                train=train,
                val=val,
                test=test,
            )
        )
