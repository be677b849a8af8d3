"""Issue 3 in the window: every control round-trips through a file, the model builder flags
stacks that cannot work, presets, the printout, help texts and the LR preview."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from tests.gui.conftest import evaluate_test, start_run
from workbench.config import (
    Conv2dLayer,
    DenseLayer,
    FlattenLayer,
    MaxPool2dLayer,
    experiment_from_dict,
    load_experiment,
)
from workbench.core import RunStatus
from workbench.models.presets import PRESETS


def everything_changed():
    """An experiment in which every key differs from its default."""
    return experiment_from_dict(
        {
            "name": "all-controls",
            "seed": 7,
            "data": {"source": "digits", "val_fraction": 0.25, "test_fraction": 0.15},
            "model": {
                "layers": [
                    {
                        "type": "conv2d",
                        "channels": 8,
                        "kernel": 3,
                        "stride": 1,
                        "padding": 1,
                        "activation": "leaky_relu",
                        "negative_slope": 0.05,
                        "init": "normal",
                        "init_std": 0.02,
                    },
                    {"type": "batchnorm"},
                    {"type": "maxpool2d", "kernel": 2},
                    {"type": "flatten"},
                    {"type": "dense", "units": 32, "activation": "elu", "init": "xavier"},
                    {"type": "dropout", "p": 0.3},
                ]
            },
            "optimizer": {
                "name": "adamw",
                "lr": 0.002,
                "momentum": 0.8,
                "betas": [0.85, 0.995],
                "alpha": 0.95,
                "eps": 1e-7,
                "weight_decay": 0.05,
                "l1": 0.0001,
                "grad_clip": 2.5,
            },
            "schedule": {
                "name": "step",
                "warmup_epochs": 2,
                "step_size": 4,
                "gamma": 0.7,
                "patience": 5,
                "min_lr": 0.0001,
            },
            "training": {"epochs": 12, "batch_size": 48, "device": "cpu", "deterministic": True},
            "early_stopping": {
                "enabled": False,
                "monitor": "val_accuracy",
                "mode": "max",
                "patience": 9,
                "min_delta": 0.001,
                "restore_best": False,
            },
        }
    )


def test_every_control_round_trips_through_save_and_open(window, tmp_path):
    original = everything_changed()
    window.set_experiment(original)
    assert window.current_experiment() == original
    path = tmp_path / "all.toml"
    assert window.save_experiment(path)
    assert load_experiment(path) == original
    window.set_experiment(experiment_from_dict({}))
    assert window.current_experiment() != original
    assert window.open_experiment(path)
    assert window.current_experiment() == original
    assert "all.toml" in window.windowTitle()
    assert str(path.resolve()) in window.recent_files.paths()


def test_fields_that_do_not_apply_are_hidden(window):
    form = window.form
    form._select(form._optimizer_combo, "sgd")
    assert form._momentum.isHidden() and form._beta1.isHidden()
    form._select(form._optimizer_combo, "nesterov")
    assert not form._momentum.isHidden() and form._beta1.isHidden()
    form._select(form._optimizer_combo, "adam")
    assert form._momentum.isHidden() and not form._beta1.isHidden()
    form._select(form._schedule, "cosine")
    assert not form._min_lr.isHidden() and form._step_size.isHidden()
    form._select(form._schedule, "onecycle")
    assert form._warmup.isHidden()


def test_focus_shows_the_fields_help(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.form._lr.setFocus()
    QApplication.processEvents()
    assert "Learning rate" in window.form.help_shown()
    window.form._batch_size.setFocus()
    QApplication.processEvents()
    assert "Samples per weight update" in window.form.help_shown()
    assert window.form._batch_size.toolTip() == window.form.help_shown()


def test_lr_preview_follows_the_schedule(window):
    form = window.form
    form._epochs.setValue(10)
    form._select(form._schedule, "step")
    form._step_size.setValue(3)
    form._gamma.setValue(0.5)
    lr = form._lr.value()
    assert form.lr_preview() == [lr] * 3 + [lr / 2] * 3 + [lr / 4] * 3 + [lr / 8]


def test_a_stack_that_cannot_work_is_flagged_on_its_layer_and_refused(window, qtbot):
    builder = window.model_builder
    builder.set_model_config(
        builder.model_config().model_copy(
            update={"layers": (DenseLayer(units=10), Conv2dLayer(channels=4))}
        )
    )
    assert builder.layer_error(0) is None
    assert "Conv2d needs an image" in builder.layer_error(1)
    item = builder.findChild(QWidget, "layerList").topLevelItem(1)
    assert "Conv2d needs an image" in item.toolTip(1)
    # The message names the layer as the list numbers it: row "2", a Conv2d.
    assert item.text(0) == "2" and item.text(1).startswith("Conv2d")
    assert builder.findChild(QWidget, "modelError").text().startswith("model layer 2 (conv2d):")
    qtbot.mouseClick(window.train_button, Qt.MouseButton.LeftButton)
    assert window.training_run is None
    assert "Cannot train: model layer 2 (conv2d): Conv2d needs" in window.status_text()


def test_the_layer_list_is_numbered_from_one(window):
    builder = window.model_builder
    builder.apply_preset("mlp5")
    tree = builder.findChild(QWidget, "layerList")
    assert tree.headerItem().text(0) == "#"
    assert [tree.topLevelItem(i).text(0) for i in range(4)] == ["1", "2", "3", "4"]
    assert builder.layer_texts() == [tree.topLevelItem(i).text(1) for i in range(4)]
    builder.select_row(3)
    builder.findChild(QWidget, "moveUpButton").click()
    assert [tree.topLevelItem(i).text(0) for i in range(4)] == ["1", "2", "3", "4"]


def test_a_model_that_cannot_be_built_shows_no_parameter_count(window):
    builder = window.model_builder
    label = builder.findChild(QWidget, "parameterCount")
    builder.set_model_config(
        builder.model_config().model_copy(
            update={"layers": (DenseLayer(units=10), Conv2dLayer(channels=4))}
        )
    )
    assert builder.parameter_count() is None
    assert "cannot be built" in label.text()
    assert not any(character.isdigit() for character in label.text()), label.text()
    builder.set_model_config(
        builder.model_config().model_copy(update={"layers": (DenseLayer(units=10),)})
    )
    assert builder.parameter_count() == 64 * 10 + 10 + 10 * 10 + 10
    assert label.text() == "Parameters: 760"


def test_shapes_and_counts_follow_edits(window):
    builder = window.model_builder
    builder.set_model_config(PRESETS["small_cnn"][1])
    tree = builder.findChild(QWidget, "layerList")
    assert [tree.topLevelItem(i).text(2) for i in range(5)] == [
        "16 x 8 x 8",
        "16 x 4 x 4",
        "32 x 4 x 4",
        "32 x 2 x 2",
        "128",
    ]
    assert builder.findChild(QWidget, "inputShapeLabel").text() == "Input: 1 x 8 x 8 image"
    builder.select_row(0)
    builder._editor.kernel.setValue(9)  # larger than the padded 8x8 input? 8 + 2 = 10: fits
    assert builder.layer_error(0) is None
    builder._editor.padding.setValue(0)
    assert "kernel 9 is larger than the 8x8 input" in builder.layer_error(0)
    builder._editor.kernel.setValue(3)
    assert builder.first_error() is None
    assert builder.model_config().layers[0] == Conv2dLayer(
        channels=16, kernel=3, padding=0, activation="relu", init="he"
    )


def test_presets_and_the_pytorch_printout(window):
    builder = window.model_builder
    builder.apply_preset("mlp7")
    assert len(builder.model_config().layers) == 6
    builder.apply_preset("small_cnn")
    assert builder.model_config() == PRESETS["small_cnn"][1]
    text = builder.model_text()
    assert "Conv2d(1, 16, kernel_size=(3, 3)" in text and "Unflatten" in text
    builder.show_model_text()
    dialog = builder.findChild(QWidget, "modelTextDialog")
    assert dialog.findChild(QPlainTextEdit, "modelPrintout").toPlainText() == text
    dialog.close()


def test_switching_to_flat_data_flags_the_convolution(window):
    window.model_builder.apply_preset("small_cnn")
    combo = window.dataset_panel.findChild(QWidget, "datasetSource")
    combo.setCurrentIndex(combo.findData("spiral"))
    assert "not images" in window.model_builder.layer_error(0)


def test_a_cnn_trains_from_the_window_with_a_schedule(qtbot, window):
    window.model_builder.set_model_config(
        window.model_builder.model_config().model_copy(
            update={
                "layers": (
                    Conv2dLayer(channels=8, padding=1, init="he"),
                    MaxPool2dLayer(),
                    FlattenLayer(),
                )
            }
        )
    )
    form = window.form
    form._epochs.setValue(4)
    form._select(form._schedule, "cosine")
    run = start_run(qtbot, window)
    with qtbot.waitSignal(run.run_finished, timeout=120_000) as finished:
        pass
    result = finished.args[0]
    assert result.status == RunStatus.COMPLETED
    live = [m.lr for m in result.history]
    _, planned = window.plots.lr_plot.points("planned")
    _, used = window.plots.lr_plot.points("live")
    assert list(used) == live
    assert list(planned) == form.lr_preview()
    assert live == form.lr_preview()
    assert evaluate_test(qtbot, window).test.accuracy > 0.5


def test_an_invalid_combination_turns_its_field_red_with_the_reason(window, qtbot):
    form = window.form
    form._select(form._optimizer_combo, "nesterov")
    form._momentum.setValue(0.0)
    assert form.problem_of("optimizer.momentum") == "nesterov needs a momentum above 0"
    assert form._momentum.styleSheet()
    assert "nesterov needs a momentum above 0" in form._momentum.toolTip()
    qtbot.mouseClick(window.train_button, Qt.MouseButton.LeftButton)
    assert window.training_run is None
    assert "optimizer.momentum: nesterov needs" in window.status_text()
    form._momentum.setValue(0.9)
    assert form.problem_of("optimizer.momentum") is None
    assert form._momentum.toolTip() == form._momentum.whatsThis()

    form._epochs.setValue(3)
    form._select(form._schedule, "cosine")
    form._warmup.setValue(3)
    assert form.problem_of("schedule.warmup_epochs") == "must be fewer than training.epochs"


def test_one_click_gives_every_weighted_layer_the_same_init(window):
    builder = window.model_builder
    builder.apply_preset("mlp5")
    builder.select_row(2)
    editor = builder._editor
    editor.dense_fields.init.setCurrentIndex(editor.dense_fields.init.findData("normal"))
    editor.dense_fields.init_std.setValue(0.01)
    editor.dense_fields.activation.setCurrentIndex(
        editor.dense_fields.activation.findData("sigmoid")
    )
    editor.dense_fields.to_all.click()
    layers = builder.model_config().layers
    assert {(layer.init, layer.init_std, layer.activation) for layer in layers} == {
        ("normal", 0.01, "sigmoid")
    }
    assert [layer.units for layer in layers] == [100] * 4
    assert builder.current_row() == 2
