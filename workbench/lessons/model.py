"""Lesson files: a chapter's experiment as a guided, bilingual lesson whose checks are computed.

A lesson file (TOML, `workbench/lessons/library/*.toml`) holds a title, the text to read
first and "what to notice", in English and Japanese; the experiment to run (the same tables
as an experiment file, under `[experiment]`); optionally a comparison (`[compare]`: an axis
of `workbench compare` and its values); the views that show its effect; and checks:
conditions on the results, each with the sentence to say when it holds and when it does
not, in both languages. A learner's run can differ from the book's: a check that does not
hold says so, with the numbers. Validated with pydantic like experiments; every error is one
line naming the file and the key.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from workbench.config import (
    Experiment,
    ExperimentError,
    experiment_from_dict,
    format_validation_error,
    one_line,
    read_toml,
)
from workbench.i18n import _

LESSON_VERSION = 1

# What a check can read of a variant's run (workbench/lessons/checks.py computes them).
Metric = Literal[
    "final_train_loss",
    "final_val_loss",
    "final_train_accuracy",
    "final_val_accuracy",
    "first_train_loss",
    "best_val_loss",
    "best_val_accuracy",
    "accuracy_gap",
    "epochs_run",
    "best_epoch",
    "diverged",
    "seconds",
    # The last hidden layer at initialisation (the run's first look inside, epoch 0).
    "init_saturated_share",
    "init_dead_share",
    "init_activation_std",
    # The kept weights: the share of the layers' weights (not biases) below 0.001 in size.
    "near_zero_weight_share",
    # An optimizer's path on a 2-D function (a paths lesson): its last point's distance to
    # the minimum and value there, the start's distance, and how often its y step turned.
    "path_distance",
    "path_start_distance",
    "path_loss",
    "path_y_turns",
]
Relation = Literal["<", "<=", ">", ">="]
View = Literal["curves", "runs", "inside", "boundary", "predict", "paths"]


# TOML arrays are lists; the models keep tuples (frozen) and stay strict about everything else.
def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Text(_Strict):
    """The same text in each language of the workbench."""

    en: str = Field(min_length=1)
    ja: str = Field(min_length=1)

    def in_language(self, language: str) -> str:
        return self.ja if language == "ja" else self.en


class Measure(_Strict):
    """One number of one variant's run: `variant` counts from 0 in the comparison's order."""

    variant: int = Field(0, ge=0)
    metric: Metric


class Check(_Strict):
    """`left` relation `factor` x `right` (or x `value`), and what to say either way.

    The sentences may name {left} and {right} (the two numbers), {ratio} (left / right),
    {left_name} and {right_name} (the variants' names).
    """

    left: Measure
    relation: Relation
    right: Measure | None = None
    value: float | None = None
    factor: float = Field(1.0, gt=0.0)
    holds: Text
    fails: Text

    @model_validator(mode="after")
    def _one_right_side(self) -> Check:
        if (self.right is None) == (self.value is None):
            raise ValueError("give either right (a measure) or value (a number), not both")
        return self


class Comparison(_Strict):
    """A `workbench compare` axis and its values, as typed (`--values`); none: its defaults."""

    by: str
    values: Annotated[tuple[str, ...], BeforeValidator(_tuple)] = ()


class PathsSetting(_Strict):
    """A paths lesson: optimizers walking down a 2-D function (`workbench paths`)."""

    function: str = "book"
    optimizers: Annotated[tuple[str, ...], BeforeValidator(_tuple)] = (
        "sgd",
        "momentum",
        "adagrad",
        "adam",
    )
    steps: int | None = Field(None, ge=1, le=10_000)


class Lesson(_Strict):
    version: int = Field(LESSON_VERSION, ge=1, le=LESSON_VERSION)
    title: Text
    text: Text
    notice: Text
    views: Annotated[tuple[View, ...], BeforeValidator(_tuple)] = ("curves",)
    # At most how long the lesson takes on a 2-core laptop (its runs measured well under
    # this headless): said up front.
    minutes: float = Field(1.0, gt=0.0, le=10.0)
    # What the lesson runs: an experiment (and perhaps a comparison of it), or paths.
    experiment: Experiment | None = None
    compare: Comparison | None = None
    paths: PathsSetting | None = None
    checks: Annotated[tuple[Check, ...], BeforeValidator(_tuple)] = Field(min_length=1)

    @model_validator(mode="after")
    def _runs_one_thing(self) -> Lesson:
        if (self.experiment is None) == (self.paths is None):
            raise ValueError("give either [experiment] or [paths], not both")
        if self.paths is not None and self.compare is not None:
            raise ValueError("[compare] varies an [experiment]; a paths lesson has none")
        return self

    def variant_count(self) -> int:
        """How many runs (or paths) the lesson makes: what checks' `variant` counts."""
        return len(self.paths.optimizers) if self.paths is not None else len(self.variants())

    def variants(self) -> list[Experiment]:
        """The experiments the lesson trains, in order.

        One when it compares nothing; none for a paths lesson.
        """
        from workbench.runs.compare import comparison_group, parse_values

        if self.experiment is None:
            return []
        if self.compare is None:
            return [self.experiment]
        by = self.compare.by
        values = parse_values(by, ",".join(self.compare.values)) if self.compare.values else None
        return comparison_group(self.experiment, by, values=values)


def paragraphs(text: str) -> list[str]:
    """A lesson text's paragraphs (blank-line separated), each on one line.

    Lines inside a paragraph are joined with a space, except between two CJK characters,
    where a space would show in Japanese text.
    """
    found = []
    for part in text.split("\n\n"):
        lines = [line.strip() for line in part.strip().splitlines() if line.strip()]
        if not lines:
            continue
        joined = lines[0]
        for line in lines[1:]:
            wide = joined[-1] >= "\u3000" and line[0] >= "\u3000"
            joined += ("" if wide else " ") + line
        found.append(joined)
    return found


def variant_names(variants: Sequence[Experiment], lesson: Lesson) -> list[str]:
    """What the checks call each variant: the compared value ("lr 0.001"), or the run's name.

    A paths lesson's are its optimizers, as the paths' legend names them.
    """
    if lesson.paths is not None:
        from workbench.playground.surfaces import OPTIMIZER_LABELS

        return [OPTIMIZER_LABELS.get(name, name) for name in lesson.paths.optimizers]
    assert lesson.experiment is not None
    base = lesson.experiment.name
    names = []
    for variant in variants:
        name = variant.name
        if lesson.compare is not None and name.startswith(f"{base} [") and name.endswith("]"):
            name = name[len(base) + 2 : -1]
        names.append(name)
    return names


class LessonError(ExperimentError):
    """A lesson file that cannot be used: one line naming the file and the key."""


def load_lesson(path: str | Path) -> Lesson:
    """Read and validate a lesson file; `LessonError` in one line otherwise."""
    where = one_line(str(path))
    try:
        data: dict[str, Any] = read_toml(path)
        experiment = data.get("experiment")
        if isinstance(experiment, dict):
            # Checked on its own first, so its errors read as an experiment file's do.
            experiment = experiment_from_dict(experiment, f"{where}: experiment")
            data = {**data, "experiment": experiment}
    except ExperimentError as error:
        raise LessonError(str(error)) from None
    try:
        lesson = Lesson.model_validate(data)
    except ValidationError as error:
        raise LessonError(f"{where}: {format_validation_error(error)}") from None
    try:
        count = lesson.variant_count()
    except ValueError as error:  # an unknown axis, a bad value
        raise LessonError(f"{where}: compare: {one_line(str(error))}") from None
    for number, check in enumerate(lesson.checks):
        for side in (check.left, check.right):
            if side is not None and side.variant >= count:
                raise LessonError(
                    f"{where}: checks.{number}: "
                    + _("variant {variant} does not exist; the lesson trains {count}").format(
                        variant=side.variant, count=count
                    )
                )
    return lesson
