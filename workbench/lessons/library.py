"""The lessons that ship with the workbench: package data, so an installed wheel has them too."""

from __future__ import annotations

from pathlib import Path

from workbench.i18n import _
from workbench.lessons.model import Lesson, LessonError, load_lesson

# The files live in the package, not in resources/ (which a wheel does not carry); their
# names, without ".toml", are the lessons' names ("workbench lesson learning-rate").
LIBRARY = Path(__file__).with_name("library")


def lesson_paths() -> list[Path]:
    """The shipped lesson files, in the order the chapter takes them (by file name)."""
    return sorted(LIBRARY.glob("*.toml"))


def lesson_names() -> list[str]:
    return [name_of(path) for path in lesson_paths()]


def name_of(path: Path) -> str:
    # "01-learning-rate.toml" -> "learning-rate": the number only orders the files.
    stem = path.stem
    number, dash, rest = stem.partition("-")
    return rest if dash and number.isdigit() else stem


def find_lesson(name: str) -> tuple[str, Lesson]:
    """The lesson of that name (or a path to a lesson file); `LessonError` in one line."""
    for path in lesson_paths():
        if name_of(path) == name:
            return name_of(path), load_lesson(path)
    candidate = Path(name)
    if candidate.suffix == ".toml" and candidate.is_file():
        return candidate.stem, load_lesson(candidate)
    raise LessonError(
        _("no lesson {name}; the lessons are {names}").format(
            name=repr(name), names=", ".join(lesson_names())
        )
    )
