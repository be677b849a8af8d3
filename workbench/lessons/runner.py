"""Running a lesson: its variants trained one after another, then its checks on the results."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.config import Experiment
from workbench.core.engine import StopToken
from workbench.core.events import Callback, RunResult
from workbench.lessons.checks import (
    CheckOutcome,
    Chosen,
    LessonRun,
    Measured,
    SearchRound,
    evaluate,
)
from workbench.lessons.model import Lesson, paragraphs, variant_names
from workbench.lessons.own_data import used_data
from workbench.report.ranking import best_of
from workbench.runs.session import RunOutcome, report_of, train_and_record
from workbench.runs.store import RunStore

if TYPE_CHECKING:
    from workbench.search.results import TrialResult
    from workbench.search.runner import SearchProgress


@dataclass(frozen=True)
class LessonOutcome:
    """A lesson's runs (in its order) and what its checks found on them."""

    variants: tuple[Experiment, ...]
    outcomes: tuple[RunOutcome, ...]
    checks: tuple[CheckOutcome, ...]
    # A paths lesson's walks (`workbench.playground.paths.PathsResult`); None otherwise.
    paths: Any = None
    # A search lesson's rounds; the run chosen and tested once, or the search's best trained.
    rounds: tuple[SearchRound, ...] = ()
    search_ids: tuple[int, ...] = ()  # each round's search in the run store
    chosen: Chosen | None = None
    # The chosen run's experiment and outcome as trained (a search lesson's: not a variant).
    chosen_run: tuple[Experiment, RunOutcome] | None = None

    def reports(self) -> list[dict[str, Any]]:
        """Each run's report (report.json's form), for the lesson's page."""
        runs = list(zip(self.variants, self.outcomes, strict=True))
        if self.chosen_run is not None:
            # The chosen run as tested (its test metrics on the page), or a search's best.
            chosen = self.chosen_run[0]
            runs = [self.chosen_run if v is chosen else (v, o) for v, o in runs]
            if not any(v is chosen for v in self.variants):
                runs.append(self.chosen_run)
        return [report_of(variant, outcome) for variant, outcome in runs]


def run_lesson(
    lesson: Lesson,
    store: RunStore | None = None,
    *,
    stop_token: StopToken | None = None,
    callbacks: Callable[[int, Experiment], Sequence[Callback]] | None = None,
    language: str = "en",
    on_trial: Callable[[int, SearchProgress], None] | None = None,
) -> LessonOutcome:
    """Train the lesson's variants in order, recording them in `store`, and check the results.

    Runs use validation data only: a lesson explores, and the test set stays untouched,
    except by a lesson that teaches the final test: it tests its chosen run, once.

    Args:
        lesson: What to run.
        store: Where the runs are recorded (None: not recorded).
        stop_token: Set to stop the run going and the lesson with it.
        callbacks: Given a variant's number and experiment, the callbacks that follow its run
            (progress, live views).
        language: "en" or "ja": the language of the checks' sentences.
        on_trial: A search lesson's progress: the round (from 0) and the trial just ended.
    """
    if lesson.paths is not None:
        return _walk_paths(lesson, language)
    if lesson.search is not None:
        return _search_rounds(lesson, store, stop_token, callbacks, language, on_trial)
    variants = tuple(lesson.variants())
    outcomes: list[RunOutcome] = []
    for number, variant in enumerate(variants):
        if stop_token is not None and stop_token.is_set():
            break
        followers = list(callbacks(number, variant)) if callbacks is not None else []
        outcomes.append(
            train_and_record(variant, store, followers, stop_token, evaluate_test=False)
        )
    if len(outcomes) < len(variants):  # a stopped lesson has nothing to conclude
        return LessonOutcome(variants[: len(outcomes)], tuple(outcomes), ())
    return conclude(lesson, variants, outcomes, store, language)


def conclude(
    lesson: Lesson,
    variants: Sequence[Experiment],
    outcomes: Sequence[RunOutcome],
    store: RunStore | None,
    language: str = "en",
) -> LessonOutcome:
    """After the last run: the chosen run tested once ([final_test]), new data read, checks.

    The window calls this too, off its thread, once its runs have ended.
    """
    names = variant_names(variants, lesson)
    runs = [judged(lesson, v, o) for v, o in zip(variants, outcomes, strict=True)]
    chosen, chosen_run = None, None
    if lesson.final_test is not None:
        index = choose_best([o.result for o in outcomes])
        tested = test_once(variants[index], outcomes[index], store)
        # Read as before its test (the same weights), now with its test metrics and looks.
        run = replace(runs[index], result=tested.result, test_evaluations=tested.test_evaluations)
        chosen = Chosen(run, names[index])
        chosen_run = (variants[index], tested)
    checks = tuple(evaluate(c, runs, names, language, chosen) for c in lesson.checks)
    return LessonOutcome(
        tuple(variants), tuple(outcomes), checks, chosen=chosen, chosen_run=chosen_run
    )


def judged(lesson: Lesson, experiment: Experiment, outcome: RunOutcome) -> LessonRun:
    """The run as the checks read it, with what the lesson measures after training."""
    drawn = None
    if lesson.new_data == "drawn_digits":
        from workbench.lessons.new_data import drawn_accuracy

        drawn = drawn_accuracy(experiment, outcome.result)
    return LessonRun(outcome.result, outcome.snapshots, outcome.test_evaluations, drawn)


def choose_best(results: Sequence[RunResult]) -> int:
    """The index of the run with the best validation accuracy at its best epoch.

    The workbench's one meaning of "best" (`report.ranking.best_of`, as the Runs tab and
    `workbench compare` rank runs); the first of equals. A run with no such figure (it
    failed, or diverged at once) is chosen only when every run is such.
    """
    winners = best_of(results).winners
    if not winners:
        return 0
    return next(i for i, result in enumerate(results) if result is winners[0])


def test_once(experiment: Experiment, outcome: RunOutcome, store: RunStore | None) -> RunOutcome:
    """The run evaluated on the test set, on purpose, and counted in the store."""
    from workbench.runs.final_test import evaluate_and_record

    final = evaluate_and_record(experiment, outcome.result, store, outcome.run_id)
    return replace(
        outcome,
        result=final.result,
        test_evaluations=final.evaluations,
        record_error=final.record_error or outcome.record_error,
    )


def _search_rounds(
    lesson: Lesson,
    store: RunStore | None,
    stop_token: StopToken | None,
    callbacks: Callable[[int, Experiment], Sequence[Callback]] | None,
    language: str,
    on_trial: Callable[[int, SearchProgress], None] | None,
) -> LessonOutcome:
    """Search the space in rounds, each narrowed around the last's best; train the best values.

    The trials are recorded in `store` as a `workbench search` would record them (a store in
    a temporary folder when there is none), each round a search of its own.
    """
    from workbench.search import apply_values, best_trial, build_spec, narrow
    from workbench.search.runner import run_search

    settings, base = lesson.search, lesson.experiment
    assert settings is not None and base is not None
    spec = build_spec(base, settings.settings(), name=base.name, source="lesson")
    rounds: list[SearchRound] = []
    every: list[tuple[TrialResult, ...]] = []
    search_ids: list[int] = []
    with _store_or_temporary(store) as trials_store:
        for number in range(settings.rounds):
            if number:
                spec = narrow(spec, every[-1])
            # Each round a search of its own, named so the Search tab tells them apart.
            spec = spec.model_copy(update={"name": f"{base.name}-round-{number + 1}"})
            found = run_search(
                spec,
                trials_store,
                workers=1,
                stop_token=stop_token,
                on_trial=_tell_round(on_trial, number),
            )
            if found.stopped or not found.finished:
                return LessonOutcome((), (), (), rounds=tuple(rounds))
            every.append(found.trials)
            search_ids.append(found.search_id)
            scores = tuple(t.best_value for t in found.trials if t.scored)
            rounds.append(SearchRound(scores))
    best = best_trial([t for trials in every for t in trials], spec.search.metric)
    if best is None or (stop_token is not None and stop_token.is_set()):
        return LessonOutcome((), (), (), rounds=tuple(rounds))
    chosen_name = best_values_name(best.values)
    experiment = apply_values(base, best.values, "search")
    # Named like a comparison's runs, so the Runs tab says which values it trained.
    experiment = experiment.model_copy(update={"name": f"{base.name} [{chosen_name}]"})
    followers = list(callbacks(settings.rounds, experiment)) if callbacks is not None else []
    outcome = train_and_record(
        experiment, store, followers, stop_token, evaluate_test=lesson.final_test is not None
    )
    if outcome.result.test is not None and outcome.test_evaluations is None:
        outcome = replace(outcome, test_evaluations=1)  # tested, with no store to count in
    chosen = Chosen(judged(lesson, experiment, outcome), chosen_name)
    names = variant_names((), lesson)
    measured: list[Measured] = list(rounds)
    checks = tuple(evaluate(c, measured, names, language, chosen) for c in lesson.checks)
    return LessonOutcome(
        (),
        (),
        checks,
        rounds=tuple(rounds),
        search_ids=tuple(search_ids) if store is not None else (),
        chosen=chosen,
        chosen_run=(experiment, outcome),
    )


def _tell_round(
    on_trial: Callable[[int, SearchProgress], None] | None, number: int
) -> Callable[[SearchProgress], None] | None:
    """`on_trial` told which round each trial belongs to."""
    if on_trial is None:
        return None
    return lambda progress: on_trial(number, progress)


def best_values_name(values: dict[str, Any]) -> str:
    """A search's best values as the checks name them: "lr 0.0012, weight_decay 3.4e-05"."""
    return ", ".join(
        f"{path.rpartition('.')[2]} {value:.2g}"
        if isinstance(value, float)
        else f"{path.rpartition('.')[2]} {value}"
        for path, value in values.items()
    )


@contextlib.contextmanager
def _store_or_temporary(store: RunStore | None) -> Iterator[RunStore]:
    if store is not None:
        yield store
        return
    with tempfile.TemporaryDirectory(prefix="workbench-lesson-") as folder:
        yield RunStore(Path(folder))


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
        "data": used_data(lesson),
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
