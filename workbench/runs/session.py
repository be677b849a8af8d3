"""One run of an experiment, start to end: train, record, count the test's looks.

The one place that sequence is written. The command line's `run` and `compare`, the window
(through its worker) and the search's trials all call `train_and_record`; the report is then
`report_of` the outcome, so a run made anywhere is recorded and reported the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.config import Experiment
from workbench.core.boundary_types import BoundaryGrid, BoundaryPoints
from workbench.core.doctor import Diagnosis, diagnose
from workbench.core.events import Callback, EpochMetrics, RunContext, RunResult
from workbench.core.probe_types import ProbeSnapshot
from workbench.runs.recorder import RunRecorder
from workbench.runs.store import RunStore

if TYPE_CHECKING:
    from torch import nn

    from workbench.core.engine import StopToken


@dataclass(frozen=True)
class RunOutcome:
    """How a run ended and where it was recorded."""

    result: RunResult
    run_id: int | None  # None when there is no store, or it could not record the run
    record_error: str | None  # why the record is incomplete or missing; None when whole
    # Times this test set had been evaluated up to and including this run (None: not tested).
    test_evaluations: int | None
    # What the probes saw inside the network, epoch 0 (at initialisation) first; () when the
    # run was not probed.
    snapshots: tuple[ProbeSnapshot, ...] = field(default=(), repr=False)
    # The run doctor's verdict on the whole run, most serious first.
    diagnoses: tuple[Diagnosis, ...] = ()
    # For 2-D data: the kept weights' decision boundary and the training and validation
    # points (workbench/core/boundary.py kept_boundary); None for other data.
    boundary: tuple[BoundaryGrid, BoundaryPoints] | None = field(default=None, repr=False)


class RunDoctor(Callback):
    """Asks the run doctor after every epoch, with the history and the probes so far.

    Put it after the probe callback, so an epoch's diagnoses see that epoch's look inside.
    """

    def __init__(
        self,
        experiment: Experiment,
        snapshots: Callable[[], Sequence[ProbeSnapshot]],
        on_diagnoses: Callable[[list[Diagnosis]], None] | None = None,
    ) -> None:
        self.experiment = experiment
        self.snapshots = snapshots
        self.on_diagnoses = on_diagnoses
        self.history: list[EpochMetrics] = []
        self.n_classes: int | None = None
        self.latest: list[Diagnosis] = []

    def on_train_begin(self, model: nn.Module, run: RunContext) -> None:
        self.history, self.n_classes = [], len(run.class_names)

    def on_epoch_end(self, metrics: EpochMetrics) -> None:
        self.history.append(metrics)
        self.latest = diagnose(
            self.experiment, self.history, self.snapshots(), n_classes=self.n_classes
        )
        if self.on_diagnoses is not None:
            self.on_diagnoses(self.latest)


def count_test_evaluations(
    store: RunStore | None, run_id: int | None, result: RunResult
) -> int | None:
    """How often the run's test set had been evaluated, it included; None when not tested."""
    if store is None or run_id is None or not result.test_split or result.test is None:
        return None
    return store.test_evaluations(result.test_split, run_id)


def train_and_record(
    experiment: Experiment,
    store: RunStore | None,
    callbacks: Sequence[Callback] = (),
    stop_token: StopToken | None = None,
    *,
    evaluate_test: bool = True,
    search_id: int | None = None,
    trial: int | None = None,
    settle: Callable[[RunResult], RunResult] | None = None,
    probes: bool = True,
    on_snapshot: Callable[[ProbeSnapshot], None] | None = None,
    on_diagnoses: Callable[[list[Diagnosis]], None] | None = None,
    boundary: bool | None = None,
) -> RunOutcome:
    """Train `experiment`, recording it into `store` (if any) as it goes.

    Args:
        experiment: What to train.
        store: Where to record it; None trains without a record.
        callbacks: Follow the run after the recorder, so an epoch they show is on disk.
        stop_token: Set to stop the run after the current batch (the user's Stop).
        evaluate_test: A final run, tested once at its end; exploring runs are not.
        search_id: The search a trial's run belongs to.
        trial: The trial's number in that search.
        settle: Rewrites the result before it is recorded (a search names a run its pruner
            stopped `pruned`).
        probes: Look inside the network at epoch 0 and after every epoch (core/probes.py),
            recording each look; a search's trials go without (their cost adds up).
        on_snapshot: Gets every look, in the training thread (a live Inside tab).
        on_diagnoses: Gets the run doctor's list after every epoch, in the training thread.
        boundary: For 2-D data, keep the kept weights' decision boundary for the report and
            the record (a few milliseconds); None: when `probes` is on (a search's trials go
            without). A `BoundaryCallback` among `callbacks` (the window's live view) computes
            it; without one the session adds one that computes only that grid.
    """
    # Imported here: the engine imports torch, which the callers' start-up should not wait for.
    from workbench.core.boundary import BoundaryCallback, kept_boundary
    from workbench.core.engine import fit

    # One connection for the whole record (a few writes an epoch), not one per write.
    with store.held_connection() if store is not None else nullcontext():
        recorder = (
            RunRecorder(store, experiment, search_id=search_id, trial=trial)
            if store is not None
            else None
        )
        watchers: list[Callback] = []
        probe = None
        if probes:
            from workbench.core.probes import ProbeCallback

            def look(snapshot: ProbeSnapshot) -> None:
                if recorder is not None:
                    recorder.add_probe(snapshot)
                if on_snapshot is not None:
                    on_snapshot(snapshot)

            probe = ProbeCallback(look)
            watchers.append(probe)
        doctor = RunDoctor(
            experiment, lambda: probe.snapshots if probe is not None else (), on_diagnoses
        )
        watchers.append(doctor)
        # The end-of-run grid is computed once, by the callback that follows the run: the
        # caller's live view when it passes one, else one that computes nothing before the end.
        drawer = None
        wanted = probes if boundary is None else boundary
        if wanted:
            drawer = next((c for c in callbacks if isinstance(c, BoundaryCallback)), None)
            if drawer is None:
                drawer = BoundaryCallback()
                watchers.append(drawer)
        everyone = ([recorder] if recorder is not None else []) + watchers + list(callbacks)
        result = fit(experiment, everyone, stop_token, evaluate_test=evaluate_test)
        if settle is not None:
            result = settle(result)
        snapshots = tuple(probe.snapshots) if probe is not None else ()
        drawn = kept_boundary(drawer.final, result) if drawer is not None else None
        run_id, record_error, count = None, None, None
        if recorder is not None:
            recorder.finish(result, drawn)
            # An incomplete record is still a run of the store (listed `incomplete`): it is named.
            run_id, record_error = recorder.run_id, recorder.error
            count = count_test_evaluations(store, run_id, result)
    diagnoses = diagnose(
        experiment,
        result.history,
        snapshots,
        status=result.status,
        test_looks=count or 0,
        n_classes=doctor.n_classes,
    )
    return RunOutcome(result, run_id, record_error, count, snapshots, tuple(diagnoses), drawn)


def report_of(experiment: Experiment, outcome: RunOutcome) -> dict[str, Any]:
    """The run's report (report.json's content), with its record and the test's looks."""
    from workbench.report import build_report

    return build_report(
        experiment,
        outcome.result,
        run_id=outcome.run_id,
        test_evaluations=outcome.test_evaluations,
        snapshots=outcome.snapshots,
        boundary=outcome.boundary,
    )
