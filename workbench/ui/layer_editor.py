"""Editor for the selected layer of the model builder: one page per layer type."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

from workbench.config import (
    AnyLayer,
    BatchNormLayer,
    Conv2dLayer,
    DenseLayer,
    DropoutLayer,
    FlattenLayer,
    MaxPool2dLayer,
)


def activation_names() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "sigmoid": translate("ModelBuilder", "Sigmoid"),
        "tanh": translate("ModelBuilder", "Tanh"),
        "relu": translate("ModelBuilder", "ReLU"),
        "leaky_relu": translate("ModelBuilder", "Leaky ReLU"),
        "elu": translate("ModelBuilder", "ELU"),
        "swish": translate("ModelBuilder", "Swish (SiLU)"),
        "gelu": translate("ModelBuilder", "GELU"),
        "identity": translate("ModelBuilder", "Identity (none)"),
    }


def init_names() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "default": translate("ModelBuilder", "PyTorch default"),
        "normal": translate("ModelBuilder", "Normal (std)"),
        "xavier": translate("ModelBuilder", "Xavier / Glorot"),
        "he": translate("ModelBuilder", "He / Kaiming"),
    }


class _WeightedFields(QWidget):
    """Activation and initialisation, shared by Dense and Conv2d."""

    changed = Signal()
    apply_to_all = Signal(dict)

    def __init__(self, prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.activation = QComboBox(objectName=f"{prefix}ActivationCombo")
        for key, text in activation_names().items():
            self.activation.addItem(text, key)
        self.activation.setToolTip(
            self.tr(
                "The non-linearity after the layer. Sigmoid and tanh saturate, so deep stacks "
                "learn slowly; ReLU and its kin do not."
            )
        )
        self.slope = QDoubleSpinBox(objectName=f"{prefix}SlopeSpin", decimals=3, maximum=0.999)
        self.slope.setSingleStep(0.01)
        self.slope.setToolTip(self.tr("Leaky ReLU: the slope for negative inputs."))
        self.init = QComboBox(objectName=f"{prefix}InitCombo")
        for key, text in init_names().items():
            self.init.addItem(text, key)
        self.init.setToolTip(
            self.tr(
                "How the weights start. He suits ReLU; Xavier suits sigmoid and tanh; a fixed "
                "small normal (std 0.01) makes deep networks stall."
            )
        )
        self.init_std = QDoubleSpinBox(objectName=f"{prefix}InitStdSpin", decimals=4)
        self.init_std.setRange(0.0001, 10.0)
        self.init_std.setSingleStep(0.01)
        self.init_std.setToolTip(self.tr("Standard deviation of the normal initialisation."))
        self.form.addRow(self.tr("Activation"), self.activation)
        self.form.addRow(self.tr("Negative slope"), self.slope)
        self.form.addRow(self.tr("Initialisation"), self.init)
        self.form.addRow(self.tr("Init std"), self.init_std)
        self.to_all = QPushButton(
            self.tr("Use for all Dense and Conv2d layers"), objectName=f"{prefix}ApplyToAll"
        )
        self.to_all.setToolTip(
            self.tr(
                "Give every weighted layer this activation and initialisation, to compare "
                "initialisations or activations in one click."
            )
        )
        self.to_all.clicked.connect(lambda: self.apply_to_all.emit(self.values()))
        self.form.addRow(self.to_all)
        for signal in (
            self.activation.currentIndexChanged,
            self.slope.valueChanged,
            self.init.currentIndexChanged,
            self.init_std.valueChanged,
        ):
            signal.connect(self.changed)
        self.changed.connect(self._update_rows)

    def set_values(self, layer: DenseLayer | Conv2dLayer) -> None:
        self.activation.setCurrentIndex(self.activation.findData(layer.activation))
        self.slope.setValue(layer.negative_slope)
        self.init.setCurrentIndex(self.init.findData(layer.init))
        self.init_std.setValue(layer.init_std)
        self._update_rows()

    def values(self) -> dict:
        return {
            "activation": self.activation.currentData(),
            "negative_slope": self.slope.value(),
            "init": self.init.currentData(),
            "init_std": self.init_std.value(),
        }

    @Slot()
    def _update_rows(self) -> None:
        self.form.setRowVisible(self.slope, self.activation.currentData() == "leaky_relu")
        self.form.setRowVisible(self.init_std, self.init.currentData() == "normal")


class LayerEditor(QStackedWidget):
    """Shows the fields of one layer; `edited` carries the new layer when a field changes."""

    edited = Signal(object)
    apply_to_all = Signal(dict)  # activation, negative_slope, init, init_std

    _DENSE, _CONV, _POOL, _DROPOUT, _INFO = range(5)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layerEditor")
        self._loading = False
        self._kind: type | None = None

        dense = QWidget()
        form = QFormLayout(dense)
        self.units = QSpinBox(objectName="unitsSpin", minimum=1, maximum=65_536)
        self.units.setToolTip(self.tr("Neurons in this layer: more can fit more, and overfit."))
        form.addRow(self.tr("Units"), self.units)
        self.dense_fields = _WeightedFields("dense")
        form.addRow(self.dense_fields)

        conv = QWidget()
        form = QFormLayout(conv)
        self.channels = QSpinBox(objectName="channelsSpin", minimum=1, maximum=4096)
        self.channels.setToolTip(self.tr("Filters, each making one output channel."))
        self.kernel = QSpinBox(objectName="kernelSpin", minimum=1, maximum=64)
        self.kernel.setToolTip(self.tr("Width and height of each filter, in pixels."))
        self.stride = QSpinBox(objectName="strideSpin", minimum=1, maximum=64)
        self.stride.setToolTip(self.tr("Pixels the filter moves between two outputs."))
        self.padding = QSpinBox(objectName="paddingSpin", minimum=0, maximum=64)
        self.padding.setToolTip(
            self.tr("Zeros added around the image; kernel 3 with 1 keeps size.")
        )
        form.addRow(self.tr("Channels"), self.channels)
        form.addRow(self.tr("Kernel"), self.kernel)
        form.addRow(self.tr("Stride"), self.stride)
        form.addRow(self.tr("Padding"), self.padding)
        self.conv_fields = _WeightedFields("conv")
        form.addRow(self.conv_fields)

        pool = QWidget()
        form = QFormLayout(pool)
        self.pool_kernel = QSpinBox(objectName="poolKernelSpin", minimum=1, maximum=64)
        self.pool_kernel.setToolTip(
            self.tr("Keeps the largest value of each kernel x kernel patch.")
        )
        form.addRow(self.tr("Kernel"), self.pool_kernel)

        dropout = QWidget()
        form = QFormLayout(dropout)
        self.p = QDoubleSpinBox(objectName="dropoutSpin", decimals=2, maximum=0.95)
        self.p.setSingleStep(0.05)
        self.p.setToolTip(
            self.tr("Share of units switched off at random while training, against overfitting.")
        )
        form.addRow(self.tr("Drop probability"), self.p)

        self.info = QLabel(objectName="layerInfo")
        self.info.setWordWrap(True)

        for page in (dense, conv, pool, dropout, self.info):
            self.addWidget(page)
        for signal in (
            self.units.valueChanged,
            self.dense_fields.changed,
            self.channels.valueChanged,
            self.kernel.valueChanged,
            self.stride.valueChanged,
            self.padding.valueChanged,
            self.conv_fields.changed,
            self.pool_kernel.valueChanged,
            self.p.valueChanged,
        ):
            signal.connect(self._on_field_changed)
        self.dense_fields.apply_to_all.connect(self.apply_to_all)
        self.conv_fields.apply_to_all.connect(self.apply_to_all)
        self.show_layer(None)

    def show_layer(self, layer: AnyLayer | None) -> None:
        """Fill the page of this layer's type (or a hint when nothing is selected)."""
        self._loading = True
        self._kind = type(layer) if layer is not None else None
        try:
            if isinstance(layer, DenseLayer):
                self.units.setValue(layer.units)
                self.dense_fields.set_values(layer)
                self.setCurrentIndex(self._DENSE)
            elif isinstance(layer, Conv2dLayer):
                self.channels.setValue(layer.channels)
                self.kernel.setValue(layer.kernel)
                self.stride.setValue(layer.stride)
                self.padding.setValue(layer.padding)
                self.conv_fields.set_values(layer)
                self.setCurrentIndex(self._CONV)
            elif isinstance(layer, MaxPool2dLayer):
                self.pool_kernel.setValue(layer.kernel)
                self.setCurrentIndex(self._POOL)
            elif isinstance(layer, DropoutLayer):
                self.p.setValue(layer.p)
                self.setCurrentIndex(self._DROPOUT)
            else:
                self.info.setText(self._info_text(layer))
                self.setCurrentIndex(self._INFO)
        finally:
            self._loading = False

    def _info_text(self, layer: AnyLayer | None) -> str:
        if isinstance(layer, FlattenLayer):
            return self.tr("Turns an image (channels x height x width) into one flat vector.")
        if isinstance(layer, BatchNormLayer):
            return self.tr(
                "Normalises each unit (or channel) over the batch, then scales and shifts it: "
                "training is faster and less sensitive to the initialisation. No settings."
            )
        return self.tr("Select a layer to edit it.")

    def current_layer(self) -> AnyLayer | None:
        """The layer the fields describe now."""
        if self._kind is DenseLayer:
            return DenseLayer(units=self.units.value(), **self.dense_fields.values())
        if self._kind is Conv2dLayer:
            return Conv2dLayer(
                channels=self.channels.value(),
                kernel=self.kernel.value(),
                stride=self.stride.value(),
                padding=self.padding.value(),
                **self.conv_fields.values(),
            )
        if self._kind is MaxPool2dLayer:
            return MaxPool2dLayer(kernel=self.pool_kernel.value())
        if self._kind is DropoutLayer:
            return DropoutLayer(p=self.p.value())
        return None

    @Slot()
    def _on_field_changed(self) -> None:
        if self._loading:
            return
        layer = self.current_layer()
        if layer is not None:
            self.edited.emit(layer)
