"""Property tests of the experiment loader: whatever the file holds, one of two outcomes.

Mutated copies of the shipped examples, damaged text and generated hostile values (huge,
negative, nan numbers; unicode; deep nesting; missing and unknown keys) go through
`read_toml` and `experiment_from_dict`, as `workbench run` reads a file. The only outcomes
allowed: a valid `Experiment` (which saves and loads back unchanged) or an `ExperimentError`
whose message is one short line. Any other exception fails the test. Nothing trains.
"""

import json
import math
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from workbench.config import (
    BatchNormLayer,
    Conv2dLayer,
    DenseLayer,
    DropoutLayer,
    Experiment,
    ExperimentError,
    FlattenLayer,
    MaxPool2dLayer,
    experiment_from_dict,
    experiment_to_toml,
    read_toml,
)

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.toml"))
BASES = [tomllib.loads(path.read_text(encoding="utf-8")) for path in EXAMPLES]
# 600 files in all; each takes milliseconds (no training), so the module stays well under
# 30 s on a slow, shared machine. No example database: nothing is written into the checkout.
# derandomize: the same 600 files on every run, so CI never fails on a new random draw;
# run with HYPOTHESIS_SEED / without it locally to look further.
BOUNDED = settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MESSAGE_LIMIT = 2500  # MAX_PROBLEMS problems of at most 300 characters, the path, separators


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("properties") / "experiment.toml"


def outcome(path: Path) -> Experiment | None:
    """The experiment the file holds, or None when it was refused in one line."""
    try:
        experiment = experiment_from_dict(read_toml(path), source=str(path))
    except ExperimentError as error:
        message = str(error)
        assert message.startswith(f"{path}: ")
        assert "\n" not in message and "\r" not in message, message
        assert len(message) <= MESSAGE_LIMIT, message[:300]
        return None
    assert isinstance(experiment, Experiment)
    # Whatever was accepted is finite, and saves and loads back as it was.
    assert experiment_from_dict(tomllib.loads(experiment_to_toml(experiment))) == experiment
    return experiment


def test_every_example_is_a_valid_starting_point(scratch):
    assert len(EXAMPLES) >= 4
    for path in EXAMPLES:
        scratch.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        outcome(scratch)


# -- values of the wrong kind, put anywhere -------------------------------------------------

NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([0, -1, 1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**300, 10**4000]),
    st.floats(),  # nan, inf, subnormal, huge
    st.sampled_from([1e-300, 1e300, -1e300, 5e-324, -0.0, 0.5, 0.999999, 1.0, 100.0]),
    st.sampled_from([math.nan, math.inf, -math.inf]),
)
TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.sampled_from(
        ["", "\x00", "a\nb", "\ufeff", "🚀" * 40, "digits", "npz", "dense", "conv2d", "adam"]
        + ["cosine", "plateau", "cuda:99", "mps", "val_accuracy", "max", "normal", "~nosuchuser"]
    ),
)
SCALARS = st.one_of(NUMBERS, TEXT, st.booleans())
KEYS = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12),
    st.sampled_from(["type", "lr", "layers", "units", "name", "min_lr", "p", "kernel", "path"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


@st.composite
def mutated_experiments(draw):
    """An example's tables with a few keys replaced, deleted or added at any depth."""
    data = json.loads(json.dumps(draw(st.sampled_from(BASES))))  # a deep copy
    for _ in range(draw(st.integers(1, 4))):
        node = data
        while True:  # walk down to a random table or array
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            child = node[key]
            if not (isinstance(child, dict | list) and child and draw(st.booleans())):
                break
            node = child
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if not keys or action == "add":
            if isinstance(node, dict):
                node[draw(KEYS)] = draw(VALUES)
            else:
                node.append(draw(VALUES))
        elif action == "delete":
            del node[key]
        else:
            node[key] = draw(VALUES)
    return data


@settings(BOUNDED, max_examples=300)
@given(data=mutated_experiments())
def test_mutated_examples_load_or_are_refused_in_one_line(scratch, data):
    try:
        text = tomli_w.dumps(data)
    except (TypeError, ValueError, RecursionError):  # beyond what TOML can write
        assume(False)
    scratch.write_text(text, encoding="utf-8")
    outcome(scratch)
    # The same data straight from Python (the window and the run store go this way).
    try:
        experiment_from_dict(data)
    except ExperimentError as error:
        assert "\n" not in str(error)


# -- damaged text ---------------------------------------------------------------------------

EDIT_BYTES = st.sampled_from(
    [b"[", b"]", b"{", b"}", b'"', b"'", b"=", b"\n", b"\x00", b"\xff", b"\xef\xbb\xbf", b"nan"]
    + [b"inf", b"-", b"9" * 50, b"1e400", b"[[model.layers]]\n", b"\\u0000", "é".encode()]
    + [b"9" * 4400, b"[" * 600, b"{a=" * 600]  # past Python's digit and recursion limits
)


@settings(BOUNDED, max_examples=150)
@given(
    base=st.sampled_from(EXAMPLES),
    bom=st.booleans(),
    edits=st.lists(
        st.tuples(st.sampled_from(["insert", "delete", "replace"]), st.floats(0, 1), EDIT_BYTES),
        max_size=6,
    ),
    cut=st.none() | st.floats(0, 1),
)
def test_damaged_text_loads_or_is_refused_in_one_line(scratch, base, bom, edits, cut):
    raw = bytearray(base.read_bytes())
    for action, where, chunk in edits:
        at = int(where * len(raw))
        if action == "insert":
            raw[at:at] = chunk
        elif action == "delete":
            del raw[at : at + len(chunk)]
        else:
            raw[at : at + len(chunk)] = chunk
    if cut is not None:
        del raw[int(cut * len(raw)) :]
    scratch.write_bytes((b"\xef\xbb\xbf" if bom else b"") + bytes(raw))
    outcome(scratch)


# -- generated hostile values for every known key ------------------------------------------

_DEFAULTS = Experiment().to_dict()
TOP_KEYS = [key for key, value in _DEFAULTS.items() if not isinstance(value, dict)]
SECTION_KEYS = [
    (section, key)
    for section, table in _DEFAULTS.items()
    if isinstance(table, dict)
    for key in table
]  # model.layers included: set to a value that is not a list of layers
LAYER_KEYS = [
    (layer.type, key)
    for layer in (
        DenseLayer(),
        Conv2dLayer(),
        MaxPool2dLayer(),
        FlattenLayer(),
        DropoutLayer(),
        BatchNormLayer(),
    )
    for key in layer.model_dump()
]
VALUE_TEXT = st.one_of(
    st.integers(1, 6000).map(lambda n: "9" * n),  # past Python's 4,300-digit limit
    st.sampled_from(["nan", "+nan", "-nan", "inf", "+inf", "-inf", "1e400", "-1e400", "1e-400"]),
    st.sampled_from(["1e-300", "1e300", "-0.0", "0x7fffffffffffffff", "-9223372036854775809"]),
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40).map(
        lambda s: json.dumps(s, ensure_ascii=False)
    ),
    st.integers(0, 1500).map(lambda n: "[" * n + "]" * n),  # deep nesting
    st.integers(0, 1500).map(lambda n: "{a = " * n + "1" + "}" * n),
    st.integers(0, 1200).map(lambda n: "[" + "{type = 'flatten'}, " * n + "]"),  # many layers
    st.sampled_from(["true", "1979-05-27", "[1, 'a', 2.5]", "{}", "[]", '""']),
)


@st.composite
def generated_files(draw):
    """TOML text setting a few known keys (and a stray one) to hostile values."""
    lines = []
    for key in draw(st.lists(st.sampled_from(TOP_KEYS), max_size=2, unique=True)):
        lines.append(f"{key} = {draw(VALUE_TEXT)}")
    tables: dict[str, list[str]] = {}  # a table may be declared once only
    for section, key in draw(st.lists(st.sampled_from(SECTION_KEYS), max_size=4, unique=True)):
        tables.setdefault(section, []).append(f"{key} = {draw(VALUE_TEXT)}")
    lines.extend(f"[{section}]\n" + "\n".join(keys) for section, keys in tables.items())
    for layer_type, key in draw(st.lists(st.sampled_from(LAYER_KEYS), max_size=3)):
        value = draw(VALUE_TEXT) if key != "type" else json.dumps(layer_type)
        lines.append(f"[[model.layers]]\ntype = {json.dumps(layer_type)}\n{key} = {value}")
    if draw(st.booleans()):
        lines.append(f"{json.dumps(draw(KEYS), ensure_ascii=False)} = {draw(VALUE_TEXT)}")
    return "\n".join(lines) + "\n"


@settings(BOUNDED, max_examples=150)
@given(text=generated_files())
def test_hostile_values_for_known_keys_load_or_are_refused_in_one_line(scratch, text):
    scratch.write_text(text, encoding="utf-8")
    outcome(scratch)
