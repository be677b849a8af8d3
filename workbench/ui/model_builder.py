"""Model builder panel: the hidden layers with each one's output shape and parameters.

Also an editor for the selected layer, presets, and the model as PyTorch prints it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QAction, QBrush, QColor, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
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
    ModelConfig,
)
from workbench.models.presets import PRESETS
from workbench.ui.layer_editor import LayerEditor, activation_names, init_names

if TYPE_CHECKING:
    from workbench.models import ModelPlan

_ERROR_COLOUR = QColor(176, 0, 32)
# The list's columns. The number column counts from 1, as error messages name layers
# ("model layer 2 (conv2d): ..."): without it a person had to count rows to find one.
_NUMBER, _LAYER, _OUTPUT, _PARAMS = range(4)
_COLUMNS = 4


def describe_layer(layer: AnyLayer) -> str:
    """The text a layer shows in the list."""
    translate = QCoreApplication.translate
    if isinstance(layer, DenseLayer | Conv2dLayer):
        activation = activation_names()[layer.activation]
        init = init_names()[layer.init]
        if isinstance(layer, DenseLayer):
            return translate("ModelBuilder", "Dense  {units} units, {activation}, {init}").format(
                units=layer.units, activation=activation, init=init
            )
        return translate(
            "ModelBuilder", "Conv2d  {channels} x {k}x{k} /{stride} pad {padding}, {activation}"
        ).format(
            channels=layer.channels,
            k=layer.kernel,
            stride=layer.stride,
            padding=layer.padding,
            activation=activation,
        )
    if isinstance(layer, MaxPool2dLayer):
        return translate("ModelBuilder", "MaxPool2d  {k}x{k}").format(k=layer.kernel)
    if isinstance(layer, FlattenLayer):
        return translate("ModelBuilder", "Flatten")
    if isinstance(layer, DropoutLayer):
        return translate("ModelBuilder", "Dropout  p = {p:g}").format(p=layer.p)
    return translate("ModelBuilder", "BatchNorm")


def _shape_text(shape: tuple[int, ...] | None) -> str:
    return "–" if shape is None else " x ".join(str(n) for n in shape)


def _preset_names() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "mlp5": translate("ModelBuilder", "5-layer MLP (4 x 100 ReLU)"),
        "mlp7": translate("ModelBuilder", "7-layer MLP (6 x 100 ReLU)"),
        "small_cnn": translate("ModelBuilder", "Small CNN (conv-relu-pool x 2)"),
    }


class ModelBuilder(QGroupBox):
    """Edits the hidden layers; the output layer follows from the dataset's classes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, deferred: bool = False) -> None:
        """`deferred`: shapes and parameter counts wait for `enable_planning()` (torch)."""
        super().__init__(parent)
        self.setObjectName("modelBuilder")
        # Planning runs the layers on meta tensors: it needs torch, which a window shown
        # before torch has loaded gets later (workbench/ui/warmup.py).
        self._can_plan = not deferred
        self.setTitle(self.tr("Model"))
        self._layers: list[AnyLayer] = []
        self._features, self._classes = 1, 2
        self._image_shape: tuple[int, int, int] | None = None
        self._plan: ModelPlan | None = None

        self._input = QLabel(objectName="inputShapeLabel")
        self._list = QTreeWidget(objectName="layerList")
        self._list.setColumnCount(_COLUMNS)
        self._list.setHeaderLabels(
            [self.tr("#"), self.tr("Layer"), self.tr("Output"), self.tr("Params")]
        )
        self._list.headerItem().setToolTip(
            _NUMBER, self.tr("Layer number, as messages about the model name it")
        )
        self._list.setRootIsDecorated(False)
        self._list.setUniformRowHeights(True)
        header = self._list.header()
        header.setSectionResizeMode(_NUMBER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_LAYER, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(_OUTPUT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_PARAMS, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self._list.setToolTip(self.tr("Hidden layers, input at the top."))
        self._error = QLabel(objectName="modelError")
        self._error.setWordWrap(True)
        self._error.setStyleSheet("color: #b00020;")
        self._output = QLabel(objectName="outputLayerLabel")
        self._output.setWordWrap(True)
        self._output.setToolTip(
            self.tr("Set by the dataset: one output per class; the loss applies the softmax.")
        )
        self._parameters = QLabel(objectName="parameterCount")
        self._editor = LayerEditor()

        layout = QVBoxLayout(self)
        layout.addWidget(self._input)
        layout.addWidget(self._list, stretch=1)
        layout.addLayout(self._build_buttons())
        layout.addWidget(self._error)
        layout.addWidget(self._output)
        layout.addWidget(self._editor)
        footer = QHBoxLayout()
        footer.addWidget(self._parameters, stretch=1)
        self._show_model = QPushButton(self.tr("Show model…"), objectName="showModelButton")
        self._show_model.setToolTip(self.tr("The model as PyTorch prints it."))
        self._show_model.clicked.connect(self.show_model_text)
        footer.addWidget(self._show_model)
        layout.addLayout(footer)

        self._list.currentItemChanged.connect(self._on_selection)
        self._editor.edited.connect(self._on_layer_edited)
        self._editor.apply_to_all.connect(self.apply_to_weighted_layers)
        self.set_model_config(ModelConfig())

    # -- construction ----------------------------------------------------------------------------
    def _build_buttons(self) -> QHBoxLayout:
        self._add = QToolButton(objectName="addLayerButton", text=self.tr("Add"))
        self._add.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self._add)
        for text, factory in (
            (self.tr("Dense"), lambda: DenseLayer(units=100, activation="relu", init="he")),
            (
                self.tr("Conv2d"),
                lambda: Conv2dLayer(channels=16, kernel=3, padding=1, init="he"),
            ),
            (self.tr("MaxPool2d"), MaxPool2dLayer),
            (self.tr("Flatten"), FlattenLayer),
            (self.tr("BatchNorm"), BatchNormLayer),
            (self.tr("Dropout"), lambda: DropoutLayer(p=0.5)),
        ):
            action = QAction(text, menu)
            action.triggered.connect(lambda _=False, f=factory: self.add_layer(f()))
            menu.addAction(action)
        self._add.setMenu(menu)

        self._presets = QToolButton(objectName="presetButton", text=self.tr("Presets"))
        self._presets.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._presets.setToolTip(self.tr("Replace the layers with a classic network."))
        preset_menu = QMenu(self._presets)
        for key, text in _preset_names().items():
            action = QAction(text, preset_menu)
            action.setObjectName(f"preset_{key}")
            action.triggered.connect(lambda _=False, k=key: self.apply_preset(k))
            preset_menu.addAction(action)
        self._presets.setMenu(preset_menu)

        self._remove = QPushButton(self.tr("Remove"), objectName="removeLayerButton")
        self._up = QPushButton(self.tr("Up"), objectName="moveUpButton")
        self._down = QPushButton(self.tr("Down"), objectName="moveDownButton")
        self._remove.clicked.connect(self.remove_selected)
        self._up.clicked.connect(lambda: self._move_selected(-1))
        self._down.clicked.connect(lambda: self._move_selected(+1))
        row = QHBoxLayout()
        for button in (self._add, self._remove, self._up, self._down, self._presets):
            row.addWidget(button)
        return row

    # -- public API ------------------------------------------------------------------------------
    def model_config(self) -> ModelConfig:
        return ModelConfig(layers=tuple(self._layers))

    def set_model_config(self, config: ModelConfig) -> None:
        self._layers = list(config.layers)
        self._refresh(select=0 if self._layers else -1)

    def set_dataset_shape(
        self, features: int, classes: int, image_shape: tuple[int, int, int] | None = None
    ) -> None:
        self._features, self._classes, self._image_shape = features, classes, image_shape
        self._refresh(select=self.current_row())

    def current_row(self) -> int:
        item = self._list.currentItem()
        return self._list.indexOfTopLevelItem(item) if item is not None else -1

    def select_row(self, row: int) -> None:
        item = self._list.topLevelItem(row)
        self._list.setCurrentItem(item)

    def layer_texts(self) -> list[str]:
        """The "Layer" column of the list, top first (the number column left out)."""
        return [
            self._list.topLevelItem(i).text(_LAYER) for i in range(self._list.topLevelItemCount())
        ]

    def plan(self) -> ModelPlan:
        from workbench.models import plan_model

        return plan_model(self.model_config(), self._features, self._classes, self._image_shape)

    def enable_planning(self) -> None:
        """Fill in the shapes, parameter counts and layer errors (torch has loaded)."""
        if not self._can_plan:
            self._can_plan = True
            self._refresh(select=self.current_row())

    def parameter_count(self) -> int | None:
        """Trainable parameters, output layer included; None when the model cannot be built."""
        plan = self.plan()
        return None if plan.first_error else plan.total_parameters

    def first_error(self) -> str | None:
        """Why the stack cannot train on this data, naming the layer; None when it can."""
        return self._plan.first_error if self._plan is not None else None

    def layer_error(self, row: int) -> str | None:
        return self._plan.layers[row].error if self._plan is not None else None

    @Slot()
    def add_layer(self, layer: AnyLayer) -> None:
        """Insert after the selected layer (or at the end)."""
        row = self.current_row()
        index = row + 1 if row >= 0 else len(self._layers)
        self._layers.insert(index, layer)
        self._refresh(select=index)

    @Slot()
    def remove_selected(self) -> None:
        row = self.current_row()
        if row < 0:
            return
        del self._layers[row]
        self._refresh(select=min(row, len(self._layers) - 1))

    @Slot(dict)
    def apply_to_weighted_layers(self, settings: dict) -> None:
        """Give every Dense and Conv2d layer the same activation and initialisation."""
        self._layers = [
            layer.model_copy(update=settings)
            if isinstance(layer, DenseLayer | Conv2dLayer)
            else layer
            for layer in self._layers
        ]
        self._refresh(select=self.current_row())

    def apply_preset(self, key: str) -> None:
        self.set_model_config(PRESETS[key][1])

    @Slot()
    def show_model_text(self) -> None:
        dialog = QDialog(self)
        dialog.setObjectName("modelTextDialog")
        dialog.setWindowTitle(self.tr("Model as PyTorch prints it"))
        text = QPlainTextEdit(objectName="modelPrintout", readOnly=True)
        text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        text.setPlainText(self.model_text())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(text)
        layout.addWidget(buttons)
        dialog.resize(560, 420)
        dialog.open()

    def model_text(self) -> str:
        """`print(model)` of the model as it stands, or why it cannot be built."""
        from workbench.models import build_model

        error = self.plan().first_error
        if error:
            return self.tr("This model cannot be built yet:\n{error}").format(error=error)
        return str(
            build_model(self.model_config(), self._features, self._classes, self._image_shape)
        )

    # -- internals -------------------------------------------------------------------------------
    def _move_selected(self, step: int) -> None:
        row = self.current_row()
        target = row + step
        if row < 0 or not 0 <= target < len(self._layers):
            return
        self._layers[row], self._layers[target] = self._layers[target], self._layers[row]
        self._refresh(select=target)

    def _layer_plans(self) -> list:
        """Each layer's plan, or None for each while torch is still loading."""
        self._plan = self.plan() if self._can_plan else None
        return list(self._plan.layers) if self._plan else [None] * len(self._layers)

    def _refresh(self, select: int) -> None:
        plans = self._layer_plans()
        self._list.blockSignals(True)
        self._list.clear()
        for number, (layer, plan) in enumerate(zip(self._layers, plans, strict=True), 1):
            self._list.addTopLevelItem(self._item(number, layer, plan))
        self._list.blockSignals(False)
        if 0 <= select < len(self._layers):
            self.select_row(select)
        self._on_selection()
        self._update_summary()
        self.changed.emit()

    def _item(self, number: int, layer: AnyLayer, plan) -> QTreeWidgetItem:
        """The list row of the layer numbered ``number`` (from 1)."""
        if plan is None:  # torch is loading: the layer is known, its shape not yet
            item = QTreeWidgetItem([str(number), describe_layer(layer), "…", "…"])
        else:
            params = f"{plan.parameters:,}" if plan.error is None else ""
            item = QTreeWidgetItem(
                [str(number), describe_layer(layer), _shape_text(plan.output_shape), params]
            )
        item.setTextAlignment(_NUMBER, Qt.AlignmentFlag.AlignRight)
        item.setTextAlignment(_PARAMS, Qt.AlignmentFlag.AlignRight)
        if plan is not None and plan.error:
            for column in range(_COLUMNS):
                item.setForeground(column, QBrush(_ERROR_COLOUR))
                item.setToolTip(column, plan.error)
            item.setText(_OUTPUT, "⚠")
        return item

    def _update_summary(self) -> None:
        plan = self._plan
        if plan is None:
            self._input.setText(self.tr("Input: {n} features").format(n=self._features))
            self._error.setVisible(False)
            self._output.setText(
                self.tr("Output: Dense {classes} (one per class, softmax in the loss)").format(
                    classes=self._classes
                )
            )
            self._parameters.setText(self.tr("Parameters: counting once PyTorch has loaded…"))
            return
        if plan.input_shape is None:
            self._input.setText(self.tr("Input: flat features (not an image)"))
        elif len(plan.input_shape) == 3:
            self._input.setText(
                self.tr("Input: {shape} image").format(shape=_shape_text(plan.input_shape))
            )
        else:
            self._input.setText(self.tr("Input: {n} features").format(n=plan.input_shape[0]))
        error = plan.first_error
        self._error.setText(error or "")
        self._error.setVisible(bool(error))
        output = self.tr("Output: Dense {classes} (one per class, softmax in the loss)").format(
            classes=self._classes
        )
        if plan.output.error:
            output = self.tr("Output: {error}").format(error=plan.output.error)
        self._output.setText(output)
        if error:
            # The layers that do fit would add up to a number no model has: say why instead.
            self._parameters.setText(self.tr("Parameters: — (the model cannot be built)"))
        else:
            self._parameters.setText(
                self.tr("Parameters: {count:,}").format(count=plan.total_parameters)
            )

    @Slot()
    def _on_selection(self, *_: object) -> None:
        row = self.current_row()
        has_row = 0 <= row < len(self._layers)
        self._remove.setEnabled(has_row)
        self._up.setEnabled(has_row and row > 0)
        self._down.setEnabled(has_row and row < len(self._layers) - 1)
        self._editor.show_layer(self._layers[row] if has_row else None)

    @Slot(object)
    def _on_layer_edited(self, layer: AnyLayer) -> None:
        row = self.current_row()
        if not 0 <= row < len(self._layers):
            return
        self._layers[row] = layer
        # Re-plan without rebuilding the editor, so typing in a spin box keeps its focus.
        for index, plan in enumerate(self._layer_plans()):
            fresh = self._item(index + 1, self._layers[index], plan)
            item = self._list.topLevelItem(index)
            for column in range(_COLUMNS):
                item.setText(column, fresh.text(column))
                item.setForeground(column, fresh.foreground(column))
                item.setToolTip(column, fresh.toolTip(column))
        self._update_summary()
        self.changed.emit()
