"""`workbench lessons` lists the lessons; `workbench lesson NAME --out DIR` runs one headless.

A lesson run from the command line trains its variants as the window would (recorded in the
run store, the test set untouched), prints what each check found, and writes the lesson's
page (`lesson.html`: its text, what to notice, the checks with the numbers, the runs
compared) in the language asked for.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path

from workbench.errors import OneLineParser, print_error
from workbench.i18n import _
from workbench.out_paths import write_error

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


def lessons_command(argv: list[str]) -> int:
    """`workbench lessons [--lang ja|en]`: each lesson's name, length and title."""
    parser = OneLineParser(
        prog="workbench lessons", description="List the lessons that 'workbench lesson' runs."
    )
    parser.add_argument("--lang", choices=("ja", "en"), help="the titles' language")
    args = parser.parse_args(argv)
    from workbench.i18n import from_environment
    from workbench.lessons import LessonError, load_lesson
    from workbench.lessons.library import lesson_paths, name_of

    language = args.lang or from_environment()
    for path in lesson_paths():
        try:
            lesson = load_lesson(path)
        except LessonError as error:
            print_error(str(error))
            return EXIT_FAILED
        minutes = _("~{minutes:g} min").format(minutes=lesson.minutes)
        print(f"{name_of(path):<24} {minutes:>9}  {lesson.title.in_language(language)}")
    return EXIT_OK


def lesson_command(argv: list[str]) -> int:
    """`workbench lesson NAME --out DIR [--lang ja|en]`: run a lesson, write its page."""
    parser = OneLineParser(
        prog="workbench lesson",
        description="Run a lesson headless: train its runs, check what they show, and write "
        "its page (lesson.html) to --out. 'workbench lessons' lists the names.",
    )
    parser.add_argument("name", help="a lesson's name, or the path of a lesson file (.toml)")
    parser.add_argument("--out", type=Path, required=True, help="folder for lesson.html")
    parser.add_argument(
        "--lang", choices=("ja", "en"), help="the page's language (default: the locale's)"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="the run store's folder (default: $WORKBENCH_DATA_DIR or the per-user data folder)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        help="run on these images instead of the built-in digits (an MNIST IDX folder, an "
        "NPZ, ...: one channel, 10 classes; at most 1,000 training samples)",
    )
    args = parser.parse_args(argv)
    from workbench.i18n import set_language
    from workbench.lessons import LessonError, find_lesson

    # The page and what is printed speak the same language.
    language = set_language(args.lang)
    if args.out.exists() and not args.out.is_dir():
        print_error(f"--out {args.out}: " + _("is a file; give a folder"))
        return EXIT_BAD_INPUT
    try:
        name, lesson = find_lesson(args.name)
    except LessonError as error:
        print_error(str(error))
        return EXIT_BAD_INPUT
    if args.data is not None:
        try:
            lesson = _on_own_data(lesson, args.data)
        except ValueError as error:  # DatasetError, or images the lessons cannot use
            print_error(str(error))  # it names the path
            return EXIT_BAD_INPUT
    from workbench.core.checks import check_runnable
    from workbench.report.html_report import render_lesson_html
    from workbench.runs import RunStore, StoreError

    try:
        for variant in lesson.variants() or [e for e in (lesson.experiment,) if e is not None]:
            check_runnable(variant)
    except ValueError as error:  # ExperimentError: the lesson cannot run here
        print_error(f"{name}: {error}")
        return EXIT_BAD_INPUT
    try:
        store: RunStore | None = RunStore(args.data_dir)
    except StoreError as error:
        print(_("warning: {error}; this run is not recorded").format(error=error))
        store = None
    print(lesson.title.in_language(language), flush=True)
    from workbench.lessons.own_data import used_data

    data_line = used_data(lesson)
    if data_line is not None:
        print(data_line, flush=True)
    stop_token = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda signum, frame: stop_token.set())
    try:
        outcome = _run(lesson, store, stop_token, language)
    finally:
        signal.signal(signal.SIGINT, previous)
    if stop_token.is_set():
        print(_("stopped: the lesson's checks need all of its runs"))
        return EXIT_INTERRUPTED
    for check in outcome.checks:
        mark = _("holds") if check.holds else _("does not hold")
        print(f"[{mark}] {check.sentence}")
    from workbench.atomic import atomic_write_text
    from workbench.lessons.runner import lesson_page

    page = render_lesson_html(lesson_page(lesson, outcome, language), outcome.reports(), language)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        path = atomic_write_text(args.out / "lesson.html", page)
    except OSError as error:
        print_error(write_error("--out", args.out, error))
        return EXIT_BAD_INPUT
    print(_("wrote {path}").format(path=path))
    return EXIT_OK


def _on_own_data(lesson, path: Path):
    """The lesson on the images at `path`; ValueError (one line) when they cannot stand in."""
    from workbench.config import DataConfig
    from workbench.data.importers import detect_kind
    from workbench.data.sources import load_source
    from workbench.lessons.own_data import on_own_data, own_data_problem

    data = DataConfig.model_validate({"source": detect_kind(path), "path": str(path)})
    dataset = load_source(data)
    problem = own_data_problem(dataset.image_shape, dataset.n_classes, str(path))
    if problem is not None:
        raise ValueError(problem)
    return on_own_data(lesson, data)


def _run(lesson, store, stop_token, language):
    from workbench.lessons.runner import run_lesson

    count = lesson.variant_count()

    def announce(number, variant):
        if lesson.search is not None:  # after the rounds: the best values, trained in full
            line = _("== the best values: {name}").format(name=variant.name)
        else:
            line = _("== variant {number}/{count}: {name}").format(
                number=number + 1, count=count, name=variant.name
            )
        print(line, flush=True)
        return ()

    def trial_ended(round_number, progress):
        score = progress.trial.best_value
        print(
            _("round {round}/{rounds}: trial {done}/{total}, validation {score}").format(
                round=round_number + 1,
                rounds=count,
                done=progress.done,
                total=progress.total,
                score="–" if score is None else f"{score:.3f}",
            ),
            flush=True,
        )

    return run_lesson(
        lesson,
        store,
        stop_token=stop_token,
        callbacks=announce,
        language=language,
        on_trial=trial_ended,
    )
