"""Lessons: the chapter's experiments, guided, with conclusions checked on the learner's runs."""

from workbench.lessons.library import find_lesson, lesson_names, lesson_paths
from workbench.lessons.model import Lesson, LessonError, load_lesson

__all__ = ["Lesson", "LessonError", "find_lesson", "lesson_names", "lesson_paths", "load_lesson"]
