"""Hostile experiment files: refused upfront, in one line naming the key, never a traceback.

Each case here once got through to training (a `failed` run recorded, or a divergence at
epoch 1) or ended in a traceback (issue 15).
"""

import math
import subprocess
import sys
import time
import typing
from pathlib import Path

import numpy as np
import pytest
from pydantic import BaseModel

from tests.conftest import small_experiment
from workbench.config import (
    MAX_FILE_BYTES,
    MAX_LAYERS,
    MAX_PROBLEMS,
    Conv2dLayer,
    DenseLayer,
    DropoutLayer,
    Experiment,
    ExperimentError,
    experiment_from_dict,
    load_experiment,
    read_toml,
)
from workbench.core import checks
from workbench.core.checks import ModelSizeError, check_runnable
from workbench.data.dataset import DatasetError


def refused(data) -> str:
    with pytest.raises(ExperimentError) as caught:
        experiment_from_dict(data)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    return message


# -- one finite-number check for every float setting --------------------------------------


def _float_keys(model: type[BaseModel], prefix: str) -> list[tuple[str, str]]:
    """(dotted key, how its value is written) of every float setting, found by introspection,
    so a float setting added later is covered without editing this test."""
    found = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        args = typing.get_args(annotation)
        if annotation is float:
            found.append((f"{prefix}{name}", "scalar"))
        elif args and all(a is float for a in args):  # betas: a pair of floats
            found.append((f"{prefix}{name}", "pair"))
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found.extend(_float_keys(annotation, f"{prefix}{name}."))
    return found


FLOAT_KEYS = _float_keys(Experiment, "") + [
    (f"layer:{layer.model_fields['type'].default}:{key}", form)
    for layer in (DenseLayer, Conv2dLayer, DropoutLayer)
    for key, form in _float_keys(layer, "")
]


def _with_value(key: str, form: str, value: float) -> dict:
    written = [value, 0.9] if form == "pair" else value
    if key.startswith("layer:"):
        _, layer_type, name = key.split(":")
        return {"model": {"layers": [{"type": layer_type, name: written}, {"type": "flatten"}]}}
    section, _, name = key.rpartition(".")
    return {section: {name: written}} if section else {name: written}


def test_every_float_setting_is_found():
    keys = {key for key, _ in FLOAT_KEYS}
    assert {"optimizer.lr", "optimizer.grad_clip", "schedule.min_lr"} <= keys
    assert {"early_stopping.min_delta", "data.val_fraction", "layer:dense:init_std"} <= keys
    assert len(keys) >= 15


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize(("key", "form"), FLOAT_KEYS, ids=[k for k, _ in FLOAT_KEYS])
def test_no_float_setting_takes_inf_or_nan(key, form, value):
    message = refused(_with_value(key, form, value))
    name = key.rpartition(":")[2].rpartition(".")[2]
    assert f"{name}{'[0]' if form == 'pair' else ''}: must be a finite number" in message
    assert f"got {value!r}" in message


def test_nan_learning_rate_is_named_as_such_not_as_out_of_range():
    message = refused({"optimizer": {"lr": math.nan}})
    assert message == "experiment: optimizer.lr: must be a finite number, got nan"


def test_an_inf_from_the_file_is_refused_by_key(tmp_path):
    path = tmp_path / "exp.toml"
    path.write_text("[optimizer]\ngrad_clip = inf\n", encoding="utf-8")
    with pytest.raises(ExperimentError, match=r"optimizer\.grad_clip: must be a finite number"):
        load_experiment(path)


@pytest.mark.parametrize("name", ["cosine", "plateau"])
def test_min_lr_above_the_rate_is_refused(name):
    message = refused({"optimizer": {"lr": 0.01}, "schedule": {"name": name, "min_lr": 1e300}})
    assert "schedule.min_lr: 1e+300 is above optimizer.lr (0.01)" in message


def test_min_lr_of_a_schedule_that_ignores_it_is_left_alone():
    experiment = experiment_from_dict({"schedule": {"name": "step", "min_lr": 5.0}})
    assert experiment.schedule.min_lr == 5.0


def test_init_std_too_large_for_float32_weights_is_refused():
    message = refused(
        {"model": {"layers": [{"type": "dense", "init": "normal", "init_std": 1e300}]}}
    )
    assert "init_std: Input should be less than or equal to 100" in message


# -- TOML reading --------------------------------------------------------------------------


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbfname = 'with-bom'\n")
    assert load_experiment(path).name == "with-bom"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a = " + "[" * 500 + "]" * 500 + "\n", "nested too deeply"),
        ("a = " + "{b = " * 500 + "1" + "}" * 500 + "\n", "nested too deeply"),
        ("seed = " + "1" * 4301 + "\n", "a number has more than 4300 digits"),
    ],
    ids=["arrays", "tables", "digits"],
)
def test_what_python_cannot_parse_is_one_line_naming_the_file(tmp_path, text, expected):
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExperimentError) as caught:
        read_toml(path)
    assert str(caught.value) == f"{path}: not valid TOML: {expected}"


def test_text_that_is_not_utf8_names_the_file(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes("name = 'café'\n".encode("latin-1"))
    with pytest.raises(ExperimentError, match=r"latin1\.toml: not UTF-8 text: "):
        read_toml(path)


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path):
    # The 10 MB experiment of 625k layers planned for minutes.
    path = tmp_path / "huge.toml"
    path.write_text("[model]\nlayers = [" + "{type='flatten'}," * 625_000 + "]\n")
    started = time.perf_counter()
    with pytest.raises(ExperimentError, match=r"larger than 1 MB; an experiment file is a few"):
        load_experiment(path)
    assert time.perf_counter() - started < 1.0
    assert MAX_FILE_BYTES == 1 << 20


@pytest.mark.skipif(sys.platform != "linux", reason="needs /dev/zero and RLIMIT_AS")
def test_an_endless_file_is_read_no_further_than_the_cap():
    # In a child with its address space capped: were the cap missing, that child would fail
    # with MemoryError instead of this process eating the machine's memory.
    code = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "from workbench.config import ExperimentError, read_toml\n"
        "try:\n"
        "    read_toml('/dev/zero')\n"
        "except ExperimentError as error:\n"
        "    print(error)\n"
    )
    root = Path(__file__).resolve().parents[2]
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert completed.stdout.startswith("/dev/zero: larger than 1 MB"), completed.stderr[-500:]


@pytest.mark.parametrize(
    ("path", "expected"),
    [("bad\x00name.toml", r"bad\\x00name\.toml: cannot read: embedded null byte"), (".", "cannot")],
)
def test_paths_that_cannot_be_opened_give_one_line(path, expected):
    with pytest.raises(ExperimentError, match=expected) as caught:
        read_toml(Path(path))
    assert "\n" not in str(caught.value) and "\x00" not in str(caught.value)


def test_a_newline_in_the_file_name_is_escaped(tmp_path):
    path = tmp_path / "two\nlines.toml"
    path.write_text("[optimizer]\nlr = nan\n", encoding="utf-8")
    with pytest.raises(ExperimentError) as caught:
        load_experiment(path)
    assert str(caught.value).endswith(
        "two\\nlines.toml: optimizer.lr: must be a finite number, got nan"
    )


# -- the error line is capped --------------------------------------------------------------


def test_many_problems_make_a_short_line():
    message = refused({f"unknown{i}": 1 for i in range(5000)})
    assert message.count("unknown key") == MAX_PROBLEMS
    assert message.endswith(f"; and {5000 - MAX_PROBLEMS} more")
    assert len(message) < 400


def test_a_huge_key_is_shortened_and_a_newline_in_it_escaped():
    message = refused({"x" * 100_000: 1, "two\nlines": 2})
    assert len(message) < 800
    assert "two\\nlines: unknown key" in message


# -- free text -----------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\n", "\r", "\t", "\x1b", "\x7f", "\x85", "\u2028"])
def test_run_names_with_control_characters_are_refused(char):
    message = refused({"name": f"bad{char}name"})
    assert f"name: must not contain control characters; found {ascii(char)}" in message


def test_a_data_path_with_a_nul_byte_is_refused():
    message = refused({"data": {"source": "csv", "path": "a\x00.csv"}})
    assert "data.path: must not contain control characters" in message


def test_unicode_names_are_welcome():
    name = "Über-Ñet 深度 🚀"
    assert experiment_from_dict({"name": name}).name == name


def test_a_run_name_has_a_length_cap():
    assert "name: String should have at most 200 characters" in refused({"name": "n" * 201})


# -- the model ------------------------------------------------------------------------------


def test_the_layer_count_has_a_cap_that_the_message_states():
    layers = [{"type": "dropout"}] * (MAX_LAYERS + 1)
    message = refused({"model": {"layers": layers}})
    assert message == f"experiment: model.layers: {MAX_LAYERS + 1} layers; at most 1000 are allowed"
    assert len(experiment_from_dict({"model": {"layers": layers[:-1]}}).model.layers) == 1000


def test_625k_layers_are_refused_at_once():
    started = time.perf_counter()
    refused({"model": {"layers": [{"type": "flatten"}] * 625_000}})
    assert time.perf_counter() - started < 1.0


def test_convolution_sizes_that_overflow_torch_are_refused():
    # Planning once raised torch's RuntimeError: "Storage size calculation overflowed".
    layer = {"type": "conv2d", "kernel": 10**18, "padding": 10**18}
    message = refused({"model": {"layers": [layer, {"type": "flatten"}]}})
    assert "kernel: Input should be less than or equal to 4096" in message


def test_a_model_too_big_for_memory_is_refused_before_training():
    # The case, scaled up so that no machine has the memory: 100 x Dense 65,536.
    experiment = small_experiment(model={"layers": [{"type": "dense", "units": 65_536}] * 100})
    with pytest.raises(ModelSizeError) as caught:
        check_runnable(experiment)
    message = str(caught.value)
    assert message.startswith("model.layers: 425,213,165,578 parameters need at least 8.5 TB")
    assert "of memory is available on cpu" in message


def test_the_memory_check_says_the_size_and_the_memory(monkeypatch):
    # 3 x Dense 65,536 on the digits: 8.6e9 parameters, 172 GB with Adam.
    monkeypatch.setattr(checks, "available_memory", lambda device: 64 * 10**9)
    experiment = small_experiment(model={"layers": [{"type": "dense", "units": 65_536}] * 3})
    with pytest.raises(ModelSizeError) as caught:
        check_runnable(experiment)
    assert str(caught.value) == (
        "model.layers: 8,594,980,874 parameters need at least 171.9 GB to train with adam "
        "(weights, gradients, optimizer state), but only 64.0 GB of memory is available on cpu"
    )


def test_a_model_that_fits_passes_the_memory_check(monkeypatch):
    monkeypatch.setattr(checks, "available_memory", lambda device: 10**9)
    check_runnable(small_experiment())


def test_the_system_memory_is_known_here():
    available = checks.available_system_memory()
    assert available is None or available > 10**6


# -- the split ------------------------------------------------------------------------------


@pytest.fixture
def lonely_class_npz(tmp_path):
    path = tmp_path / "lonely.npz"
    rng = np.random.default_rng(0)
    labels = np.array([0] * 20 + [1] * 20 + [2])  # class 2: a single sample
    np.savez(path, x=rng.normal(size=(len(labels), 4)), y=labels)
    return path


def test_a_class_with_a_single_sample_is_refused_before_training(lonely_class_npz):
    experiment = small_experiment(data={"source": "npz", "path": str(lonely_class_npz)})
    with pytest.raises(DatasetError, match=r"^data: class '2' has only 1 sample; a split by"):
        check_runnable(experiment)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"val_fraction": 1e-300}, r"^data\.val_fraction: 1e-300 of 1797 samples leaves 1 for"),
        ({"test_fraction": 1e-300}, r"^data\.test_fraction: 1e-300 of 1797 samples leaves 1 for"),
        ({"train_limit": 1075}, r"^data\.train_limit: 1075 of the 1077 training samples leaves"),
    ],
)
def test_fractions_that_leave_a_part_without_every_class_are_refused(data, expected):
    with pytest.raises(DatasetError, match=expected):
        check_runnable(small_experiment(data=data))


def test_a_split_checked_once_is_not_made_again_for_the_same_labels_and_settings(monkeypatch):
    made = []
    real = checks.split_dataset
    monkeypatch.setattr(checks, "split_dataset", lambda *a, **k: made.append(a) or real(*a, **k))
    monkeypatch.setattr(checks, "_SPLITS_CHECKED", [])
    check_runnable(small_experiment())
    check_runnable(small_experiment(optimizer={"name": "sgd"}))  # a comparison's next variant
    assert len(made) == 1
    check_runnable(small_experiment(seed=1))  # another seed is another split
    check_runnable(small_experiment(data={"val_fraction": 0.3}))
    assert len(made) == 3
    # A failed split is not remembered: it is refused again, every time.
    with pytest.raises(DatasetError):
        check_runnable(small_experiment(data={"train_limit": 1075}))
    with pytest.raises(DatasetError):
        check_runnable(small_experiment(data={"train_limit": 1075}))


def test_the_cli_refuses_with_exit_2_and_records_no_run(
    tmp_path, capsys, monkeypatch, lonely_class_npz
):
    from workbench.cli import run_command

    # A small model and little memory: were the check missing, this would train, not swap.
    cases = {
        "lonely": (f"[data]\nsource = 'npz'\npath = '{lonely_class_npz}'\n", 10**12),
        "memory": ("[model]\nlayers = [{type = 'dense', units = 32}]\n", 1000),
        "tiny": ("[data]\nval_fraction = 1e-300\n", 10**12),
    }
    store = tmp_path / "store"
    for name, (text, memory) in cases.items():
        monkeypatch.setattr(checks, "available_memory", lambda device, memory=memory: memory)
        path = tmp_path / f"{name}.toml"
        path.write_text(text + "[training]\nepochs = 1\ndevice = 'cpu'\n", encoding="utf-8")
        code = run_command([str(path), "--out", str(tmp_path / "out"), "--data-dir", str(store)])
        err = capsys.readouterr().err
        assert code == 2, err
        assert err.count("\n") == 1 and err.startswith(f"error: {path}: "), err
    assert not store.exists() or not any(store.rglob("*.sqlite*"))
    assert not (tmp_path / "out").exists()
