"""Runs lessons in the window: their runs through the training controller, then their checks.

Run lesson trains the lesson's variants one after another as a comparison (the curves live,
the runs recorded and overlaid in the Runs tab, the test set untouched); as each run ends its
result is kept, and once the last has ended the lesson's checks are made on them and shown
in the Lessons tab. A lesson that goes on after its runs (tests its chosen run once, reads
new data) does that in the background first; a search lesson runs whole in the background,
its trials recorded as a search's. A stop, or a run that fails, ends the lesson without
checks, saying why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Slot

from workbench import i18n
from workbench.core.events import Callback, RunResult, RunStatus
from workbench.lessons import LessonError, find_lesson, lesson_names
from workbench.lessons.checks import evaluate
from workbench.lessons.model import Lesson, variant_names
from workbench.lessons.own_data import (
    OWN_DATA_TRAIN_LIMIT,
    data_name,
    on_own_data,
    own_data_problem,
    used_data,
)
from workbench.ui.jobs import Job, JobState
from workbench.ui.status_names import status_name

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from workbench.config import DataConfig, Experiment
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
        # A paths lesson's walks, a search lesson, or what a lesson does after its runs.
        self._job: Job | None = None
        # The learner's own images the lessons can run on (MNIST opened), kept when a lesson
        # puts the digits in the form.
        self._own_data: DataConfig | None = None
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
        panel.stop_requested.connect(self.stop)
        window.dataset_panel.changed.connect(self._on_dataset_changed)
        self._on_dataset_changed()
        controller = window.controller
        controller.run_started.connect(self._on_run_started)
        controller.run_ended.connect(self._on_run_ended)

    @Slot()
    def _on_dataset_changed(self) -> None:
        """Offer the opened images to the lessons when they can stand in for the digits."""
        panel = self._window.dataset_panel
        config = panel.data_config()
        _, classes, image_shape = panel.shape()
        if config.path and own_data_problem(image_shape, classes, config.path) is None:
            self._own_data = config
        if self._own_data is not None:
            name = data_name(self._own_data)
            self._window.lessons_panel.set_own_data(name, OWN_DATA_TRAIN_LIMIT)

    def _chosen_data(self, lesson: Lesson) -> Lesson:
        """The lesson on the learner's images when the Lessons tab says so; else as it is."""
        if self._own_data is None or not self._window.lessons_panel.use_own_data():
            return lesson
        return on_own_data(lesson, self._own_data)

    @Slot(str)
    def run(self, name: str) -> None:
        """Train the lesson's runs in the window; its checks follow the last one."""
        lesson = self._lessons.get(name)
        if lesson is not None:
            lesson = self._chosen_data(lesson)
        window = self._window
        if lesson is None or self._lesson is not None or window.controller.run is not None:
            return
        if lesson.paths is not None:
            self._walk_paths(lesson)
            return
        if lesson.search is not None:
            self._search(lesson)
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
        # Where the lesson's runs are watched: its first view that follows a run live.
        window.show_tab(self._live_view(lesson))

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
        self._start_job(Job.calling(lambda: run_lesson(lesson, language=language), parent=self))

    def _search(self, lesson: Lesson) -> None:
        """A search lesson, whole, in the background: its rounds of trials, then the best values.

        The trials are recorded in the window's store as a search's (the Search and Runs tabs
        list them); the progress bar counts trials, then the best values' epochs.
        """
        from workbench.lessons.runner import run_lesson

        window, settings = self._window, lesson.search
        assert settings is not None and lesson.experiment is not None
        window.set_experiment(lesson.experiment)
        self._lesson, self._variants, self._results = lesson, [], []
        trials = settings.rounds * settings.trials
        window.lessons_panel.set_running(True, trials + lesson.experiment.training.epochs)
        store, language = window.store, i18n.language()

        def search(state: JobState) -> LessonOutcome:
            def trial_ended(round_number: int, progress: Any) -> None:
                state.report(("trial", round_number, progress.done, progress.total))

            def follow(number: int, experiment: Experiment) -> list[Callback]:
                return [_EpochsReported(state, trials)]

            return run_lesson(
                lesson,
                store,
                stop_token=state.stop_token,
                callbacks=follow,
                language=language,
                on_trial=trial_ended,
            )

        job = Job(search, name="lessonSearchThread", parent=self)
        job.progress.connect(self._on_search_progress)
        self._start_job(job)

    def _start_job(self, job: Job) -> None:
        job.succeeded.connect(self._on_concluded)
        job.errored.connect(self._on_job_failed)
        job.aborted.connect(self._on_job_aborted)
        job.finished.connect(job.deleteLater)
        self._job = job
        job.start()

    @Slot(object)
    def _on_search_progress(self, report: tuple) -> None:
        if self._lesson is None or self._lesson.search is None:
            return
        settings, panel = self._lesson.search, self._window.lessons_panel
        if report[0] == "trial":
            _, number, done, total = report
            panel.set_progress(
                number * settings.trials + min(done, total),
                self.tr("Search round {number}/{count}: trial {done}/{total}").format(
                    number=number + 1, count=settings.rounds, done=done, total=total
                ),
            )
        else:
            _, done, epoch, epochs = report
            panel.set_progress(
                done,
                self.tr("The best values, trained in full: epoch {epoch}/{epochs}").format(
                    epoch=epoch, epochs=epochs
                ),
            )

    @Slot(object)
    def _on_concluded(self, outcome: LessonOutcome) -> None:
        """The lesson's checks are made: shown, with its chosen run and the view it asks for."""
        self._job = None
        lesson, window = self._lesson, self._window
        self._end()
        if lesson is None:
            return
        if not outcome.checks:  # a search stopped before its end
            window.lessons_panel.show_stopped(self._ended_early_text())
            return
        window.lessons_panel.show_checks(list(outcome.checks), used_data(lesson))
        if outcome.chosen_run is not None:
            experiment, chosen = outcome.chosen_run
            window.controller.show_final_test(experiment, chosen)
        if lesson.search is not None:
            window.runs_panel.refresh()
            # The narrowed round in the Search tab: its trials, and Apply best from there.
            if outcome.search_ids:
                window.search_panel.open_stored(outcome.search_ids[-1])
        if "predict" in lesson.views and outcome.chosen_run is not None:
            # The tested model: the Predict tab uses the final models.
            run_id = outcome.chosen_run[1].run_id
            if run_id is not None:
                window.predict_panel.select_run(run_id)
            QTimer.singleShot(0, lambda: window.show_tab(window.predict_panel))
            return
        # After any switch the runs' ends made: the conclusion is read here.
        QTimer.singleShot(0, lambda: window.show_tab(window.lessons_panel))

    @Slot(str)
    def _on_job_failed(self, message: str) -> None:
        self._job = None
        self._window.lessons_panel.show_stopped(message)
        self._end()

    @Slot()
    def _on_job_aborted(self) -> None:
        self._job = None
        self._window.lessons_panel.show_stopped(self._ended_early_text())
        self._end()

    @Slot()
    def stop(self) -> None:
        """Stop the lesson: its search or what follows its runs, or the run training now."""
        if self._job is not None:
            self._job.cancel()
        else:
            self._window.stop_training()

    @Slot(str)
    def open_in_form(self, name: str) -> None:
        lesson = self._lessons.get(name)
        if lesson is None:
            return
        lesson = self._chosen_data(lesson)
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
            panel.show_stopped(self._ended_early_text(end.result.status))
            self._end()
            return
        if len(self._results) < len(self._variants):
            return
        lesson = self._lesson
        if lesson.final_test is not None or lesson.new_data is not None:
            self._conclude_in_background(lesson)
            return
        names = variant_names(self._variants, lesson)
        language = i18n.language()
        checks = [evaluate(check, self._results, names, language) for check in lesson.checks]
        self._end()
        panel.show_checks(checks, used_data(lesson))
        # After the comparison's own switch to the Runs tab: the conclusion is read here.
        QTimer.singleShot(0, lambda: self._window.show_tab(self._window.lessons_panel))

    def _conclude_in_background(self, lesson: Lesson) -> None:
        """Test the chosen run once, read the new data, then check: off the window's thread."""
        from workbench.lessons.runner import conclude
        from workbench.runs.session import RunOutcome

        variants = list(self._variants)
        outcomes = [
            run if isinstance(run, RunOutcome) else RunOutcome(run, None, None, None)
            for run in self._results
        ]
        store, language = self._window.store, i18n.language()
        self._window.lessons_panel.set_progress(
            sum(variant.training.epochs for variant in variants),
            self.tr("Testing the chosen run once…")
            if lesson.final_test is not None
            else self.tr("Reading the new data…"),
        )
        self._start_job(
            Job.calling(
                lambda: conclude(lesson, variants, outcomes, store, language),
                name="lessonConclusionThread",
                parent=self,
            )
        )

    def _live_view(self, lesson: Lesson) -> QWidget:
        """The tab of the lesson's first view that shows its runs as they train (the curves)."""
        window = self._window
        tabs = {
            "curves": window.training_tab,
            "boundary": window.training_tab,
            "inside": window.inside_panel,
            "runs": window.runs_panel,
        }
        return next((tabs[view] for view in lesson.views if view in tabs), window.training_tab)

    def _ended_early_text(self, status: RunStatus = RunStatus.STOPPED) -> str:
        return self.tr(
            "The lesson ended early ({status}): its points need all of its runs."
        ).format(status=status_name(status))

    def _end(self) -> None:
        self._lesson, self._variants = None, []
        self._window.lessons_panel.set_running(False)

    def running(self) -> bool:
        return self._lesson is not None


class _EpochsReported(Callback):
    """A search lesson's last run: its epochs to the progress bar, after the trials."""

    def __init__(self, state: JobState, before: int) -> None:
        self._state, self._before = state, before

    def on_epoch_end(self, metrics: EpochMetrics) -> None:
        self._state.report(("epoch", self._before + metrics.epoch, metrics.epoch, metrics.epochs))


def _result(run: RunResult | RunOutcome) -> RunResult:
    return run if isinstance(run, RunResult) else run.result
