"""The search file: which experiment to tune, how, and over what space (validated, immutable).

A search file is an experiment plus a `[search]` table. The experiment is either named,
`base = "experiment.toml"` (relative to the search file), or written in the same file with the
same tables as an experiment file (`name`, `[data]`, `[model]`, `[optimizer]`, ...): copy an
experiment file and add `[search]` to it. Not both; with neither, the default experiment.

    base = "experiment.toml"
    [search]
    strategy = "random"        # random | grid
    trials = 100
    metric = "val_accuracy"    # or val_loss
    epochs = 50                # per trial, overrides the base's training.epochs
    workers = 0                # 0: one per two cores (1 on CUDA)
    seed = 0
    train_limit = 500          # overrides data.train_limit
    pruning = "none"           # none | median | halving
    [search.space]
    "optimizer.lr" = { log_uniform = [1e-6, 1e-2] }

Every problem is one `SearchError` line naming the file and key.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from workbench.config import (
    Experiment,
    ExperimentError,
    Monitor,
    experiment_from_dict,
    load_experiment,
    read_toml,
)
from workbench.search.space import (
    MAX_GRID_POINTS,
    Param,
    SearchError,
    apply_values,
    check_path,
    quote_key,
)

Strategy = Literal["random", "grid"]
Pruning = Literal["none", "median", "halving"]


class SearchSettings(BaseModel):
    """The `[search]` table."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    strategy: Strategy = "random"
    trials: int = Field(100, ge=1, le=1_000_000)  # in total, over every run of the search
    metric: Monitor = "val_accuracy"
    epochs: int | None = Field(None, ge=1, le=100_000)  # None: the base experiment's
    workers: int = Field(0, ge=0, le=1024)  # 0: chosen from the cores
    seed: int = Field(0, ge=0, le=2**32 - 1)
    train_limit: int | None = Field(None, ge=0)  # None: the base experiment's
    pruning: Pruning = "none"
    space: dict[str, Param] = Field(min_length=1)

    @field_validator("trials", mode="before")
    @classmethod
    def _at_least_one_trial(cls, value: Any) -> Any:
        # The most likely slip gets a sentence rather than "greater than or equal to 1".
        if isinstance(value, int) and not isinstance(value, bool) and value < 1:
            raise ValueError(f"needs at least 1 trial, got {value}")
        return value

    @field_validator("space", mode="before")
    @classmethod
    def _something_to_vary(cls, value: Any) -> Any:
        if isinstance(value, dict) and not value:
            raise ValueError(
                'needs at least one parameter, e.g. "optimizer.lr" = { log_uniform = [1e-6, 1e-2] }'
            )
        return value

    @property
    def maximize(self) -> bool:
        return self.metric == "val_accuracy"


class SearchSpec(BaseModel):
    """A whole search: the base experiment (resolved, so the spec stands alone) and settings.

    Build one from a file with `load_search`, from plain data with `search_from_dict`, or in
    code with `build_spec(experiment, settings)`; each checks the space against the experiment.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field("search", min_length=1)  # the file's stem: names runs and the study
    base: Experiment
    search: SearchSettings

    @property
    def paths(self) -> list[str]:
        """The varied settings, in the file's order."""
        return list(self.search.space)

    def prepared_base(self) -> Experiment:
        """The base with the search's own overrides (epochs, train_limit) applied."""
        overrides: dict[str, Any] = {}
        if self.search.epochs is not None:
            overrides["training.epochs"] = self.search.epochs
        if self.search.train_limit is not None:
            overrides["data.train_limit"] = self.search.train_limit
        return apply_values(self.base, overrides, "search") if overrides else self.base

    def trial_experiment(self, values: dict[str, Any], number: int | None = None) -> Experiment:
        """The experiment one trial trains: base, overrides, then the trial's values."""
        label = f"trial {number}" if number is not None else "trial"
        named = {**values, "name": f"{self.name} {label}"}
        return apply_values(self.prepared_base(), named, f"{self.name} {label}")

    def grid_size(self) -> int | None:
        """How many points the grid has (None for random search)."""
        if self.search.strategy != "grid":
            return None
        size = 1
        for param in self.search.space.values():
            size *= len(param.grid_values() or ())
        return size

    def planned_trials(self) -> int:
        """Trials the search runs in total: `trials`, or the grid's size if that is smaller."""
        grid = self.grid_size()
        return self.search.trials if grid is None else min(self.search.trials, grid)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def signature(self) -> str:
        """Names what the search is, apart from how long it runs and how many processes help.

        Two runs of a search with the same signature are the same search: the second resumes
        the first. Changing the space, metric, epochs, seed... makes a different one.
        """
        data = self.to_json()
        for key in ("trials", "workers"):
            data["search"].pop(key, None)
        data.pop("name", None)
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def default_study_name(self) -> str:
        """`<name>-<signature>`: the same file resumes its study, an edited one starts anew."""
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", self.name).strip("-") or "search"
        return f"{slug}-{self.signature()[:8]}"


def _loc(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1]}[{part}]"] if parts else [f"[{part}]"]
        elif "." in part or " " in part:
            parts.append(f'"{part}"')
        else:
            parts.append(part)
    return ".".join(parts)


def _describe(error: ValidationError, prefix: str) -> str:
    problems = []
    for details in error.errors():
        # A validator's own message names its key, so only the path leading to it is kept.
        loc = tuple(p for p in details["loc"] if p not in ("kind", "low", "high", "values"))
        path = _loc((prefix, *loc) if prefix else loc)
        kind = details["type"]
        if kind == "extra_forbidden":
            message = "unknown key"
        elif kind == "missing":
            message = "required key is missing"
        else:
            message = details["msg"].removeprefix("Value error, ")
        problems.append(f"{path}: {message}" if path else message)
    return "; ".join(problems)


def check_spec(spec: SearchSpec, source: str = "search") -> SearchSpec:
    """Check the space against the experiment; raise a one-line `SearchError` naming `source`.

    Every parameter must name a setting of the experiment, and the ends of each range and
    every choice must be values the experiment accepts, so a bad range fails here and not in
    trial 37. Grid search needs a finite grid.
    """
    settings = spec.search
    try:
        prepared = spec.prepared_base()
    except SearchError as error:
        key = "search.epochs" if settings.epochs is not None else "search.train_limit"
        raise SearchError(f"{source}: {key}: {_without_source(error)}") from None
    for path, param in settings.space.items():
        key = quote_key(path)
        try:
            check_path(prepared, path)
        except SearchError as error:
            raise SearchError(f"{source}: {key}: {error}") from None
        for value in param.probe_values():
            try:
                apply_values(prepared, {path: value}, "x")
            except SearchError as error:
                raise SearchError(
                    f"{source}: {key}: {value!r} is refused by the experiment: "
                    f"{_without_source(error)}"
                ) from None
        if settings.strategy == "grid" and param.grid_values() is None:
            raise SearchError(
                f"{source}: {key}: grid search needs steps = N (how many points) "
                f"for a {param.kind} range"
            )
    grid = spec.grid_size()
    if grid is not None and grid > MAX_GRID_POINTS:
        raise SearchError(
            f"{source}: search.space: the grid has {grid:,} points; at most "
            f"{MAX_GRID_POINTS:,} (fewer values or steps)"
        )
    return spec


def _without_source(error: SearchError) -> str:
    # apply_values' messages start with their source ("x: optimizer.lr: ..."); drop it.
    return str(error).partition(": ")[2] or str(error)


def build_spec(
    base: Experiment,
    settings: SearchSettings | dict[str, Any],
    name: str = "search",
    source: str = "search",
) -> SearchSpec:
    """A checked spec from an experiment and the `[search]` settings (the window's form)."""
    try:
        if isinstance(settings, dict):
            settings = SearchSettings.model_validate(settings)
        spec = SearchSpec(name=name, base=base, search=settings)
    except ValidationError as error:
        raise SearchError(f"{source}: {_describe(error, 'search')}") from None
    return check_spec(spec, source)


def search_from_dict(
    data: dict[str, Any],
    source: str = "search",
    base_dir: Path | None = None,
    name: str = "search",
) -> SearchSpec:
    """Validate a search file's data; `base` paths are relative to `base_dir`."""
    data = dict(data)
    table = data.pop("search", None)
    if not isinstance(table, dict):
        raise SearchError(
            f"{source}: search: needs a [search] table with trials and a [search.space] table"
        )
    base_path = data.pop("base", None)
    if base_path is not None:
        if not isinstance(base_path, str) or not base_path:
            raise SearchError(f"{source}: base: needs the experiment file's path as a string")
        if data:
            raise SearchError(
                f'{source}: base: give either base = "FILE" or the experiment\'s tables, '
                f"not both (found {', '.join(sorted(data))})"
            )
        path = Path(base_path)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        try:
            base = load_experiment(path)
        except ExperimentError as error:
            raise SearchError(f"{source}: base: {error}") from None
    else:
        try:
            base = experiment_from_dict(data, source)
        except ExperimentError as error:
            raise SearchError(str(error)) from None
    return build_spec(base, table, name=name, source=source)


def load_search(path: str | Path) -> SearchSpec:
    """Read and check a search file (TOML); raise a one-line `SearchError` naming the key."""
    path = Path(path)
    try:
        data = read_toml(path)
    except ExperimentError as error:  # unreadable or not TOML: the file is named
        raise SearchError(str(error)) from None
    return search_from_dict(data, str(path), path.parent, name=path.stem)


def spec_from_json(data: dict[str, Any], source: str = "search") -> SearchSpec:
    """A spec as `SearchSpec.to_json` wrote it (the run store's copy), checked again."""
    base_data = data.get("base")
    try:
        base = experiment_from_dict(base_data if isinstance(base_data, dict) else {}, source)
    except ExperimentError as error:
        raise SearchError(str(error)) from None
    return build_spec(base, data.get("search") or {}, data.get("name", "search"), source)


def spec_to_toml(spec: SearchSpec) -> str:
    """The spec as a search file with the experiment written inline; `load_search` reads it."""
    data: dict[str, Any] = spec.base.to_dict()
    settings = spec.search.model_dump(exclude={"space"}, exclude_none=True)
    settings["space"] = {path: param.to_file() for path, param in spec.search.space.items()}
    data["search"] = settings
    return tomli_w.dumps(data)
