"""Lesson files: a chapter's experiment as a guided, bilingual lesson whose checks are computed.

A lesson file (TOML, `workbench/lessons/library/*.toml`) holds a title, the text to read
first and "what to notice", in English and Japanese; the experiment to run (the same tables
as an experiment file, under `[experiment]`); optionally a comparison (`[compare]`: an axis
of `workbench compare` and its values), or instead a validation search (`[search]`: a
search file's table, run in `rounds`, each narrowed around the last's best, then the best
values trained in full); optionally `[final_test]` (the best run on validation data is
tested, once) and `new_data = "drawn_digits"` (the models read the scripted drawings); the
views that show its effect; and checks: conditions on the results, each with the sentence
to say when it holds and when it does not, in both languages. A check's side names a
variant by number, or "chosen": the run tested once, or a search lesson's best values.
A learner's run can differ from the book's: a check that does not hold says so, with the
numbers. Validated with pydantic like experiments; every error is one line naming the file
and the key.
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
from workbench.search.spec import SearchSettings

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
    # The run chosen and tested once ([final_test], or a search's best values trained): its
    # test metrics, and how many recorded runs have now been judged on this test set.
    "test_accuracy",
    "test_loss",
    "test_looks",
    # The share of the scripted drawings of digits (new data: `new_data = "drawn_digits"`)
    # that the run's kept model reads right.
    "drawn_accuracy",
    # A search round (a search lesson's variant): its trials' best validation accuracies.
    "trials_best_val_accuracy",
    "trials_median_val_accuracy",
    "trials_worst_val_accuracy",
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
    """One number of one variant's run: `variant` counts from 0 in the comparison's order.

    "chosen" is the run the lesson chose and tested once ([final_test]), or a search
    lesson's best values trained in full.
    """

    variant: Annotated[int, Field(ge=0)] | Literal["chosen"] = 0
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


class FinalTest(_Strict):
    """After the runs, the one with the best validation result is tested, once ("chosen")."""

    # The workbench's one "best" (report.ranking): validation accuracy at the best epoch.
    choose_by: Literal["best_val_accuracy"] = "best_val_accuracy"


class LessonSearch(SearchSettings):
    """A search lesson's `[search]`: a search file's table, run `rounds` times.

    Each round after the first searches the space narrowed around the previous round's best
    trials (`workbench.search.narrow`); `trials` counts one round's. The best values found
    are then trained on the lesson's experiment as it stands ("chosen").
    """

    rounds: int = Field(2, ge=1, le=3)
    trials: int = Field(8, ge=2, le=100)
    workers: int = Field(1, ge=1, le=1)  # in the lesson's own thread, one trial at a time

    def settings(self) -> dict[str, Any]:
        """The `[search]` table a search file would hold (`build_spec`)."""
        return self.model_dump(exclude={"rounds"})


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
    # A validation search over the experiment's settings instead of a comparison.
    search: LessonSearch | None = None
    # Choose the best of the runs by validation and test it once.
    final_test: FinalTest | None = None
    # New data the runs' models read after training: the scripted drawings of digits.
    new_data: Literal["drawn_digits"] | None = None
    checks: Annotated[tuple[Check, ...], BeforeValidator(_tuple)] = Field(min_length=1)

    @model_validator(mode="after")
    def _runs_one_thing(self) -> Lesson:
        if (self.experiment is None) == (self.paths is None):
            raise ValueError("give either [experiment] or [paths], not both")
        if self.paths is not None and self.compare is not None:
            raise ValueError("[compare] varies an [experiment]; a paths lesson has none")
        if self.search is not None and (self.compare is not None or self.paths is not None):
            raise ValueError("a search lesson varies its [experiment] by [search] alone")
        chosen = any(
            side is not None and side.variant == "chosen"
            for check in self.checks
            for side in (check.left, check.right)
        )
        if chosen and self.search is None and self.final_test is None:
            raise ValueError('variant "chosen" needs [final_test] or [search]')
        return self

    @property
    def has_chosen(self) -> bool:
        """Whether the lesson ends with a chosen run (tested once, or a search's best)."""
        return self.search is not None or self.final_test is not None

    def variant_count(self) -> int:
        """How many runs (or paths, or search rounds) the lesson makes: what `variant` counts."""
        if self.search is not None:
            return self.search.rounds
        return len(self.paths.optimizers) if self.paths is not None else len(self.variants())

    def run_count(self) -> int:
        """How many runs (or paths) a learner waits for: a search's trials and its best, too."""
        if self.search is not None:
            return self.search.rounds * self.search.trials + 1
        return self.variant_count()

    def variants(self) -> list[Experiment]:
        """The experiments the lesson trains, in order.

        One when it compares nothing; none for a paths or a search lesson.
        """
        from workbench.runs.compare import comparison_group, parse_values

        if self.experiment is None or self.search is not None:
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

    A paths lesson's are its optimizers, as the paths' legend names them; a search lesson's
    its rounds, counted from 1.
    """
    if lesson.search is not None:
        return [str(number + 1) for number in range(lesson.search.rounds)]
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
    if lesson.search is not None:
        _check_search(lesson, where)
    for number, check in enumerate(lesson.checks):
        for side in (check.left, check.right):
            if side is not None and side.variant != "chosen" and side.variant >= count:
                raise LessonError(
                    f"{where}: checks.{number}: "
                    + _("variant {variant} does not exist; the lesson trains {count}").format(
                        variant=side.variant, count=count
                    )
                )
    return lesson


def _check_search(lesson: Lesson, where: str) -> None:
    """The search's space against the experiment, as `workbench search` checks a file's."""
    from workbench.search import SearchError, build_spec

    assert lesson.search is not None and lesson.experiment is not None
    try:
        build_spec(lesson.experiment, lesson.search.settings(), source=f"{where}: search")
    except SearchError as error:
        raise LessonError(one_line(str(error))) from None
