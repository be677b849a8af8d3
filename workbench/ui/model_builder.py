"""Model builder panel: the ordered hidden layers, an editor for the selected one, the count."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.config import (
    INITS,
    BatchNormLayer,
    DenseLayer,
    DropoutLayer,
    ModelConfig,
)
from workbench.models import count_parameters


def _activation_names() -> dict[str, str]:
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


def _init_names() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "default": translate("ModelBuilder", "PyTorch default"),
        "normal": translate("ModelBuilder", "Normal (std)"),
        "xavier": translate("ModelBuilder", "Xavier / Glorot"),
        "he": translate("ModelBuilder", "He / Kaiming"),
    }


def describe_layer(layer: DenseLayer | DropoutLayer | BatchNormLayer) -> str:
    """The text a layer shows in the list."""
    translate = QCoreApplication.translate
    if isinstance(layer, DenseLayer):
        return translate("ModelBuilder", "Dense  {units} units, {activation}, init {init}").format(
            units=layer.units,
            activation=_activation_names()[layer.activation],
            init=_init_names()[layer.init],
        )
    if isinstance(layer, DropoutLayer):
        return translate("ModelBuilder", "Dropout  p = {p:g}").format(p=layer.p)
    return translate("ModelBuilder", "BatchNorm")


class ModelBuilder(QGroupBox):
    """Edits the hidden layers; the output layer follows from the dataset's classes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelBuilder")
        self.setTitle(self.tr("Model"))
        self._layers: list[DenseLayer | DropoutLayer | BatchNormLayer] = []
        self._shape = (1, 2)
        self._updating_editor = False

        self._list = QListWidget(objectName="layerList")
        self._list.setToolTip(self.tr("Hidden layers, input at the top."))
        self._output = QLabel(objectName="outputLayerLabel")
        self._output.setToolTip(
            self.tr("Set by the dataset: one output per class; the loss applies the softmax.")
        )
        self._parameters = QLabel(objectName="parameterCount")

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Hidden layers")))
        layout.addWidget(self._list, stretch=1)
        layout.addLayout(self._build_buttons())
        layout.addWidget(self._output)
        layout.addWidget(self._build_editor())
        layout.addWidget(self._parameters)

        self._list.currentRowChanged.connect(self._on_selection)
        self.set_model_config(ModelConfig())

    # -- construction ----------------------------------------------------------------------
    def _build_buttons(self) -> QHBoxLayout:
        self._add = QToolButton(objectName="addLayerButton", text=self.tr("Add"))
        self._add.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self._add)
        for text, factory in (
            (self.tr("Dense"), lambda: DenseLayer(units=100, activation="relu", init="he")),
            (self.tr("Dropout"), lambda: DropoutLayer(p=0.5)),
            (self.tr("BatchNorm"), BatchNormLayer),
        ):
            action = QAction(text, menu)
            action.triggered.connect(lambda _=False, f=factory: self.add_layer(f()))
            menu.addAction(action)
        self._add.setMenu(menu)
        self._remove = QPushButton(self.tr("Remove"), objectName="removeLayerButton")
        self._up = QPushButton(self.tr("Up"), objectName="moveUpButton")
        self._down = QPushButton(self.tr("Down"), objectName="moveDownButton")
        self._remove.clicked.connect(self.remove_selected)
        self._up.clicked.connect(lambda: self._move_selected(-1))
        self._down.clicked.connect(lambda: self._move_selected(+1))
        row = QHBoxLayout()
        for button in (self._add, self._remove, self._up, self._down):
            row.addWidget(button)
        return row

    def _build_editor(self) -> QStackedWidget:
        self._editor = QStackedWidget(objectName="layerEditor")

        dense = QWidget()
        form = QFormLayout(dense)
        self._units = QSpinBox(objectName="unitsSpin", minimum=1, maximum=4096)
        self._units.setToolTip(self.tr("Neurons in this layer: more can fit more, and overfit."))
        self._activation = QComboBox(objectName="activationCombo")
        for key, text in _activation_names().items():
            self._activation.addItem(text, key)
        self._activation.setToolTip(
            self.tr("The non-linearity after the layer. Sigmoid saturates; ReLU and kin do not.")
        )
        self._init = QComboBox(objectName="initCombo")
        for key in INITS:
            self._init.addItem(_init_names()[key], key)
        self._init.setToolTip(
            self.tr("How the weights start. He suits ReLU; Xavier suits sigmoid and tanh.")
        )
        self._init_std = QDoubleSpinBox(objectName="initStdSpin", decimals=4)
        self._init_std.setRange(0.0001, 10.0)
        self._init_std.setSingleStep(0.01)
        form.addRow(self.tr("Units"), self._units)
        form.addRow(self.tr("Activation"), self._activation)
        form.addRow(self.tr("Initialisation"), self._init)
        form.addRow(self.tr("Init std"), self._init_std)

        dropout = QWidget()
        form = QFormLayout(dropout)
        self._p = QDoubleSpinBox(objectName="dropoutSpin", decimals=2, maximum=0.95)
        self._p.setSingleStep(0.05)
        self._p.setToolTip(
            self.tr("Share of units switched off at random while training, against overfitting.")
        )
        form.addRow(self.tr("Drop probability"), self._p)

        batch_norm = QLabel(self.tr("Normalises each unit over the batch; no settings."))
        batch_norm.setWordWrap(True)
        empty = QLabel(self.tr("Select a layer to edit it."))

        for page in (dense, dropout, batch_norm, empty):
            self._editor.addWidget(page)
        for signal in (
            self._units.valueChanged,
            self._activation.currentIndexChanged,
            self._init.currentIndexChanged,
            self._init_std.valueChanged,
            self._p.valueChanged,
        ):
            signal.connect(self._on_editor_changed)
        return self._editor

    # -- public API --------------------------------------------------------------------------
    def model_config(self) -> ModelConfig:
        return ModelConfig(layers=tuple(self._layers))

    def set_model_config(self, config: ModelConfig) -> None:
        self._layers = list(config.layers)
        self._refresh(select=0 if self._layers else -1)

    def set_dataset_shape(self, features: int, classes: int) -> None:
        self._shape = (features, classes)
        self._refresh(select=self._list.currentRow())

    def layer_texts(self) -> list[str]:
        return [self._list.item(i).text() for i in range(self._list.count())]

    def parameter_count(self) -> int:
        return count_parameters(self.model_config(), *self._shape)

    @Slot()
    def add_layer(self, layer: DenseLayer | DropoutLayer | BatchNormLayer) -> None:
        """Insert after the selected layer (or at the end)."""
        row = self._list.currentRow()
        index = row + 1 if row >= 0 else len(self._layers)
        self._layers.insert(index, layer)
        self._refresh(select=index)

    @Slot()
    def remove_selected(self) -> None:
        row = self._list.currentRow()
        if row < 0:
            return
        del self._layers[row]
        self._refresh(select=min(row, len(self._layers) - 1))

    def _move_selected(self, step: int) -> None:
        row = self._list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < len(self._layers):
            return
        self._layers[row], self._layers[target] = self._layers[target], self._layers[row]
        self._refresh(select=target)

    # -- internals ---------------------------------------------------------------------------
    def _refresh(self, select: int) -> None:
        self._list.blockSignals(True)
        self._list.clear()
        for layer in self._layers:
            self._list.addItem(describe_layer(layer))
        self._list.blockSignals(False)
        self._list.setCurrentRow(select)
        self._on_selection(select)
        features, classes = self._shape
        self._output.setText(
            self.tr("Output: Dense {classes} (one per class, softmax in the loss)").format(
                classes=classes
            )
        )
        self._parameters.setText(
            self.tr("Parameters: {count:,}").format(count=self.parameter_count())
        )
        self.changed.emit()

    @Slot(int)
    def _on_selection(self, row: int) -> None:
        has_row = 0 <= row < len(self._layers)
        self._remove.setEnabled(has_row)
        self._up.setEnabled(has_row and row > 0)
        self._down.setEnabled(has_row and row < len(self._layers) - 1)
        if not has_row:
            self._editor.setCurrentIndex(3)
            return
        layer = self._layers[row]
        self._updating_editor = True
        if isinstance(layer, DenseLayer):
            self._units.setValue(layer.units)
            self._activation.setCurrentIndex(self._activation.findData(layer.activation))
            self._init.setCurrentIndex(self._init.findData(layer.init))
            self._init_std.setValue(layer.init_std)
            self._init_std.setEnabled(layer.init == "normal")
            self._editor.setCurrentIndex(0)
        elif isinstance(layer, DropoutLayer):
            self._p.setValue(layer.p)
            self._editor.setCurrentIndex(1)
        else:
            self._editor.setCurrentIndex(2)
        self._updating_editor = False

    @Slot()
    def _on_editor_changed(self) -> None:
        row = self._list.currentRow()
        if self._updating_editor or not 0 <= row < len(self._layers):
            return
        layer = self._layers[row]
        if isinstance(layer, DenseLayer):
            layer = DenseLayer(
                units=self._units.value(),
                activation=self._activation.currentData(),
                init=self._init.currentData(),
                init_std=self._init_std.value(),
            )
            self._init_std.setEnabled(layer.init == "normal")
        elif isinstance(layer, DropoutLayer):
            layer = DropoutLayer(p=self._p.value())
        else:
            return
        self._layers[row] = layer
        item = self._list.item(row)
        item.setText(describe_layer(layer))
        self._parameters.setText(
            self.tr("Parameters: {count:,}").format(count=self.parameter_count())
        )
        self.changed.emit()
