"""Running a lesson: its variants trained one after another, then its checks on the results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.config import Experiment
from workbench.core.engine import StopToken
from workbench.core.events import Callback
from workbench.lessons.checks import CheckOutcome, evaluate
from workbench.lessons.model import Lesson, paragraphs, variant_names
from workbench.runs.session import RunOutcome, report_of, train_and_record
from workbench.runs.store import RunStore


@dataclass(frozen=True)
class LessonOutcome:
    """A lesson's runs (in its order) and what its checks found on them."""

    variants: tuple[Experiment, ...]
    outcomes: tuple[RunOutcome, ...]
    checks: tuple[CheckOutcome, ...]
    # A paths lesson's walks (`workbench.playground.paths.PathsResult`); None otherwise.
    paths: Any = None

    def reports(self) -> list[dict[str, Any]]:
        """Each run's report (report.json's form), for the lesson's page."""
        return [
            report_of(variant, outcome)
            for variant, outcome in zip(self.variants, self.outcomes, strict=True)
        ]


def run_lesson(
    lesson: Lesson,
    store: RunStore | None = None,
    *,
    stop_token: StopToken | None = None,
    callbacks: Callable[[int, Experiment], Sequence[Callback]] | None = None,
    language: str = "en",
) -> LessonOutcome:
    """Train the lesson's variants in order, recording them in `store`, and check the results.

    Runs use validation data only: a lesson explores, and the test set stays untouched.

    Args:
        lesson: What to run.
        store: Where the runs are recorded (None: not recorded).
        stop_token: Set to stop the run going and the lesson with it.
        callbacks: Given a variant's number and experiment, the callbacks that follow its run
            (progress, live views).
        language: "en" or "ja": the language of the checks' sentences.
    """
    if lesson.paths is not None:
        return _walk_paths(lesson, language)
    variants = tuple(lesson.variants())
    outcomes: list[RunOutcome] = []
    for number, variant in enumerate(variants):
        if stop_token is not None and stop_token.is_set():
            break
        followers = list(callbacks(number, variant)) if callbacks is not None else []
        outcomes.append(
            train_and_record(variant, store, followers, stop_token, evaluate_test=False)
        )
    checks: tuple[CheckOutcome, ...] = ()
    if len(outcomes) == len(variants):  # a stopped lesson has nothing to conclude
        names = variant_names(variants, lesson)
        checks = tuple(evaluate(check, outcomes, names, language) for check in lesson.checks)
    return LessonOutcome(variants[: len(outcomes)], tuple(outcomes), checks)


def _walk_paths(lesson: Lesson, language: str) -> LessonOutcome:
    from workbench.playground.paths import optimizer_paths

    setting = lesson.paths
    assert setting is not None
    paths = optimizer_paths(setting.function, setting.optimizers, steps=setting.steps)
    names = variant_names([], lesson)
    checks = tuple(evaluate(check, paths.paths, names, language) for check in lesson.checks)
    return LessonOutcome((), (), checks, paths)


def lesson_page(lesson: Lesson, outcome: LessonOutcome, language: str) -> dict[str, Any]:
    """What the lesson's page shows of it, in `language` (see `render_lesson_html`)."""
    return {
        "title": lesson.title.in_language(language),
        "text": paragraphs(lesson.text.in_language(language)),
        "notice": paragraphs(lesson.notice.in_language(language)),
        "checks": [{"holds": c.holds, "sentence": c.sentence} for c in outcome.checks],
        "figure": _paths_figure(outcome),
    }


def _paths_figure(outcome: LessonOutcome) -> str | None:
    """A paths lesson's figure as a data URI for the page (the book's figure 6-8)."""
    if outcome.paths is None:
        return None
    import base64

    from workbench.playground.paths_figure import paths_figure

    png = paths_figure(outcome.paths)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
