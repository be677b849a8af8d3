"""Hyperparameter form: optimizer, regularisation, learning-rate schedule, training, stopping.

Each box's range is the experiment file's, so the form cannot hold a value the engine would
refuse (a negative learning rate, batch size 0, epochs 0). Fields that do not apply to the
chosen optimizer or schedule are hidden. The help box under the form explains the field that
has focus, in plain words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.config import OPTIMIZER_SETTING_OWNERS, SCHEDULE_SETTING_OWNERS, Experiment
from workbench.core.device import available_devices
from workbench.ui.help_texts import help_text
from workbench.ui.scientific_spin import ScientificSpinBox

# Which optimizer or schedule each optional field belongs to: the row is hidden elsewhere.
_OPTIMIZER_FIELDS = {
    "momentum": OPTIMIZER_SETTING_OWNERS["momentum"],
    "beta1": OPTIMIZER_SETTING_OWNERS["betas"],
    "beta2": OPTIMIZER_SETTING_OWNERS["betas"],
    "alpha": OPTIMIZER_SETTING_OWNERS["alpha"],
    "eps": OPTIMIZER_SETTING_OWNERS["eps"],
}
_SCHEDULE_FIELDS = {
    "warmup_epochs": SCHEDULE_SETTING_OWNERS["warmup_epochs"],
    "step_size": SCHEDULE_SETTING_OWNERS["step_size"],
    "gamma": SCHEDULE_SETTING_OWNERS["gamma"],
    "schedule_patience": SCHEDULE_SETTING_OWNERS["patience"],
    "min_lr": SCHEDULE_SETTING_OWNERS["min_lr"],
}

# The one table of the form's fields: each field's key path in the experiment (as
# `Experiment.to_dict()` nests it, a tuple's items numbered: "optimizer.betas.0") and the
# attribute holding its widget. Filling the form, reading it and marking a problem's field
# all go through it, so a new field is one row here plus its widget in a section.
_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "_name"),
    ("seed", "_seed"),
    ("optimizer.name", "_optimizer_combo"),
    ("optimizer.lr", "_lr"),
    ("optimizer.momentum", "_momentum"),
    ("optimizer.betas.0", "_beta1"),
    ("optimizer.betas.1", "_beta2"),
    ("optimizer.alpha", "_alpha"),
    ("optimizer.eps", "_eps"),
    ("optimizer.weight_decay", "_weight_decay"),
    ("optimizer.l1", "_l1"),
    ("optimizer.grad_clip", "_grad_clip"),
    ("schedule.name", "_schedule"),
    ("schedule.warmup_epochs", "_warmup"),
    ("schedule.step_size", "_step_size"),
    ("schedule.gamma", "_gamma"),
    ("schedule.patience", "_schedule_patience"),
    ("schedule.min_lr", "_min_lr"),
    ("training.epochs", "_epochs"),
    ("training.batch_size", "_batch_size"),
    ("training.device", "_device"),
    ("training.deterministic", "_deterministic"),
    ("early_stopping.enabled", "_early"),
    ("early_stopping.monitor", "_monitor"),
    ("early_stopping.mode", "_mode"),
    ("early_stopping.patience", "_patience"),
    ("early_stopping.min_delta", "_min_delta"),
    ("early_stopping.restore_best", "_restore_best"),
    ("augmentation.shift", "_shift"),
    ("augmentation.rotation", "_rotation"),
    ("augmentation.zoom", "_zoom"),
    ("augmentation.shear", "_shear"),
)


def _read(widget: QWidget) -> Any:
    """A field's value, whatever its kind of widget."""
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QLineEdit):
        return widget.text()
    return widget.value()  # type: ignore[attr-defined] - the spin boxes


def _write(widget: QWidget, value: Any) -> None:
    if isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(widget.findData(value), 0))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value))
    elif isinstance(widget, QSpinBox):
        # An integer beyond the box (a seed of 2**40 in a file) shows as its maximum.
        widget.setValue(min(int(value), widget.maximum()))
    else:
        widget.setValue(value)  # type: ignore[attr-defined] - the other spin boxes


def _at(tree: Any, path: str) -> Any:
    """The value at a dotted key path of nested dicts and lists ("optimizer.betas.0")."""
    for key in path.split("."):
        tree = tree[int(key)] if isinstance(tree, list | tuple) else tree[key]
    return tree


def _names(context: str, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(key, name) pairs with each name translated; lupdate finds them by QT_TRANSLATE_NOOP."""
    return [(key, QCoreApplication.translate(context, text)) for key, text in pairs]


def _double(name: str, low: float, high: float, decimals: int, adaptive: bool = True):
    box = QDoubleSpinBox(objectName=name, decimals=decimals)
    box.setRange(low, high)
    if adaptive:
        box.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
    return box


def _scientific(name: str, low: float, high: float) -> ScientificSpinBox:
    # Rates and penalties span decades (a search samples weight decay from 1e-8 to 1e-4).
    box = ScientificSpinBox(objectName=name)
    box.setRange(low, high)
    return box


def _form_layout(box: QGroupBox) -> QFormLayout:
    """A section's rows: a field goes under its label when the panel is too narrow for both.

    Labels differ in length by language (Japanese ones are often wider on screen): side by
    side they pushed the fields out of a 1280-pixel-wide window's form panel.
    """
    form = QFormLayout(box)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


class HyperparameterForm(QWidget):
    """Edits everything about a run except the data and the model."""

    changed = Signal()
    # The "Find…" button beside the learning rate: the window opens the range test's dialog.
    find_lr_requested = Signal()

    def __init__(self, parent: QWidget | None = None, deferred: bool = False) -> None:
        """`deferred`: GPUs are listed by `show_available_devices()` once torch has loaded."""
        super().__init__(parent)
        self.setObjectName("hyperparameterForm")
        self._deferred = deferred
        self._help_keys: dict[QWidget, str] = {}
        self._rows: dict[str, tuple[QFormLayout, QWidget]] = {}

        sections = QVBoxLayout()
        sections.setContentsMargins(0, 0, 0, 0)
        # What a learner changes most comes first, so that on a 720-pixel-high screen the
        # epochs, the batch size, the optimizer and its rate are in view without scrolling.
        sections.addWidget(self._training_section())
        sections.addWidget(self._optimizer_section())
        sections.addWidget(self._stopping_section())
        sections.addWidget(self._schedule_section())
        sections.addWidget(self._augmentation_section())
        sections.addWidget(self._device_section())
        sections.addStretch(1)
        inner = QWidget()
        inner.setLayout(sections)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Fields shrink to the panel instead of hiding behind a sideways scroll bar.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll = scroll

        self._help = QLabel(objectName="helpText")
        self._help.setWordWrap(True)
        self._help.setFrameShape(QFrame.Shape.StyledPanel)
        self._help.setMinimumHeight(52)
        self._help.setText(self.tr("Click a field to see what it does."))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, stretch=1)
        layout.addWidget(self._help)

        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        for widget in self._help_keys:
            for signal_name in ("valueChanged", "currentIndexChanged", "toggled", "textChanged"):
                signal = getattr(widget, signal_name, None)
                if signal is not None:
                    signal.connect(self._on_changed)
                    break
        self.set_experiment(Experiment())

    # -- construction ----------------------------------------------------------------------------
    def _add(
        self,
        layout: QFormLayout,
        key: str,
        label: str | None,
        widget: QWidget,
        beside: QWidget | None = None,
    ) -> QWidget:
        text = help_text(key)
        # An explicit minimum overrides the spin boxes' text-based one (an epsilon with ten
        # decimals is wide), so the fields shrink with the panel instead of being cut off.
        widget.setMinimumWidth(72)
        widget.setToolTip(text)
        widget.setWhatsThis(text)
        self._help_keys[widget] = key
        field = widget
        if beside is not None:  # a button beside the field, in the same row
            field = QWidget()
            row = QHBoxLayout(field)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(widget, stretch=1)
            row.addWidget(beside)
        if label is None:
            layout.addRow(field)
        else:
            layout.addRow(label, field)
        self._rows[key] = (layout, widget)
        return widget

    def _optimizer_section(self) -> QGroupBox:
        box = QGroupBox(self.tr("Optimizer"))
        form = _form_layout(box)
        self._optimizer_combo = QComboBox(objectName="optimizerCombo")
        for key, text in _names(
            "HyperparameterForm",
            [
                ("sgd", QT_TRANSLATE_NOOP("HyperparameterForm", "SGD")),
                ("momentum", QT_TRANSLATE_NOOP("HyperparameterForm", "Momentum (SGD + momentum)")),
                ("nesterov", QT_TRANSLATE_NOOP("HyperparameterForm", "Nesterov momentum")),
                ("adagrad", QT_TRANSLATE_NOOP("HyperparameterForm", "AdaGrad")),
                ("rmsprop", QT_TRANSLATE_NOOP("HyperparameterForm", "RMSprop")),
                ("adam", QT_TRANSLATE_NOOP("HyperparameterForm", "Adam")),
                (
                    "adamw",
                    QT_TRANSLATE_NOOP("HyperparameterForm", "AdamW (decoupled weight decay)"),
                ),
            ],
        ):
            self._optimizer_combo.addItem(text, key)
        self._add(form, "optimizer", self.tr("Optimizer"), self._optimizer_combo)
        self._lr = _scientific("learningRateSpin", 1e-9, 100.0)
        self.find_lr_button = QPushButton(self.tr("Find…"), objectName="findLrButton")
        self.find_lr_button.setAccessibleName(self.tr("Find learning rate"))
        self.find_lr_button.setToolTip(
            self.tr(
                "Find learning rate: train a copy of the model for a few mini-batches while "
                "the rate grows, see where the loss falls and where it explodes, and get a "
                "suggested rate (a range test)."
            )
        )
        self.find_lr_button.clicked.connect(self.find_lr_requested)
        self._add(form, "lr", self.tr("Learning rate"), self._lr, beside=self.find_lr_button)
        self._momentum = _double("momentumSpin", 0.0, 0.999, 3, adaptive=False)
        self._momentum.setSingleStep(0.05)
        self._add(form, "momentum", self.tr("Momentum"), self._momentum)
        self._beta1 = _double("beta1Spin", 0.0, 0.9999, 4, adaptive=False)
        self._beta1.setSingleStep(0.01)
        self._add(form, "beta1", self.tr("Beta 1"), self._beta1)
        self._beta2 = _double("beta2Spin", 0.0, 0.9999, 4, adaptive=False)
        self._beta2.setSingleStep(0.001)
        self._add(form, "beta2", self.tr("Beta 2"), self._beta2)
        self._alpha = _double("alphaSpin", 0.01, 0.9999, 4, adaptive=False)
        self._alpha.setSingleStep(0.01)
        self._add(form, "alpha", self.tr("Alpha"), self._alpha)
        self._eps = _scientific("epsSpin", 1e-12, 1.0)
        self._add(form, "eps", self.tr("Epsilon"), self._eps)
        self._weight_decay = _scientific("weightDecaySpin", 0.0, 10.0)
        self._add(form, "weight_decay", self.tr("Weight decay (L2)"), self._weight_decay)
        self._l1 = _scientific("l1Spin", 0.0, 10.0)
        self._add(form, "l1", self.tr("L1 penalty"), self._l1)
        self._grad_clip = _double("gradClipSpin", 0.0, 1000.0, 3)
        self._grad_clip.setSpecialValueText(self.tr("off"))
        self._add(form, "grad_clip", self.tr("Gradient clip (norm)"), self._grad_clip)
        for key in ("beta1", "beta2"):
            self._rows[key][1].setToolTip(help_text("betas"))
            self._rows[key][1].setWhatsThis(help_text("betas"))
        return box

    def _schedule_section(self) -> QGroupBox:
        box = QGroupBox(self.tr("Learning-rate schedule"))
        form = _form_layout(box)
        self._schedule = QComboBox(objectName="scheduleCombo")
        for key, text in _names(
            "HyperparameterForm",
            [
                ("constant", QT_TRANSLATE_NOOP("HyperparameterForm", "Constant")),
                ("step", QT_TRANSLATE_NOOP("HyperparameterForm", "Step")),
                ("exponential", QT_TRANSLATE_NOOP("HyperparameterForm", "Exponential")),
                ("cosine", QT_TRANSLATE_NOOP("HyperparameterForm", "Cosine annealing")),
                ("onecycle", QT_TRANSLATE_NOOP("HyperparameterForm", "One-cycle")),
                ("plateau", QT_TRANSLATE_NOOP("HyperparameterForm", "Reduce on plateau")),
            ],
        ):
            self._schedule.addItem(text, key)
        self._add(form, "schedule", self.tr("Schedule"), self._schedule)
        self._warmup = QSpinBox(objectName="warmupSpin", minimum=0, maximum=100_000)
        self._add(form, "warmup_epochs", self.tr("Warm-up epochs"), self._warmup)
        self._step_size = QSpinBox(objectName="stepSizeSpin", minimum=1, maximum=100_000)
        self._add(form, "step_size", self.tr("Step every (epochs)"), self._step_size)
        self._gamma = _double("gammaSpin", 0.001, 1.0, 3, adaptive=False)
        self._gamma.setSingleStep(0.05)
        self._add(form, "gamma", self.tr("Gamma (factor)"), self._gamma)
        self._schedule_patience = QSpinBox(
            objectName="schedulePatienceSpin", minimum=0, maximum=10_000
        )
        self._add(form, "schedule_patience", self.tr("Plateau patience"), self._schedule_patience)
        self._min_lr = _scientific("minLrSpin", 0.0, 10.0)
        self._add(form, "min_lr", self.tr("Minimum rate"), self._min_lr)
        self._lr_preview = pg.PlotWidget(background="w")
        self._lr_preview.setObjectName("lrPreview")
        self._lr_preview.setFixedHeight(110)
        self._lr_preview.setMenuEnabled(False)
        self._lr_preview.setMouseEnabled(x=False, y=False)
        self._lr_preview.hideButtons()
        self._lr_preview.setLabel("bottom", self.tr("epoch"))
        self._lr_preview.setToolTip(self.tr("The learning rate each epoch will use."))
        self._lr_curve = self._lr_preview.plot(pen=pg.mkPen((44, 160, 44), width=2))
        self._lr_note = QLabel(objectName="lrPreviewNote")
        self._lr_note.setWordWrap(True)
        form.addRow(self._lr_preview)
        form.addRow(self._lr_note)
        return box

    def _augmentation_section(self) -> QGroupBox:
        box = QGroupBox(self.tr("Data augmentation (images)"))
        form = _form_layout(box)
        # attribute, object name, help key, label, largest value, decimals, step, suffix
        rows = (
            ("_shift", "augmentShiftSpin", "augment_shift", self.tr("Shift (share of side)"),
             0.5, 2, 0.05, ""),
            ("_rotation", "augmentRotationSpin", "augment_rotation", self.tr("Rotation"),
             180.0, 1, 1.0, self.tr(" °")),
            ("_zoom", "augmentZoomSpin", "augment_zoom", self.tr("Zoom (±)"),
             0.5, 2, 0.05, ""),
            ("_shear", "augmentShearSpin", "augment_shear", self.tr("Slant (shear)"),
             45.0, 1, 1.0, self.tr(" °")),
        )  # fmt: skip
        for attribute, name, key, label, top, decimals, step, suffix in rows:
            spin = _double(name, 0.0, top, decimals, adaptive=False)
            spin.setSingleStep(step)
            spin.setSuffix(suffix)
            spin.setSpecialValueText(self.tr("off"))
            setattr(self, attribute, spin)
            self._add(form, key, label, spin)
        return box

    def _training_section(self) -> QGroupBox:
        box = QGroupBox(self.tr("Training"))
        form = _form_layout(box)
        self._name = QLineEdit(objectName="experimentName")
        self._add(form, "name", self.tr("Run name"), self._name)
        self._epochs = QSpinBox(objectName="epochsSpin", minimum=1, maximum=100_000)
        self._add(form, "epochs", self.tr("Epochs"), self._epochs)
        self._batch_size = QSpinBox(objectName="batchSizeSpin", minimum=1, maximum=65_536)
        self._add(form, "batch_size", self.tr("Batch size"), self._batch_size)
        return box

    def _device_section(self) -> QGroupBox:
        box = QGroupBox(self.tr("Device and reproducibility"))
        form = _form_layout(box)
        self._device = QComboBox(objectName="deviceCombo")
        self._device.addItem(self.tr("Automatic (GPU if present)"), "auto")
        self._device.addItem(self.tr("CPU"), "cpu")
        if not self._deferred:
            self.show_available_devices()
        self._add(form, "device", self.tr("Device"), self._device)
        self._device_form = form
        self._seed = QSpinBox(objectName="seedSpin", minimum=0, maximum=2**31 - 1)
        self._add(form, "seed", self.tr("Seed"), self._seed)
        self._deterministic = QCheckBox(
            self.tr("Deterministic algorithms"), objectName="deterministicCheck"
        )
        self._add(form, "deterministic", None, self._deterministic)
        return box

    def add_beside_device(self, key: str, label: str, widget: QWidget) -> None:
        """A row under the device that is not part of the experiment (e.g. "Run on")."""
        row, _role = self._device_form.getWidgetPosition(self._device)
        text = help_text(key)
        widget.setMinimumWidth(72)
        widget.setWhatsThis(text)
        self._help_keys[widget] = key
        self._device_form.insertRow(row + 1, label, widget)
        self._rows[key] = (self._device_form, widget)

    def _stopping_section(self) -> QGroupBox:
        box = QGroupBox(self.tr("Early stopping"))
        form = _form_layout(box)
        self._early = QCheckBox(
            # Short enough for the panel's width at 1280x720; the help box says the rest.
            self.tr("Stop when validation stops improving"),
            objectName="earlyStoppingCheck",
        )
        self._add(form, "early_stopping", None, self._early)
        self._monitor = QComboBox(objectName="monitorCombo")
        self._monitor.addItem(self.tr("validation loss"), "val_loss")
        self._monitor.addItem(self.tr("validation accuracy"), "val_accuracy")
        self._add(form, "monitor", self.tr("Watch"), self._monitor)
        self._mode = QComboBox(objectName="modeCombo")
        for key, text in _names(
            "HyperparameterForm",
            [
                ("auto", QT_TRANSLATE_NOOP("HyperparameterForm", "auto")),
                ("min", QT_TRANSLATE_NOOP("HyperparameterForm", "smaller is better")),
                ("max", QT_TRANSLATE_NOOP("HyperparameterForm", "larger is better")),
            ],
        ):
            self._mode.addItem(text, key)
        self._add(form, "mode", self.tr("Mode"), self._mode)
        self._patience = QSpinBox(objectName="patienceSpin", minimum=1, maximum=10_000)
        self._add(form, "patience", self.tr("Patience"), self._patience)
        self._min_delta = _double("minDeltaSpin", 0.0, 100.0, 6)
        self._add(form, "min_delta", self.tr("Minimum change"), self._min_delta)
        self._restore_best = QCheckBox(
            self.tr("Keep the best epoch's weights"), objectName="restoreBestCheck"
        )
        self._add(form, "restore_best", None, self._restore_best)
        return box

    # -- experiment in and out -------------------------------------------------------------------
    def show_available_devices(self) -> None:
        """List the GPUs torch finds (it imports torch), keeping the chosen device."""
        chosen = self._device.currentData()
        self._device.blockSignals(True)
        for key, text in available_devices():
            if key == "cpu":  # listed from the start, with its translated name
                continue
            index = self._device.findData(key)
            if index < 0:
                self._device.addItem(text, key)
            else:  # it may have been listed as "not on this machine" before torch loaded
                self._device.setItemText(index, text)
        self._select(self._device, chosen)
        self._device.blockSignals(False)

    def set_experiment(self, experiment: Experiment) -> None:
        widgets = list(self._help_keys)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self._fill(experiment)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._update_visibility()
        self.changed.emit()

    def _fill(self, experiment: Experiment) -> None:
        settings = experiment.to_dict()
        device = experiment.training.device
        if self._device.findData(device) < 0:
            # Keep a device this machine lacks, so the file round-trips; Train then says why
            # it cannot run rather than silently training somewhere else.
            self._device.addItem(
                self.tr("{device} (not on this machine)").format(device=device), device
            )
        for path, attribute in _FIELDS:
            _write(getattr(self, attribute), _at(settings, path))

    @staticmethod
    def _select(combo: QComboBox, key: str) -> None:
        combo.setCurrentIndex(max(combo.findData(key), 0))

    def name(self) -> str:
        return self._name.text().strip() or "experiment"

    def seed(self) -> int:
        return self._seed.value()

    def values(self) -> dict:
        """The form's sections as plain data, validated only together with the rest.

        Validating the whole experiment at once gives every problem its full key path
        ("optimizer.momentum"), which is how a problem finds its field.
        """
        values: dict[str, Any] = {}
        for path, attribute in _FIELDS:
            *sections, key = path.split(".")
            tree = values
            for section in sections:
                tree = tree.setdefault(section, {})
            tree[key] = _read(getattr(self, attribute))
        values["name"] = self.name()
        optimizer, schedule = values["optimizer"], values["schedule"]
        optimizer["betas"] = (optimizer["betas"]["0"], optimizer["betas"]["1"])
        # Hidden fields keep their values, but warm-up only counts where it applies.
        if schedule["name"] not in _SCHEDULE_FIELDS["warmup_epochs"]:
            schedule["warmup_epochs"] = 0
        return values

    def set_learning_rate(self, rate: float) -> None:
        """Put `rate` into the learning-rate field (the range test's Use)."""
        self._lr.setValue(rate)

    def set_lr_preview(self, rates: Sequence[float], note: str = "") -> None:
        """Draw the planned learning rate of each epoch."""
        self._lr_curve.setData(list(range(1, len(rates) + 1)), list(rates))
        # Rates are never negative: start the axis at 0, which also keeps a constant rate
        # from being drawn in a meaningless zoom around one value.
        top = max(rates, default=0.0) or 1.0
        self._lr_preview.setYRange(0.0, top * 1.1, padding=0)
        self._lr_preview.setXRange(1, max(len(rates), 2), padding=0.02)
        self._lr_note.setText(note)
        self._lr_note.setVisible(bool(note))

    def lr_preview(self) -> list[float]:
        _, y = self._lr_curve.getData()
        return [] if y is None else [float(v) for v in y]

    def help_shown(self) -> str:
        return self._help.text()

    def _field_for(self, path: str) -> QWidget | None:
        """The widget of a problem's key path ("optimizer.betas" is the first beta's)."""
        for field_path, attribute in _FIELDS:
            if field_path == path or field_path.startswith(path + "."):
                return getattr(self, attribute)
        return None

    def mark_problems(self, problems: Sequence[tuple[str, str]]) -> list[str]:
        """Turn the fields named by (key path, reason) red with the reason as their tooltip.

        Every other field is cleared. Returns the paths that belong to no field of this form.
        """
        marked: dict[QWidget, str] = {}
        elsewhere = []
        for path, reason in problems:
            widget = self._field_for(path)
            if widget is None:
                elsewhere.append(path)
            else:
                marked[widget] = reason
        for widget in self._help_keys:
            if widget in marked:
                widget.setStyleSheet("background-color: #fde2e2;")
                widget.setToolTip(f"<b>{marked[widget]}</b><br>{widget.whatsThis()}")
            elif widget.styleSheet():
                widget.setStyleSheet("")
                widget.setToolTip(widget.whatsThis())
        return elsewhere

    def problem_of(self, path: str) -> str | None:
        """The reason a field is marked red for, or None (for tests and the status bar)."""
        widget = self._field_for(path)
        if widget is None or not widget.styleSheet():
            return None
        return widget.toolTip().removeprefix("<b>").partition("</b>")[0]

    # -- reactions ---------------------------------------------------------------------------------
    @Slot()
    def _on_changed(self) -> None:
        self._update_visibility()
        self.changed.emit()

    def _update_visibility(self) -> None:
        optimizer = self._optimizer_combo.currentData()
        for key, owners in _OPTIMIZER_FIELDS.items():
            layout, widget = self._rows[key]
            layout.setRowVisible(widget, optimizer in owners)
        schedule = self._schedule.currentData()
        for key, owners in _SCHEDULE_FIELDS.items():
            layout, widget = self._rows[key]
            layout.setRowVisible(widget, schedule in owners)
        stopping = self._early.isChecked()
        for key in ("monitor", "mode", "patience", "min_delta"):
            self._rows[key][1].setEnabled(stopping)

    @Slot(QWidget, QWidget)
    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # Spin boxes give focus to their inner line edit: walk up to the registered field.
        widget = new
        while widget is not None and widget not in self._help_keys:
            widget = widget.parentWidget()
        if widget is not None:
            self._help.setText(widget.whatsThis())
