"""The training controller: the window's runs, its comparison queue and the work after a run.

It owns the run in progress (`workbench.ui.worker.TrainingRun`), the variants of a
comparison still to train, the last run's result and report (`workbench.runs.session.report_of`
of the run's outcome) and the deliberate test-set evaluation. It holds no widget: the window
calls its methods when a button is pressed and shows what it says through its signals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from workbench.config import Experiment, ExperimentError, format_validation_error
from workbench.core import BatchProgress, Callback, EpochMetrics, RunResult, RunStatus
from workbench.core.checks import check_runnable
from workbench.data import DatasetError
from workbench.runs import RunStore
from workbench.runs.compare import comparison_group
from workbench.runs.ray_run import RayCluster
from workbench.runs.session import RunOutcome, report_of
from workbench.runs.training_process import TrainingProcess
from workbench.ui.jobs import Job
from workbench.ui.warmup import Warmup
from workbench.ui.worker import TrainingRun


@dataclass(frozen=True)
class RunEnd:
    """A run that has ended (its thread joined), as the window shows it."""

    result: RunResult
    experiment: Experiment
    record_error: str | None  # why the run was not (fully) recorded
    progress: int  # the progress bar's value now: the run's share of it is full


@dataclass(frozen=True)
class Tested:
    """A run evaluated on the test set on purpose."""

    result: RunResult
    experiment: Experiment
    evaluations: int  # looks at this test set so far, this one included
    record_error: str | None  # why the evaluation was not recorded


@dataclass(frozen=True)
class _Last:
    """The run the window stands on: the one Export writes and Evaluate tests."""

    experiment: Experiment
    outcome: RunOutcome
    in_comparison: bool  # a comparison's variant is no more "the chosen model" than another
    # A run picked from the store (tested from the Runs tab) has no session outcome: its
    # report is the store's, looks inside, findings and decision boundary included.
    stored_report: dict[str, Any] | None = None

    @property
    def result(self) -> RunResult:
        return self.outcome.result

    @property
    def run_id(self) -> int | None:
        return self.outcome.run_id

    @cached_property
    def report(self) -> dict[str, Any]:
        if self.stored_report is not None:
            return self.stored_report
        return report_of(self.experiment, self.outcome)


class TrainingController(QObject):
    """Starts runs and comparisons, follows them to their end, evaluates on the test set."""

    # A run is about to start: connect to its signals now (it starts when the slot returns).
    run_started = Signal(object)  # TrainingRun
    run_ended = Signal(object)  # RunEnd
    # A run was recorded: its id, and the ids of its comparison so far (itself alone if none).
    recorded = Signal(int, list)
    comparison_done = Signal(list)  # the recorded runs of a finished comparison
    tested = Signal(object)  # Tested
    # The last run's deliberate test evaluation ended: its RunResult, or None when it failed.
    test_evaluated = Signal(object)
    busy_changed = Signal()  # a test evaluation started or ended: the buttons follow
    status = Signal(str, bool)  # a line for the status bar, and whether it is a problem
    problem = Signal(str)  # a problem worth a message box

    def __init__(
        self,
        store: RunStore | None,
        warmup: Warmup,
        experiment: Callable[[], Experiment],
        parent: QObject | None = None,
    ) -> None:
        """`experiment`: what the panels describe now (raises pydantic's ValidationError)."""
        super().__init__(parent)
        self._store, self._warmup, self._experiment = store, warmup, experiment
        self._run: TrainingRun | None = None
        # The finished run is kept one more turn: it emitted the signal being handled.
        self._previous_run: TrainingRun | None = None
        self._run_views: list[Callable[[], Callback]] = []
        self._last: _Last | None = None
        self._final_test: Job | None = None
        self._test_run_id: int | None = None
        self._queue: list[Experiment] = []  # comparison variants still to train
        self._group_ids: list[int] = []  # recorded runs of the comparison so far
        self._group_size = 0  # variants in the comparison being trained (0: a single run)
        self._group_by = ""  # what that comparison varies (runs.compare.COMPARE_BY)
        # Train pressed while torch is still loading: what to start once it has.
        self._start_when_ready: Callable[[], None] | None = None
        # The option of training in a second process (set_training_process); None: a thread.
        self._process: TrainingProcess | None = None
        # "Run on": a Ray cluster that trains the next runs (set_cluster); None: this computer.
        self._cluster: RayCluster | None = None

    # -- what the window reads -------------------------------------------------------------------
    @property
    def run(self) -> TrainingRun | None:
        """The run in progress, if any."""
        return self._run

    @property
    def last_report(self) -> dict[str, Any] | None:
        """The last run's report (report.json's content), the one Export writes."""
        return self._last.report if self._last is not None else None

    @property
    def last_result(self) -> RunResult | None:
        return self._last.result if self._last is not None else None

    @property
    def last_outcome(self) -> RunOutcome | None:
        """The last run's outcome: its record, its looks inside and the doctor's verdict."""
        return self._last.outcome if self._last is not None else None

    @property
    def curves_experiment(self) -> Experiment | None:
        """The experiment whose curves the plots show: the run in progress, else the last."""
        if self._run is not None:
            return self._run.experiment
        return self._last.experiment if self._last is not None else None

    @property
    def last_run_id(self) -> int | None:
        return self._last.run_id if self._last is not None else None

    @property
    def comparing(self) -> str | None:
        """What the comparison in progress varies ("optimizer", "batch_size"...); None: none."""
        return self._group_by if self._group_size else None

    def can_evaluate(self) -> bool:
        """Whether the last run has untested weights that can be evaluated on the test set."""
        last = self._last
        return (
            last is not None
            and not last.in_comparison
            and last.result.test is None
            and last.result.weights is not None
            and last.result.status not in (RunStatus.FAILED, RunStatus.DIVERGED, RunStatus.PRUNED)
            and self._final_test is None
        )

    @property
    def trains_in_process(self) -> bool:
        return self._process is not None

    def set_training_process(self, on: bool) -> None:
        """Train the next runs in a second process (`on`), or in a thread of this one.

        The process starts now, so that its imports are done by the time Train is pressed.
        A run already going keeps the place it started in.
        """
        if on and self._process is None:
            self._process = TrainingProcess()
            self._process.start()
        elif not on and self._process is not None:
            process, self._process = self._process, None
            if self._run is None or not self._run.in_process:
                process.close()
            else:  # the run in it ends first (close waits for it)
                self._run.run_finished.connect(lambda _result: process.close())

    @property
    def cluster(self) -> RayCluster | None:
        return self._cluster

    def set_cluster(self, cluster: RayCluster | None) -> None:
        """Train the next runs on `cluster` (a run already training stays where it is)."""
        self._cluster = cluster

    def shutdown(self) -> None:
        """End the training process, if any (the window is closing; its jobs have stopped).

        A Ray cluster joined stays joined until the process exits (Ray leaves it then, and
        ends one that `local` started): joining again costs seconds.
        """
        if self._process is not None:
            self._process.close()
            self._process = None

    def _process_for_next_run(self) -> TrainingProcess | None:
        """The training process for the next run, a new one if the last has died; or None.

        A batch-size comparison stays in this process: its view measures memory and the
        per-batch loss from inside the run.
        """
        if self._process is None or self.comparing == "batch_size":
            return None
        if not self._process.is_alive():
            self._process.close()
            self._process = TrainingProcess()
        return self._process

    def add_run_view(self, make: Callable[[], Callback]) -> None:
        """Follow every run started from now on with a fresh callback from `make`."""
        self._run_views.append(make)

    # -- progress of the run in progress ------------------------------------------------------
    def progress_maximum(self) -> int:
        """The progress bar's range: 100 per epoch, over all a comparison's variants."""
        if self._run is None:
            return 0
        return max(1, self._group_size) * self._run.experiment.training.epochs * 100

    def progress_of(self, event: EpochMetrics | BatchProgress | None = None) -> int:
        """The progress bar's value at `event` (None: the run's start)."""
        done = 0
        if isinstance(event, EpochMetrics):
            done = event.epoch * 100
        elif isinstance(event, BatchProgress):
            done = (event.epoch - 1) * 100 + int(100 * event.batch / event.batches)
        return self._progress_offset() + done

    def epoch_status(self, metrics: EpochMetrics) -> str | None:
        """The status line after an epoch; None once a stop is asked ("Stopping…" stays)."""
        if self._run is not None and self._run.stop_requested:
            return None
        return self._variant_text() + self.tr(
            "Epoch {epoch}/{epochs}: loss {loss:.4f}, val loss {val_loss:.4f}, "
            "val accuracy {val_acc:.3f}"
        ).format(
            epoch=metrics.epoch,
            epochs=metrics.epochs,
            loss=metrics.train_loss,
            val_loss=metrics.val_loss,
            val_acc=metrics.val_accuracy,
        )

    def _variant_text(self) -> str:
        """'Variant 2/5 (name): ' during a comparison, '' for a single run."""
        if not self._group_size or self._run is None:
            return ""
        number = self._group_size - len(self._queue)
        return self.tr("Variant {number}/{count} ({name}): ").format(
            number=number, count=self._group_size, name=self._run.experiment.name
        )

    def _progress_offset(self) -> int:
        """Progress units done by the comparison's earlier variants (100 per epoch)."""
        if not self._group_size or self._run is None:
            return 0
        done = self._group_size - len(self._queue) - 1
        return done * self._run.experiment.training.epochs * 100

    # -- starting and stopping ----------------------------------------------------------------
    @Slot()
    def train(self) -> None:
        """Train what the panels describe (once torch has loaded)."""
        if self._wait_for_torch(self.train):
            return
        experiment = self._runnable_experiment()
        if experiment is not None:
            self._queue, self._group_ids, self._group_size = [], [], 0
            self._start(experiment)

    def compare(self, by: str, race_rates: dict[str, float], values: tuple | None = None) -> None:
        """Train one variant per optimizer (or init, batch norm, value), one after another.

        `values`: an axis' values (`runs.compare.VALUE_AXES`, e.g. mini-batch sizes).
        """
        if self._wait_for_torch(lambda: self.compare(by, race_rates, values)):
            return
        experiment = self._runnable_experiment()
        if experiment is None:
            return
        try:
            group = comparison_group(experiment, by, race_rates, values)
            for variant in group:
                check_runnable(variant)
        except (ExperimentError, ValueError) as error:
            # A bad value's words without the command line's "--values:".
            message = getattr(error, "detail", error)
            self.status.emit(self.tr("Cannot compare: {error}").format(error=message), True)
            return
        self._start_group(group, by, alone_is_a_group=True)

    def train_group(self, experiments: Sequence[Experiment], by: str) -> bool:
        """Train these variants one after another, as a comparison of `by` (a lesson's runs).

        Returns whether they started (or will, once torch has loaded); a refusal is said on
        the status line.
        """
        if self._wait_for_torch(lambda: self.train_group(experiments, by)):
            return True
        if self._run is not None or not experiments:
            return False
        try:
            for variant in experiments:
                check_runnable(variant)
        except (ExperimentError, ValueError) as error:
            self.status.emit(self.tr("Cannot train: {error}").format(error=error), True)
            return False
        self._start_group(experiments, by)
        return True

    def _start_group(
        self, experiments: Sequence[Experiment], by: str, *, alone_is_a_group: bool = False
    ) -> None:
        """Train checked variants one after another.

        A single variant is a plain run, unless `alone_is_a_group`: a comparison of one value
        (one mini-batch size still fills the comparison's table).
        """
        many = len(experiments) > 1 or alone_is_a_group
        self._queue, self._group_ids = list(experiments[1:]), []
        self._group_size, self._group_by = (len(experiments), by) if many else (0, "")
        self._start(experiments[0])

    def stop(self) -> bool:
        """Stop the run after its current batch, and with it the whole comparison."""
        if self._run is None:
            return False
        self._run.request_stop()
        self._queue = []  # a stop ends a whole comparison, not just its current run
        self.status.emit(self.tr("Stopping after the current batch…"), False)
        return True

    def on_torch_ready(self) -> None:
        """Start what Train asked for while torch was loading."""
        if self._start_when_ready is not None:
            start, self._start_when_ready = self._start_when_ready, None
            start()

    def _wait_for_torch(self, start: Callable[[], None]) -> bool:
        """Whether `start` has to wait for torch to load; if so, it runs when it has."""
        if self._warmup.is_torch_ready():
            return False
        self._start_when_ready = start
        self.status.emit(
            self.tr("Loading PyTorch… training starts as soon as it has loaded."), False
        )
        return True

    def _runnable_experiment(self) -> Experiment | None:
        if self._run is not None:
            return None
        try:
            experiment = self._experiment()
            check_runnable(experiment)
        except ValidationError as error:
            message = format_validation_error(error)
            self.status.emit(self.tr("Cannot train: {error}").format(error=message), True)
            return None
        except ExperimentError as error:
            self.status.emit(self.tr("Cannot train: {error}").format(error=error), True)
            return None
        return experiment

    def _start(self, experiment: Experiment) -> None:
        # A batch-size comparison stays here: its view measures this computer.
        cluster = self._cluster if self.comparing != "batch_size" else None
        process = self._process_for_next_run() if cluster is None else None
        # Views follow a run from inside it: a run in another process has none.
        here = process is None and cluster is None
        views = [make() for make in self._run_views] if here else []
        self._run = TrainingRun(
            experiment,
            self._store,
            evaluate_test=False,
            callbacks=views,
            process=process,
            cluster=cluster,
        )
        self._run.run_finished.connect(self._on_run_finished)
        self.run_started.emit(self._run)
        if cluster is None:
            text = self.tr("{name}: epoch 1/{epochs}, training…")
        else:
            text = self.tr("{name}: epoch 1/{epochs}, training on the Ray cluster at {address}…")
        self.status.emit(
            self._variant_text()
            + text.format(
                name=experiment.name,
                epochs=experiment.training.epochs,
                address=cluster.address if cluster is not None else "",
            ),
            False,
        )
        self._run.start()

    @Slot()
    def _start_next(self) -> None:
        if self._queue:
            self._start(self._queue.pop(0))

    # -- after a run ------------------------------------------------------------------------------
    @Slot(object)
    def _on_run_finished(self, result: RunResult) -> None:
        run = self._run
        assert run is not None
        # The run's part of the bar is full however it ended (early stopping ends it short).
        progress = self._progress_offset() + self.progress_maximum() // max(1, self._group_size)
        self._previous_run, self._run = run, None
        experiment = run.experiment
        outcome = run.outcome or RunOutcome(result, None, None, None)
        # The Runs tab's Test… button tests the variant the learner picks.
        self._last = _Last(experiment, outcome, in_comparison=self._group_size > 0)
        self.run_ended.emit(RunEnd(result, experiment, outcome.record_error, progress))
        if outcome.run_id is not None:
            self._group_ids.append(outcome.run_id)
            # In a comparison the Runs tab overlays the variants as they finish.
            self.recorded.emit(outcome.run_id, list(self._group_ids))
        if self._queue and result.status not in (RunStatus.STOPPED, RunStatus.FAILED):
            # The next variant starts once this slot has returned and the thread is joined.
            QTimer.singleShot(0, self._start_next)
        elif len(self._group_ids) > 1:
            self._finish_comparison()
        if not self._queue:
            self._group_size = 0

    def _finish_comparison(self) -> None:
        ids, self._group_ids = self._group_ids, []
        self.comparison_done.emit(ids)
        from workbench.report.ranking import best_of

        records = [self._store.get_run(run_id) for run_id in ids] if self._store else []
        best = best_of(records)
        if not best.winners:
            return
        if best.tie:
            text = self.tr(
                "Comparison done: a tie on val. accuracy at best epoch between {names} ({acc:.4f})."
            ).format(names=", ".join(r.name for r in best.winners), acc=best.value)
        else:
            text = self.tr(
                "Comparison done: best val. accuracy at best epoch is {name} ({acc:.4f})."
            ).format(name=best.winners[0].name, acc=best.value)
        # Compare chooses on validation data only: the test set stays for the final model.
        text += " " + self.tr(
            "The test set was not used: to evaluate the model you choose on it, select "
            "that run here and press Test…."
        )
        self.status.emit(text, False)

    # -- the deliberate look at the test set --------------------------------------------------
    @Slot()
    def evaluate_last(self) -> None:
        """Evaluate the last run's kept weights on the test set, in the background."""
        if self._run is not None or not self.can_evaluate():
            return
        from workbench.runs.final_test import evaluate_and_record

        last, store = self._last, self._store
        assert last is not None

        def evaluate() -> tuple[Experiment, Any]:
            return last.experiment, evaluate_and_record(
                last.experiment, last.result, store, last.run_id
            )

        self._start_final_test(evaluate, last.run_id)

    def show_final_test(self, experiment: Experiment, outcome: RunOutcome) -> None:
        """A run tested once elsewhere (a lesson's chosen run), shown as a test made here is.

        It becomes the window's run: the Results tab shows its test metrics and the count of
        looks at the test set, and Export writes its report.
        """
        if outcome.result.test is None:
            return
        self._last = _Last(experiment, outcome, in_comparison=False)
        evaluations = outcome.test_evaluations or 1
        self.tested.emit(Tested(outcome.result, experiment, evaluations, outcome.record_error))
        self.test_evaluated.emit(outcome.result)

    @Slot(int)
    def evaluate_recorded(self, run_id: int) -> None:
        """Evaluate a recorded run (chosen in the Runs tab) on the test set, in the background."""
        if self._run is not None or self._final_test is not None or self._store is None:
            self.status.emit(self.tr("Wait for the current run to end, then test again."), True)
            return

        from workbench.runs.final_test import NotEvaluableError, evaluate_stored_run

        store = self._store

        def evaluate() -> tuple[Experiment, Any, dict[str, Any] | None]:
            from workbench.runs.trained import TrainedRunError, from_store

            experiment, final = evaluate_stored_run(store, run_id)
            try:  # the report Export writes, read here, off the window's thread
                report = from_store(store, run_id).report
            except TrainedRunError:
                report = None  # made from the test's result alone, as before
            return experiment, final, report

        self._start_final_test(evaluate, run_id, (NotEvaluableError,))

    def _start_final_test(
        self, evaluate: Callable[[], tuple], run_id: int | None, errors: tuple = ()
    ) -> None:
        """Run `evaluate` (giving the experiment and its FinalTest) in a background job."""
        self._test_run_id = run_id
        self._final_test = Job.calling(
            evaluate,
            expected=(DatasetError, ValueError, *errors),
            name="finalTestThread",
            parent=self,
        )
        self._final_test.succeeded.connect(self._on_final_test)
        self._final_test.errored.connect(self._on_final_test_failed)
        self.busy_changed.emit()
        self.status.emit(self.tr("Evaluating on the test set…"), False)
        self._final_test.start()

    def _forget_final_test(self) -> None:
        if self._final_test is not None:
            # Deleted once its signal has been handled, never from inside its own slot.
            self._final_test.deleteLater()
            self._final_test = None

    @Slot(object)
    def _on_final_test(self, answer: tuple) -> None:
        experiment, final, *stored = answer
        self._forget_final_test()
        result, run_id, last = final.result, self._test_run_id, self._last
        # The tested run is now the window's run: its report is the one Export writes. The
        # last run keeps what its session found (the doctor's diagnoses); a run from the
        # store is known by its record only.
        known = last is not None and last.run_id == run_id
        outcome = replace(
            last.outcome if known else RunOutcome(result, run_id, None, None),
            result=result,
            record_error=final.record_error,
            test_evaluations=final.evaluations,
        )
        stored_report = None if known or not stored else stored[0]
        self._last = _Last(experiment, outcome, in_comparison=False, stored_report=stored_report)
        self.tested.emit(Tested(result, experiment, final.evaluations, final.record_error))
        self.test_evaluated.emit(result)

    @Slot(str)
    def _on_final_test_failed(self, message: str) -> None:
        self._forget_final_test()
        self.busy_changed.emit()
        self.problem.emit(self.tr("Cannot evaluate on the test set: {error}").format(error=message))
        self.test_evaluated.emit(None)
