"""Runs lessons in the window: their runs through the training controller, then their checks.

Run lesson trains the lesson's variants one after another as a comparison (the curves live,
the runs recorded and overlaid in the Runs tab, the test set untouched); as each run ends its
result is kept, and once the last has ended the lesson's checks are made on them and shown
in the Lessons tab. A stop, or a run that fails, ends the lesson without checks, saying why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot

from workbench import i18n
from workbench.core.events import RunResult, RunStatus
from workbench.lessons import LessonError, find_lesson, lesson_names
from workbench.lessons.checks import evaluate
from workbench.lessons.model import Lesson, variant_names
from workbench.ui.jobs import Job
from workbench.ui.status_names import status_name

if TYPE_CHECKING:
    from workbench.config import Experiment
    from workbench.core.events import EpochMetrics
    from workbench.lessons.runner import LessonOutcome
    from workbench.runs.session import RunOutcome
    from workbench.ui.main_window import MainWindow
    from workbench.ui.training_controller import RunEnd
    from workbench.ui.worker import TrainingRun


class LessonsView(QObject):
    """Connects the Lessons tab to the training controller."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._lesson: Lesson | None = None  # the lesson being run
        self._variants: list[Experiment] = []
        self._results: list[RunResult | RunOutcome] = []
        self._paths_job: Job | None = None  # a paths lesson's walks
        panel = window.lessons_panel
        lessons = []
        for name in lesson_names():
            try:
                lessons.append(find_lesson(name))
            except LessonError as error:  # a broken shipped file: the others still show
                window.show_status(str(error), error=True)
        panel.set_lessons(lessons)
        self._lessons = dict(lessons)
        panel.run_requested.connect(self.run)
        panel.open_requested.connect(self.open_in_form)
        panel.stop_requested.connect(window.stop_training)
        controller = window.controller
        controller.run_started.connect(self._on_run_started)
        controller.run_ended.connect(self._on_run_ended)

    @Slot(str)
    def run(self, name: str) -> None:
        """Train the lesson's runs in the window; its checks follow the last one."""
        lesson = self._lessons.get(name)
        window = self._window
        if lesson is None or self._lesson is not None or window.controller.run is not None:
            return
        if lesson.paths is not None:
            self._walk_paths(lesson)
            return
        try:
            variants = lesson.variants()
        except ValueError as error:
            window.show_status(str(error), error=True)
            return
        by = lesson.compare.by if lesson.compare is not None else ""
        # The form shows the lesson's settings, as a learner would have set them.
        assert lesson.experiment is not None
        window.set_experiment(lesson.experiment)
        self._lesson, self._variants, self._results = lesson, variants, []
        steps = sum(variant.training.epochs for variant in variants)
        window.lessons_panel.set_running(True, steps)
        if not window.controller.train_group(variants, by):
            self._end()
            return
        # The curves are where a lesson's runs are watched.
        window.show_tab(window.training_tab)

    def _walk_paths(self, lesson: Lesson) -> None:
        """A paths lesson: the Paths tab set as the lesson says, its paths walked in the background.

        The checks are made on the same walks the tab draws.
        """
        from workbench.lessons.runner import run_lesson

        window, setting = self._window, lesson.paths
        assert setting is not None
        window.paths_panel.show_setting(setting.function, list(setting.optimizers))
        window.show_tab(window.paths_panel)
        self._lesson, self._variants, self._results = lesson, [], []
        window.lessons_panel.set_running(True, 1)
        language = i18n.language()
        job = Job.calling(lambda: run_lesson(lesson, language=language), parent=self)
        job.succeeded.connect(self._on_paths_walked)
        job.errored.connect(self._on_paths_failed)
        job.finished.connect(job.deleteLater)
        self._paths_job = job
        job.start()

    @Slot(object)
    def _on_paths_walked(self, outcome: LessonOutcome) -> None:
        self._paths_job = None
        self._end()
        self._window.lessons_panel.show_checks(list(outcome.checks))

    @Slot(str)
    def _on_paths_failed(self, message: str) -> None:
        self._paths_job = None
        self._window.lessons_panel.show_stopped(message)
        self._end()

    @Slot(str)
    def open_in_form(self, name: str) -> None:
        lesson = self._lessons.get(name)
        if lesson is None:
            return
        if lesson.experiment is None:  # a paths lesson: its settings are in the Paths tab
            setting = lesson.paths
            assert setting is not None
            self._window.paths_panel.show_setting(setting.function, list(setting.optimizers))
            self._window.show_tab(self._window.paths_panel)
            return
        self._window.set_experiment(lesson.experiment)
        self._window.show_status(
            self.tr("The lesson's experiment is in the form: change it and press Train.")
        )

    # -- following its runs --------------------------------------------------------------------
    @Slot(object)
    def _on_run_started(self, run: TrainingRun) -> None:
        if self._lesson is not None:
            run.epoch_finished.connect(self._on_epoch)

    @Slot(object)
    def _on_epoch(self, metrics: EpochMetrics) -> None:
        if self._lesson is None:
            return
        done = sum(len(_result(run).history) for run in self._results) + metrics.epoch
        number = len(self._results) + 1
        self._window.lessons_panel.set_progress(
            done,
            self.tr("Run {number}/{count}: epoch {epoch}/{epochs}").format(
                number=number, count=len(self._variants), epoch=metrics.epoch, epochs=metrics.epochs
            ),
        )

    @Slot(object)
    def _on_run_ended(self, end: RunEnd) -> None:
        if self._lesson is None:
            return
        panel = self._window.lessons_panel
        # The whole outcome (its looks inside, its weights): some checks read them.
        outcome = self._window.controller.last_outcome
        self._results.append(outcome if outcome is not None else end.result)
        if end.result.status in (RunStatus.STOPPED, RunStatus.FAILED):
            panel.show_stopped(
                self.tr(
                    "The lesson ended early ({status}): its points need all of its runs."
                ).format(status=status_name(end.result.status))
            )
            self._end()
            return
        if len(self._results) < len(self._variants):
            return
        lesson = self._lesson
        names = variant_names(self._variants, lesson)
        language = i18n.language()
        checks = [evaluate(check, self._results, names, language) for check in lesson.checks]
        self._end()
        panel.show_checks(checks)
        # After the comparison's own switch to the Runs tab: the conclusion is read here.
        QTimer.singleShot(0, lambda: self._window.show_tab(self._window.lessons_panel))

    def _end(self) -> None:
        self._lesson, self._variants = None, []
        self._window.lessons_panel.set_running(False)

    def running(self) -> bool:
        return self._lesson is not None


def _result(run: RunResult | RunOutcome) -> RunResult:
    return run if isinstance(run, RunResult) else run.result
