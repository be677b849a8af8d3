"""The search space: one `Param` per varied setting, and applying values to an experiment.

A parameter is named by the dotted path of its setting in the experiment file
(`optimizer.lr`, `model.layers.0.units`) and varies in one of four ways, written in TOML as
`{ log_uniform = [low, high] }`, `{ uniform = [low, high] }`, `{ int = [low, high] }` (with
optional `step = N` or `log = true`) or `{ choice = [a, b, ...] }`. Grid search needs a finite
list of values: choices and integer ranges have one; a float range gives `steps = N` points
(evenly spaced, or geometrically for `log_uniform`).

No Optuna at import time: the window imports this module to build its form.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal, get_args

import numpy as np
from pydantic import BaseModel, ConfigDict, model_validator

from workbench.config import Experiment, ExperimentError, experiment_from_dict
from workbench.errors import UserError

ParamKind = Literal["log_uniform", "uniform", "int", "choice"]
PARAM_KINDS: tuple[str, ...] = get_args(ParamKind)
# GridSampler keeps the whole grid as a list of tuples: past this it is not a grid to run.
MAX_GRID_POINTS = 1_000_000
ChoiceValue = bool | int | float | str


class SearchError(UserError, ValueError):
    """A bad search file or space: the message is one line that names the file and key."""


def quote_key(path: str) -> str:
    """A space key as the TOML file writes it: `search.space."optimizer.lr"`."""
    return f'search.space."{path}"'


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Param(BaseModel):
    """How one setting varies.

    Build it as `Param(kind="uniform", low=0.0, high=0.5)`, or validate the file's shape,
    `Param.model_validate({"uniform": [0.0, 0.5]})`.
    """

    # strict: "1e-6" (a string) is not a number here, as in the experiment file.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    kind: ParamKind
    low: float | int | None = None  # ranges only; int ranges hold ints
    high: float | int | None = None
    values: tuple[ChoiceValue, ...] = ()  # choice only
    step: int | None = None  # int only: the spacing of the values, from low
    log: bool = False  # int only: sample the exponent evenly (log_uniform is always log)
    steps: int | None = None  # grid search of a float range: how many points

    @model_validator(mode="before")
    @classmethod
    def _from_file_shape(cls, data: Any) -> Any:
        # The file writes `{ log_uniform = [1e-6, 1e-2] }`; the model holds kind, low, high.
        if not isinstance(data, Mapping):
            raise ValueError(
                "needs a table such as { log_uniform = [1e-6, 1e-2] } or { choice = [...] }"
            )
        data = dict(data)
        if "kind" in data:
            if isinstance(data.get("values"), list):
                data["values"] = tuple(data["values"])
            return _check_types(data)
        kinds = [kind for kind in PARAM_KINDS if kind in data]
        if not kinds:
            unknown = ", ".join(sorted(data)) or "nothing"
            raise ValueError(
                f"needs one of {', '.join(PARAM_KINDS)} (found {unknown}), "
                "e.g. { log_uniform = [1e-6, 1e-2] }"
            )
        if len(kinds) > 1:
            raise ValueError(f"give one of {', '.join(kinds)}, not several")
        kind = kinds[0]
        given = data.pop(kind)
        if kind == "choice":
            if not isinstance(given, list | tuple) or not given:
                raise ValueError('choice needs a non-empty list, e.g. choice = ["sgd", "adam"]')
            return _check_types({"kind": kind, "values": tuple(given), **data})
        if not isinstance(given, list | tuple) or len(given) != 2:
            raise ValueError(f"{kind} needs a list [low, high], e.g. {kind} = [1, 10]")
        return _check_types({"kind": kind, "low": given[0], "high": given[1], **data})

    @model_validator(mode="after")
    def _check(self) -> Param:
        kind = self.kind
        if kind == "choice":
            self._check_choice()
        else:
            self._check_range()
        if self.step is not None and kind != "int":
            raise ValueError("step: only for int ranges (a float range on a grid uses steps)")
        if self.log and kind != "int":
            raise ValueError("log: only for int ranges (log_uniform is already on a log scale)")
        if self.steps is not None:
            if kind == "choice":
                raise ValueError("steps: not for a choice (its values are the grid)")
            if isinstance(self.steps, bool) or self.steps < 2:
                raise ValueError("steps: needs 2 or more grid points")
        return self

    def _check_choice(self) -> None:
        if self.low is not None or self.high is not None:
            raise ValueError("choice takes a list of values, not low and high")
        if not self.values:
            raise ValueError('choice needs a non-empty list, e.g. choice = ["sgd", "adam"]')
        seen: list[Any] = []
        for value in self.values:
            if not isinstance(value, ChoiceValue):
                raise ValueError(
                    f"choice: {value!r} is not a string, number or true/false "
                    "(lists and tables cannot be choices)"
                )
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"choice: {value!r} is not a finite number")
            if any(type(value) is type(other) and value == other for other in seen):
                raise ValueError(f"choice: {value!r} is listed twice")
            seen.append(value)

    def _check_range(self) -> None:
        kind, low, high = self.kind, self.low, self.high
        if self.values:
            raise ValueError(f"{kind} takes [low, high], not a list of values")
        if not (_is_number(low) and _is_number(high)):
            raise ValueError(f"{kind} needs numbers [low, high], got [{low!r}, {high!r}]")
        assert low is not None and high is not None  # for the type checker
        if not (math.isfinite(low) and math.isfinite(high)):
            raise ValueError(f"{kind} needs finite numbers, got [{low!r}, {high!r}]")
        if kind == "int":
            if not (isinstance(low, int) and isinstance(high, int)):
                raise ValueError(f"int needs whole numbers [low, high], got [{low!r}, {high!r}]")
            if self.log and not 1 <= low <= high:
                raise ValueError("int with log = true needs 1 <= low <= high")
            if low > high:
                raise ValueError("int needs low <= high")
            if self.step is not None:
                if isinstance(self.step, bool) or self.step < 1:
                    raise ValueError("step: needs a whole number of 1 or more")
                if self.log and self.step != 1:
                    raise ValueError("step: cannot be combined with log = true")
                if (high - low) % self.step:
                    raise ValueError(f"int needs high - low to be a multiple of step {self.step}")
        elif kind == "log_uniform":
            if not 0 < low <= high:
                raise ValueError("log_uniform needs 0 < low <= high")
        elif low > high:
            raise ValueError("uniform needs low <= high")

    # -- what the rest of the package asks of a parameter ---------------------------------------
    @property
    def is_log(self) -> bool:
        """Whether the range is on a log scale (for sampling, narrowing and plot axes)."""
        return self.kind == "log_uniform" or (self.kind == "int" and self.log)

    def probe_values(self) -> tuple[Any, ...]:
        """Values that must fit the experiment for every sampled value to fit.

        The ends of a range (the settings' own limits are intervals), or every choice.
        """
        return self.values if self.kind == "choice" else (self.low, self.high)

    def grid_values(self) -> tuple[Any, ...] | None:
        """The values a grid search tries, or None when a float range has no `steps`."""
        if self.kind == "choice":
            return self.values
        low, high = self.low, self.high
        assert low is not None and high is not None
        if self.kind == "int":
            if self.steps is None:
                return tuple(range(int(low), int(high) + 1, self.step or 1))
            spaced = (
                np.geomspace(low, high, self.steps)
                if self.log
                else np.linspace(low, high, self.steps)
            )
            # Rounded to the step grid; duplicates (a narrow range) kept once.
            step = self.step or 1
            points = {int(low + round((float(p) - low) / step) * step) for p in spaced}
            return tuple(sorted(min(max(p, int(low)), int(high)) for p in points))
        if self.steps is None:
            return None
        spaced = (
            np.geomspace(low, high, self.steps)
            if self.kind == "log_uniform"
            else np.linspace(low, high, self.steps)
        )
        # 12 significant digits: 1e-4, not 9.999999999999999e-05, in tables and file names.
        return tuple(min(max(float(f"{p:.12g}"), low), high) for p in spaced)

    def to_file(self) -> dict[str, Any]:
        """The file's shape: `{"log_uniform": [low, high]}` plus any options set."""
        if self.kind == "choice":
            return {"choice": list(self.values)}
        table: dict[str, Any] = {self.kind: [self.low, self.high]}
        if self.step is not None:
            table["step"] = self.step
        if self.log:
            table["log"] = True
        if self.steps is not None:
            table["steps"] = self.steps
        return table

    def describe(self) -> str:
        """A short text for tables and progress lines: `log_uniform [1e-06, 0.01]`."""
        if self.kind == "choice":
            return "choice [" + ", ".join(str(v) for v in self.values) + "]"
        return f"{self.kind} [{self.low:g}, {self.high:g}]"


def _check_types(data: dict[str, Any]) -> dict[str, Any]:
    # Before pydantic's own type checks, so a wrong kind of value gets a sentence, not
    # "Input should be a valid number" under an internal field name.
    kind = data.get("kind")
    if kind == "choice":
        for value in data.get("values") or ():
            if not isinstance(value, ChoiceValue):
                raise ValueError(
                    f"choice: {value!r} is not a string, number or true/false "
                    "(lists and tables cannot be choices)"
                )
    elif kind in PARAM_KINDS:
        low, high = data.get("low"), data.get("high")
        if not (_is_number(low) and _is_number(high)):
            raise ValueError(f"{kind} needs numbers [low, high], got [{low!r}, {high!r}]")
        if kind == "int" and not (isinstance(low, int) and isinstance(high, int)):
            raise ValueError(f"int needs whole numbers [low, high], got [{low!r}, {high!r}]")
    return data


# -- setting paths -------------------------------------------------------------------------------
def _parts(path: str) -> list[str]:
    return path.split(".")


def check_path(experiment: Experiment, path: str) -> None:
    """Raise `SearchError` unless `path` names one setting (not a table) of the experiment."""
    node: Any = experiment.to_dict()
    walked: list[str] = []
    for part in _parts(path):
        where = ".".join(walked) or "the experiment"
        if isinstance(node, dict):
            if part not in node:
                known = ", ".join(sorted(node))
                raise SearchError(f"not a setting: {where} has no {part!r} (it has {known})")
        elif isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise SearchError(
                    f"not a setting: {where} is a list of {len(node)} "
                    f"(items 0 to {len(node) - 1}), not {part!r}"
                )
            part = int(part)  # type: ignore[assignment]
        else:
            raise SearchError(f"not a setting: {where} is a value, it has no {part!r}")
        node = node[part]
        walked.append(str(part))
    if isinstance(node, dict):
        raise SearchError(f"is a table, not a setting; name one of its keys ({', '.join(node)})")
    if isinstance(node, list):
        raise SearchError(f"is a list; name one of its items ({path}.0, ...)")


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    node: Any = data
    parts = _parts(path)
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def apply_values(
    experiment: Experiment, values: Mapping[str, Any], source: str = "search values"
) -> Experiment:
    """The experiment with each dotted-path setting replaced, validated again as a whole.

    A value the experiment refuses gives the usual validation message, e.g.
    `search values: optimizer.lr: Input should be greater than 0`, as a `SearchError`.
    """
    for path in values:
        try:
            check_path(experiment, path)
        except SearchError as error:
            raise SearchError(f'{source}: "{path}": {error}') from None
    data = experiment.to_dict()
    for path, value in values.items():
        _set(data, path, value)
    try:
        return experiment_from_dict(data, source)
    except ExperimentError as error:
        raise SearchError(str(error)) from None


def read_value(config: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path in an experiment's plain data (a recorded run's config)."""
    node: Any = config
    for part in _parts(path):
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, ValueError, TypeError):
            return None
    return node
