"""Experiment configuration: validated, immutable models that map 1:1 onto the TOML file.

The window and `workbench run` both go through `load_experiment`, so a file means the same
run in both. Validation errors become one `ExperimentError` line naming the key.
"""

from __future__ import annotations

import re
import stat
import sys
import tomllib
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import tomli_w
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

from workbench.errors import UNPRINTABLE, UserError, printable
from workbench.i18n import N_, _

CONFIG_VERSION = 1  # raise when a key changes meaning; older files must stay readable

BuiltinSource = Literal["digits", "spiral", "moons", "circles", "xor", "blobs"]
FileSource = Literal["idx", "csv", "npz", "folder"]
Normalize = Literal["none", "scale", "standard"]
Activation = Literal["sigmoid", "tanh", "relu", "leaky_relu", "elu", "swish", "gelu", "identity"]
Init = Literal["default", "normal", "xavier", "he"]
OptimizerName = Literal["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"]
ScheduleName = Literal["constant", "step", "exponential", "cosine", "onecycle", "plateau"]
Monitor = Literal["val_loss", "val_accuracy"]
Mode = Literal["auto", "min", "max"]

BUILTIN_SOURCES: tuple[str, ...] = get_args(BuiltinSource)
FILE_SOURCES: tuple[str, ...] = get_args(FileSource)
DATA_SOURCES: tuple[str, ...] = BUILTIN_SOURCES + FILE_SOURCES
ACTIVATIONS: tuple[str, ...] = get_args(Activation)
INITS: tuple[str, ...] = get_args(Init)
OPTIMIZERS: tuple[str, ...] = get_args(OptimizerName)
SCHEDULES: tuple[str, ...] = get_args(ScheduleName)
MONITORS: tuple[str, ...] = get_args(Monitor)
MODES: tuple[str, ...] = get_args(Mode)
# auto | cpu | cuda | cuda:N | mps; whether the device exists is checked when a run starts.
DEVICE_PATTERN = r"^(auto|cpu|cuda(:[0-9]+)?|mps)$"
# An experiment file is a few KB; a bigger one is a mistake or hostile (a 10 MB file of 625k
# layers planned for minutes), so it is refused before it is parsed.
MAX_FILE_BYTES = 1 << 20
# Far beyond any model the workbench is for; the planner walks every layer on each edit.
MAX_LAYERS = 1000
# An error message lists this many problems, then "and N more": 800k unknown keys once made
# a 13 MB line.
MAX_PROBLEMS = 5
_MAX_PROBLEM_CHARS = 300  # a key or value a person typed can be megabytes long


class ExperimentError(UserError, ValueError):
    """A bad experiment: the message is one line that names the file and key."""


class _Strict(BaseModel):
    # extra="forbid" turns a misspelt key into an error instead of a silently ignored one;
    # strict=True refuses "0.1" (a string) where a number belongs, as the TOML types promise.
    # allow_inf_nan=False: TOML has inf and nan, and no setting means anything with them (an
    # inf init_std or min_lr only diverges at epoch 1), so every float is checked here, once.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def _list_to_tuple(value: Any) -> Any:
    # TOML arrays arrive as lists; the frozen config holds tuples. Items stay strictly typed.
    return tuple(value) if isinstance(value, list) else value


def _layer_list(value: Any) -> Any:
    # Counted before each layer is validated: 625k layers must be refused at once.
    if isinstance(value, list | tuple) and len(value) > MAX_LAYERS:
        raise ValueError(
            _("{count} layers; at most {most} are allowed").format(
                count=len(value), most=MAX_LAYERS
            )
        )
    return _list_to_tuple(value)


def _printable(text: str) -> str:
    # Control characters (NUL, newline, escape...), lone surrogates and line separators: text
    # with them cannot be printed on one line, stored as UTF-8, or (NUL) passed to the OS.
    for index, char in enumerate(text):
        if unicodedata.category(char) in UNPRINTABLE:
            raise ValueError(
                _("must not contain control characters; found {char} at position {index}").format(
                    char=ascii(char), index=index
                )
            )
    return text


PlainText = Annotated[str, AfterValidator(_printable)]


# Which choice each optional setting belongs to; elsewhere it is kept but unused. The form
# hides such fields and reports leave them out.
OPTIMIZER_SETTING_OWNERS: dict[str, set[str]] = {
    "momentum": {"momentum", "nesterov"},
    "betas": {"adam", "adamw"},
    "alpha": {"rmsprop"},
    "eps": {"adagrad", "rmsprop", "adam", "adamw"},
}
SCHEDULE_SETTING_OWNERS: dict[str, set[str]] = {
    "warmup_epochs": {"constant", "step", "exponential", "cosine"},
    "step_size": {"step"},
    "gamma": {"step", "exponential", "plateau"},
    "patience": {"plateau"},
    "min_lr": {"cosine", "plateau"},
}
DATA_SETTING_OWNERS: dict[str, set[str]] = {
    "path": {"idx", "csv", "npz", "folder"},
    "label_column": {"csv"},
    "image_size": {"folder"},
    "grayscale": {"folder"},
    "noise": {"spiral", "moons", "circles", "xor", "blobs"},
    "samples": {"spiral", "moons", "circles", "xor", "blobs"},
}


def settings_that_apply(section: str, values: dict[str, Any]) -> dict[str, Any]:
    """A config section without the settings its choices do not use (for showing it)."""
    owners, choice = {
        "optimizer": (OPTIMIZER_SETTING_OWNERS, values.get("name")),
        "schedule": (SCHEDULE_SETTING_OWNERS, values.get("name")),
        "data": (DATA_SETTING_OWNERS, values.get("source")),
    }.get(section, ({}, None))
    kept = {k: v for k, v in values.items() if k not in owners or choice in owners[k]}
    if section == "layer":
        if values.get("activation") != "leaky_relu":
            kept.pop("negative_slope", None)
        if values.get("init") != "normal":
            kept.pop("init_std", None)
    return kept


class DataConfig(_Strict):
    # One Literal, not a union of two: pydantic named each alternative in its error
    # ("data.source.literal['digits',...]: ...; data.source.literal['idx',...]: ...").
    source: Literal[BuiltinSource, FileSource] = "digits"
    path: PlainText = ""  # idx (a folder), csv, npz, folder (one sub-folder per class)
    label_column: PlainText = ""  # csv; empty = the last column
    image_size: Annotated[
        tuple[Annotated[int, Field(ge=1, le=1024)], Annotated[int, Field(ge=1, le=1024)]],
        BeforeValidator(_list_to_tuple),
    ] = (28, 28)  # folder: [height, width] every image is resized to
    grayscale: bool = True  # folder
    normalize: Normalize = "standard"  # statistics from the training part only
    noise: float = Field(0.2, ge=0.0, le=5.0)  # synthetic 2-D sets
    samples: int = Field(600, ge=20, le=1_000_000)  # synthetic 2-D sets
    val_fraction: float = Field(0.2, gt=0.0, lt=1.0)
    # Used only when the source has no test split of its own (MNIST's t10k files have).
    test_fraction: float = Field(0.2, gt=0.0, lt=1.0)
    # A stratified subset of the training part (0 = all), for overfitting experiments; the
    # validation and test parts stay as they are, so runs with different limits compare.
    train_limit: int = Field(0, ge=0)

    @model_validator(mode="after")
    def _leave_training_data(self) -> DataConfig:
        if self.val_fraction + self.test_fraction > 0.8:
            raise ValueError(_("val_fraction + test_fraction must leave at least 20% for training"))
        if self.source in get_args(FileSource) and not self.path:
            # The key stays outside the template: `validation_problems` reads it back.
            raise ValueError(
                "path: "
                + _("source {source} needs the path of the data").format(source=repr(self.source))
            )
        return self


class _Weighted(_Strict):
    """What Dense and Conv2d share: an activation after them and an initialisation."""

    activation: Activation = "relu"
    negative_slope: float = Field(0.01, ge=0.0, lt=1.0)  # leaky_relu only
    init: Init = "default"
    # init = "normal" only; far above 100 the float32 weights overflow whatever the data.
    init_std: float = Field(0.01, gt=0.0, le=100.0)


class DenseLayer(_Weighted):
    type: Literal["dense"] = "dense"
    units: int = Field(100, ge=1, le=65_536)


# Bounds for the sizes of a convolution: unbounded, a kernel and padding of 10**18 overflowed
# torch's size arithmetic with a traceback while planning.
_MAX_SPATIAL = 4096


class Conv2dLayer(_Weighted):
    type: Literal["conv2d"] = "conv2d"
    channels: int = Field(16, ge=1, le=4096)
    kernel: int = Field(3, ge=1, le=_MAX_SPATIAL)
    stride: int = Field(1, ge=1, le=_MAX_SPATIAL)
    padding: int = Field(0, ge=0, le=_MAX_SPATIAL)


class MaxPool2dLayer(_Strict):
    type: Literal["maxpool2d"] = "maxpool2d"
    kernel: int = Field(2, ge=1, le=_MAX_SPATIAL)


class FlattenLayer(_Strict):
    type: Literal["flatten"] = "flatten"


class DropoutLayer(_Strict):
    type: Literal["dropout"] = "dropout"
    p: float = Field(0.5, ge=0.0, lt=1.0)


class BatchNormLayer(_Strict):
    type: Literal["batchnorm"] = "batchnorm"


AnyLayer = DenseLayer | Conv2dLayer | MaxPool2dLayer | FlattenLayer | DropoutLayer | BatchNormLayer
Layer = Annotated[AnyLayer, Field(discriminator="type")]
LAYER_TYPES = ("dense", "conv2d", "maxpool2d", "flatten", "dropout", "batchnorm")


def _default_layers() -> tuple[AnyLayer, ...]:
    return (DenseLayer(units=100, activation="relu", init="he"), DropoutLayer(p=0.1))


class ModelConfig(_Strict):
    layers: Annotated[tuple[Layer, ...], BeforeValidator(_layer_list)] = Field(
        default_factory=_default_layers
    )


class OptimizerConfig(_Strict):
    name: OptimizerName = "adam"
    lr: float = Field(0.001, gt=0.0, le=100.0)
    momentum: float = Field(0.9, ge=0.0, lt=1.0)  # momentum, nesterov (and rmsprop's own)
    betas: Annotated[
        tuple[Annotated[float, Field(ge=0.0, lt=1.0)], Annotated[float, Field(ge=0.0, lt=1.0)]],
        BeforeValidator(_list_to_tuple),
    ] = (0.9, 0.999)  # adam, adamw
    alpha: float = Field(0.99, gt=0.0, lt=1.0)  # rmsprop's smoothing constant
    eps: float = Field(1e-8, gt=0.0, le=1.0)  # adagrad, rmsprop, adam, adamw
    weight_decay: float = Field(0.0, ge=0.0, le=10.0)
    l1: float = Field(0.0, ge=0.0, le=10.0)
    grad_clip: float = Field(0.0, ge=0.0)  # max gradient norm; 0 = off

    @model_validator(mode="after")
    def _nesterov_needs_momentum(self) -> OptimizerConfig:
        if self.name == "nesterov" and self.momentum == 0.0:
            raise ValueError("momentum: " + _("nesterov needs a momentum above 0"))
        return self


class ScheduleConfig(_Strict):
    name: ScheduleName = "constant"
    warmup_epochs: int = Field(0, ge=0)
    step_size: int = Field(10, ge=1)  # step
    gamma: float = Field(0.5, gt=0.0, le=1.0)  # step, exponential; plateau's factor
    patience: int = Field(3, ge=0)  # plateau
    min_lr: float = Field(0.0, ge=0.0)  # cosine, plateau

    @model_validator(mode="after")
    def _warmup_where_it_applies(self) -> ScheduleConfig:
        if self.warmup_epochs and self.name in ("onecycle", "plateau"):
            reason = (
                _("not used with {name} (it warms up by itself)")
                if self.name == "onecycle"
                else _("not used with {name}")
            )
            raise ValueError("warmup_epochs: " + reason.format(name=self.name))
        if self.name == "plateau" and self.gamma == 1.0:
            raise ValueError("gamma: " + _("plateau's factor must be below 1 to lower the rate"))
        return self


class TrainingConfig(_Strict):
    epochs: int = Field(20, ge=1, le=100_000)
    batch_size: int = Field(100, ge=1)
    device: str = Field("auto", pattern=DEVICE_PATTERN)
    deterministic: bool = False


class EarlyStoppingConfig(_Strict):
    enabled: bool = True
    monitor: Monitor = "val_loss"
    mode: Mode = "auto"  # auto: min for a loss, max for an accuracy
    patience: int = Field(5, ge=1)
    min_delta: float = Field(0.0, ge=0.0)
    restore_best: bool = True

    @property
    def resolved_mode(self) -> Literal["min", "max"]:
        if self.mode == "auto":
            return "min" if self.monitor == "val_loss" else "max"
        return self.mode


class AugmentationConfig(_Strict):
    """Random changes to each training image, drawn anew every time a batch takes it.

    Images only (built-in digits and MNIST, IDX, image folders); 0 everywhere is off.
    """

    shift: float = Field(0.0, ge=0.0, le=0.5)  # largest move, a fraction of the image's side
    rotation: float = Field(0.0, ge=0.0, le=180.0)  # largest turn, degrees either way
    zoom: float = Field(0.0, ge=0.0, le=0.5)  # scale between 1 - zoom and 1 + zoom
    shear: float = Field(0.0, ge=0.0, le=45.0)  # largest slant, degrees either way

    @property
    def enabled(self) -> bool:
        return any((self.shift, self.rotation, self.zoom, self.shear))


class Experiment(_Strict):
    version: int = Field(CONFIG_VERSION, ge=1, le=CONFIG_VERSION)
    name: PlainText = Field("experiment", min_length=1, max_length=200)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    data: DataConfig = Field(default_factory=DataConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    optimizer: OptimizerConfig = Field(default_factory=OptimizerConfig)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    training: TrainingConfig = Field(default_factory=TrainingConfig)
    early_stopping: EarlyStoppingConfig = Field(default_factory=EarlyStoppingConfig)
    augmentation: AugmentationConfig = Field(default_factory=AugmentationConfig)

    @model_validator(mode="after")
    def _cross_checks(self) -> Experiment:
        has_batch_norm = any(isinstance(layer, BatchNormLayer) for layer in self.model.layers)
        if has_batch_norm and self.training.batch_size < 2:
            raise ValueError(
                "training.batch_size: "
                + _("batch normalisation needs at least 2 samples per batch")
            )
        if self.schedule.warmup_epochs >= self.training.epochs:
            raise ValueError("schedule.warmup_epochs: " + _("must be fewer than training.epochs"))
        min_lr, lr = self.schedule.min_lr, self.optimizer.lr
        if self.schedule.name in SCHEDULE_SETTING_OWNERS["min_lr"] and min_lr > lr:
            # Cosine would raise the rate towards it (1e300 diverged at epoch 1); plateau
            # would silently never lower it.
            raise ValueError(
                "schedule.min_lr: "
                + _(
                    "{min_lr} is above optimizer.lr ({lr}); the schedule lowers the rate towards it"
                ).format(min_lr=f"{min_lr:g}", lr=f"{lr:g}")
            )
        return self

    def to_dict(self) -> dict[str, Any]:
        """The resolved experiment as plain data, every key present."""
        return self.model_dump(mode="json")


def _key_path(loc: tuple[int | str, ...]) -> str:
    """Turn pydantic's error location into the TOML key path a person typed.

    Pydantic puts the tag of a tagged union into the location (`model.layers.0.dense.units`);
    the file has no such key, so it is left out: `model.layers[0].units`.
    """
    path = ""
    previous: int | str | None = None
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif isinstance(previous, int) and part in LAYER_TYPES:
            pass
        else:
            path += f".{part}" if path else str(part)
        previous = part
    return path


# Pydantic's messages by error type, as templates over the error's `ctx`, for the catalogue
# to translate; where it has no translation (English), pydantic's own message is kept.
PYDANTIC_MESSAGES: dict[str, str] = {
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "literal_error": N_("Input should be {expected}"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "string_type": N_("Input should be a valid string"),
    "string_too_short": N_("String should have at least {min_length} character(s)"),
    "string_too_long": N_("String should have at most {max_length} character(s)"),
    "too_short": N_("Should have at least {min_length} item(s), not {actual_length}"),
    "too_long": N_("Should have at most {max_length} item(s), not {actual_length}"),
    "tuple_type": N_("Input should be a valid array"),
    "list_type": N_("Input should be a valid array"),
    "dict_type": N_("Input should be a table"),
    "model_type": N_("Input should be a table"),
    "model_attributes_type": N_("Input should be a table"),
}


def _shown(value: Any) -> str:
    # How pydantic prints a bound: 0.0 as 0, 1e-08 as 1e-08.
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def _translated_pydantic(error: ErrorDetails) -> str | None:
    """Pydantic's message in the current language, or None where the catalogue has none."""
    template = PYDANTIC_MESSAGES.get(error["type"])
    if template is None or _(template) == template:
        return None
    ctx = {key: _shown(value) for key, value in (error.get("ctx") or {}).items()}
    if "expected" in ctx:  # "'a', 'b' or 'c'": the English "or" becomes a list
        ctx["expected"] = ctx["expected"].replace(" or ", ", ")
    try:
        return _(template).format(**ctx)
    except (KeyError, IndexError):  # a pydantic release with other ctx keys
        return None


def _describe(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return _("unknown key")
    if kind == "missing":
        return _("required key is missing")
    if kind == "union_tag_invalid":
        tag = (error.get("ctx") or {}).get("tag", "?")
        return _("unknown layer type {tag}; expected one of {types}").format(
            tag=repr(tag), types=", ".join(LAYER_TYPES)
        )
    if kind == "union_tag_not_found":
        return _("a layer needs a 'type' key ({types})").format(types=", ".join(LAYER_TYPES))
    if kind == "string_pattern_mismatch":  # only the device has a pattern
        return _("{value} is not a device; expected auto, cpu, cuda, cuda:N or mps").format(
            value=repr(error["input"])
        )
    if kind == "finite_number":
        return _("must be a finite number, got {value}").format(value=repr(error["input"]))
    translated = _translated_pydantic(error)
    if translated is not None:
        return translated
    # value_error: our validators' own messages, translated when they were raised.
    message = error["msg"]
    return message.removeprefix("Value error, ")


# A validator that names its own key starts its message with it: "momentum: nesterov needs".
_KEY_PREFIX = re.compile(r"[a-z_][a-z0-9_.]*")


def validation_problems(error: ValidationError) -> list[tuple[str, str]]:
    """(key path, reason) of every problem, e.g. ("optimizer.lr", "Input should be ...")."""
    problems = []
    for details in error.errors():
        path, message = _key_path(details["loc"]), _describe(details)
        key, colon, rest = message.partition(": ")
        if colon and _KEY_PREFIX.fullmatch(key):
            path, message = (f"{path}.{key}" if path else key), rest
        problems.append((path, message))
    return problems


def layer_label(index: int, layer_type: str | None = None) -> str:
    """How a message names a hidden layer: "model layer 2 (dense)".

    Counted from 1, as the model builder numbers its list; pydantic's `model.layers[1]`
    counts from 0, so a person looked for the wrong row. The type is the file's `type`
    value, so the layer can also be found in the TOML file.

    Args:
        index: The layer's 0-based index in `model.layers`.
        layer_type: Its `type` key, when known (an unknown type is not repeated here).
    """
    label = _("model layer {number}").format(number=index + 1)
    return f"{label} ({layer_type})" if layer_type else label


def _human_location(loc: tuple[int | str, ...]) -> tuple[str, str]:
    """(where, key) of an error: a layer's label and the key inside it, or ("", key path)."""
    if len(loc) >= 3 and loc[:2] == ("model", "layers") and isinstance(loc[2], int):
        rest = loc[3:]
        layer_type = rest[0] if rest and rest[0] in LAYER_TYPES else None
        if layer_type is not None:
            rest = rest[1:]
        return layer_label(loc[2], str(layer_type) if layer_type else None), _key_path(rest)
    return "", _key_path(loc)


def one_line(text: str, limit: int = _MAX_PROBLEM_CHARS) -> str:
    """`text` safe to print as part of one line: control characters escaped, length capped.

    Keys and values come from the file: a quoted TOML key can hold a newline, and an unknown
    key can be megabytes long.
    """
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_validation_error(error: ValidationError) -> str:
    """One line listing the first problems, each prefixed by where it is.

    Keys keep their TOML path ("optimizer.lr: ..."), the names a person edits the file by;
    a hidden layer is named as the model builder's list numbers it, with its type
    ("model layer 2 (dense): units: ..."), not by pydantic's 0-based index. Past
    `MAX_PROBLEMS` the line ends "and N more".
    `validation_problems` keeps the machine path for code that maps problems to fields.
    """
    problems = []
    for details in error.errors(include_url=False)[:MAX_PROBLEMS]:
        where, key = _human_location(details["loc"])
        message = _describe(details)
        # A validator that names its own key: move the key into the location, as
        # `validation_problems` does.
        prefix, colon, rest = message.partition(": ")
        if colon and _KEY_PREFIX.fullmatch(prefix):
            key, message = (f"{key}.{prefix}" if key else prefix), rest
        problems.append(one_line(": ".join(part for part in (where, key, message) if part)))
    more = error.error_count() - len(problems)
    if more > 0:
        problems.append(_("and {count} more").format(count=more))
    return "; ".join(problems)


def experiment_from_dict(data: dict[str, Any], source: str = "experiment") -> Experiment:
    """Validate plain data into an Experiment, or raise a one-line ExperimentError."""
    try:
        return Experiment.model_validate(data)
    except ValidationError as error:
        where = one_line(source, limit=1000)  # a path can hold a newline
        raise ExperimentError(f"{where}: {format_validation_error(error)}") from None


def _is_pipe(path: Path) -> bool:
    try:
        return stat.S_ISFIFO(path.stat().st_mode)
    except (OSError, ValueError):  # missing, unreadable, a NUL in the name: open() says so
        return False


def read_toml(path: str | Path) -> dict[str, Any]:
    """A TOML file's tables; `ExperimentError` names the file when it cannot be read or parsed.

    At most `MAX_FILE_BYTES` are read (a path to /dev/zero ends too), and a UTF-8 byte order
    mark, which Windows editors write, is skipped. Every failure is one line.
    """
    path = Path(path)
    where = one_line(str(path))
    if _is_pipe(path):  # opening one waits for a writer: the command would hang
        raise ExperimentError(f"{where}: " + _("a pipe, not a file: give the TOML file itself"))
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ExperimentError(f"{where}: " + _("no such file")) from None
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the path
        reason = one_line(str(error))
        raise ExperimentError(
            f"{where}: " + _("cannot read: {reason}").format(reason=reason)
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ExperimentError(
            f"{where}: "
            + _("larger than {mb} MB; an experiment file is a few KB").format(
                mb=MAX_FILE_BYTES >> 20
            )
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        reason = one_line(str(error))
        raise ExperimentError(
            f"{where}: " + _("not UTF-8 text: {reason}").format(reason=reason)
        ) from None
    not_toml = _("not valid TOML: {reason}")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        reason = one_line(str(error))
        raise ExperimentError(f"{where}: " + not_toml.format(reason=reason)) from None
    except RecursionError:
        # tomllib recurses once per level of nested arrays or inline tables.
        reason = _("nested too deeply")
        raise ExperimentError(f"{where}: " + not_toml.format(reason=reason)) from None
    except ValueError as error:
        reason = one_line(str(error))
        if "integer string conversion" in reason:
            # Python converts no integer longer than this (a guard against CPU-time attacks).
            reason = _("a number has more than {digits} digits").format(
                digits=sys.get_int_max_str_digits()
            )
        raise ExperimentError(f"{where}: " + not_toml.format(reason=reason)) from None


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate a TOML experiment file; missing keys take their defaults."""
    return experiment_from_dict(read_toml(path), source=str(path))


def experiment_to_toml(experiment: Experiment) -> str:
    """The experiment as TOML text that `load_experiment` reads back unchanged."""
    return tomli_w.dumps(experiment.to_dict())


def save_experiment(experiment: Experiment, path: str | Path) -> None:
    """Write the experiment to a TOML file."""
    # Imported here: workbench.report imports this module.
    from workbench.atomic import atomic_write_text

    atomic_write_text(path, experiment_to_toml(experiment))


def experiment_with(experiment: Experiment, changes: Mapping[str, Any]) -> Experiment:
    """The experiment with values set at dotted key paths ("optimizer.lr", "model.layers.0.init").

    Validated like a file: a change the experiment cannot hold raises ExperimentError naming
    its key.
    """
    data = experiment.to_dict()
    for path, value in changes.items():
        *parents, last = path.split(".")
        tree: Any = data
        try:
            for key in parents:
                tree = tree[int(key)] if isinstance(tree, list) else tree[key]
            if isinstance(tree, list):
                tree[int(last)] = value
            elif isinstance(tree, dict) and last in tree:
                tree[last] = value
            else:
                raise KeyError(last)
        except (KeyError, IndexError, ValueError, TypeError):
            raise ExperimentError(f"{path}: " + _("no such setting in the experiment")) from None
    return experiment_from_dict(data)
