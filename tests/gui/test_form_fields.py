"""The hyperparameter form's one table of fields: fill, read and mark all go through it."""

from workbench.config import Experiment, experiment_from_dict
from workbench.ui.hyperparameter_form import _FIELDS, HyperparameterForm

SECTIONS = ("optimizer", "schedule", "training", "early_stopping", "augmentation")

UNUSUAL = {
    "name": "table round trip",
    "seed": 7,
    "optimizer": {
        "name": "rmsprop",
        "lr": 0.003,
        "momentum": 0.5,
        "betas": [0.8, 0.95],
        "alpha": 0.9,
        "eps": 1e-6,
        "weight_decay": 1e-4,
        "l1": 1e-5,
        "grad_clip": 2.5,
    },
    "schedule": {
        "name": "step",
        "warmup_epochs": 2,
        "step_size": 3,
        "gamma": 0.5,
        "patience": 4,
        "min_lr": 1e-5,
    },
    "training": {"epochs": 12, "batch_size": 32, "device": "cpu", "deterministic": True},
    "early_stopping": {
        "enabled": False,
        "monitor": "val_accuracy",
        "mode": "max",
        "patience": 9,
        "min_delta": 0.01,
        "restore_best": False,
    },
    "augmentation": {"shift": 0.15, "rotation": 12.5, "zoom": 0.05, "shear": 7.0},
}


def test_every_setting_the_form_owns_has_one_row_in_the_table():
    defaults = Experiment().to_dict()
    owned = {"name", "seed"} | {
        f"{section}.{key}" for section in SECTIONS for key in defaults[section]
    }
    # "optimizer.betas.0" and ".1" are the two items of one setting.
    rows = {
        path.rsplit(".", 1)[0] if path.rsplit(".", 1)[-1].isdigit() else path for path, _ in _FIELDS
    }
    assert rows == owned
    assert len({attribute for _, attribute in _FIELDS}) == len(_FIELDS)


def test_an_experiment_goes_through_the_form_unchanged(qtbot):
    form = HyperparameterForm()
    qtbot.addWidget(form)
    experiment = experiment_from_dict(UNUSUAL)
    form.set_experiment(experiment)
    values = form.values()
    again = experiment_from_dict({**experiment.to_dict(), **values})
    assert again.to_dict() == experiment.to_dict()
    for path, attribute in _FIELDS:
        assert form._field_for(path) is getattr(form, attribute)


def test_a_problem_marks_the_field_its_key_names(qtbot):
    form = HyperparameterForm()
    qtbot.addWidget(form)
    elsewhere = form.mark_problems(
        [("optimizer.betas", "too high"), ("early_stopping.mode", "odd"), ("data.path", "gone")]
    )
    assert elsewhere == ["data.path"]
    assert form.problem_of("optimizer.betas") == "too high"
    assert form.problem_of("early_stopping.mode") == "odd"
    assert form._beta1.styleSheet() and not form._beta2.styleSheet()
