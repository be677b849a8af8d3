"""The Search tab: tune hyperparameters on validation data, then apply the winner.

A person picks what varies and how (`SearchSpaceEditor`), how many trials, epochs and training
samples each gets, and starts; trials run in the background (`SearchRun`), recorded in the
run store as runs of the search, scored on the validation split only: the test split is
sealed. As trials finish, the table (best first), the scatter and the best trials' curves
fill in. Narrow proposes a smaller space around the best trials; Apply best loads the
winner's values into the hyperparameter form, where Train evaluates the test set once.
A search in the store can be shown again and continued after a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.config import Experiment, ExperimentError, format_validation_error
from workbench.errors import first_line
from workbench.runs.store import RunStore, SearchRecord, StoreError
from workbench.search.results import TrialResult, best_trial, results_from_store, sort_trials
from workbench.search.space import SearchError
from workbench.search.spec import SearchSpec, build_spec, spec_from_json
from workbench.ui.search_attach import StudyAttach
from workbench.ui.search_plots import BestCurves, TrialScatter
from workbench.ui.search_run import SearchRun
from workbench.ui.search_space_editor import SearchSpaceEditor
from workbench.ui.status_names import status_name

_SCORE_AXIS = "__score__"
_REFRESH_MS = 400  # at most this often while trials pour in from several processes


def _value_text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return "" if value is None else str(value)


class SearchPanel(QWidget):
    """`searchPanel`: the search form, its controls, and the trials as they finish."""

    # The winner's values (dotted setting path -> value), for the hyperparameter form.
    apply_requested = Signal(dict)
    running_changed = Signal(bool)
    status = Signal(str, bool)  # (message, is an error) for the window's status bar

    def __init__(
        self,
        store: RunStore | None,
        experiment: Callable[[], Experiment],
        parent: QWidget | None = None,
    ) -> None:
        """`experiment()`: what a new search tunes (the window's experiment, as shown)."""
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self._store = store
        self._experiment = experiment
        self._spec: SearchSpec | None = None  # the search shown (running, finished or loaded)
        self._search_id: int | None = None
        self._loaded: SearchRecord | None = None  # a stored search, continued by Start
        self._run: SearchRun | None = None
        self._previous_run: SearchRun | None = None
        self._trials: dict[int, TrialResult] = {}
        self._training = False  # a training run holds the cores: no search meanwhile
        self._watching = False  # a shared study is being watched (ui/search_attach.py)
        self._refresh_timer = QTimer(self, singleShot=True, interval=_REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh_results)

        self.space_editor = SearchSpaceEditor()
        self._build_settings()
        self._build_controls()
        self._build_results()
        self._build_layout()
        self.attach = StudyAttach(self)
        self.refresh_history()
        self._update_enabled()

    # -- construction ----------------------------------------------------------------------------
    def _build_settings(self) -> None:
        self.strategy = QComboBox(objectName="searchStrategyCombo")
        self.strategy.addItem(self.tr("random"), "random")
        self.strategy.addItem(self.tr("grid"), "grid")
        self.strategy.setToolTip(
            self.tr("Random search samples each trial's values; grid tries every combination.")
        )
        self.trials = QSpinBox(objectName="searchTrialsSpin", minimum=1, maximum=100_000)
        self.trials.setValue(100)
        self.epochs = QSpinBox(objectName="searchEpochsSpin", minimum=1, maximum=100_000)
        self.epochs.setValue(20)
        self.epochs.setToolTip(self.tr("Epochs per trial (early stopping still applies)."))
        self.train_limit = QSpinBox(objectName="searchSubsetSpin", minimum=0, maximum=10**7)
        self.train_limit.setValue(500)
        self.train_limit.setSpecialValueText(self.tr("all"))
        self.train_limit.setToolTip(
            self.tr("Training samples per trial: a small subset makes many trials cheap.")
        )
        self.seed = QSpinBox(objectName="searchSeedSpin", minimum=0, maximum=2**31 - 1)
        self.metric_combo = QComboBox(objectName="searchMetricCombo")
        self.metric_combo.addItem(self.tr("validation accuracy"), "val_accuracy")
        self.metric_combo.addItem(self.tr("validation loss"), "val_loss")
        self.pruning = QComboBox(objectName="searchPruningCombo")
        self.pruning.addItem(self.tr("off"), "none")
        self.pruning.addItem(self.tr("median rule"), "median")
        self.pruning.addItem(self.tr("successive halving"), "halving")
        self.pruning.setToolTip(
            self.tr("Stop a trial early when it is clearly behind the others at an epoch.")
        )
        self.workers = QSpinBox(objectName="searchWorkersSpin", minimum=0, maximum=256)
        self.workers.setSpecialValueText(self.tr("auto"))
        self.workers.setToolTip(
            self.tr(
                "Trials trained at once (auto: one per two cores); beyond the first, each in "
                "a process of its own."
            )
        )
        for widget in (self.trials, self.epochs, self.train_limit, self.seed, self.workers):
            widget.valueChanged.connect(self._on_settings_edited)
        for combo in (self.strategy, self.metric_combo, self.pruning):
            combo.currentIndexChanged.connect(self._on_settings_edited)
        self.space_editor.changed.connect(self._on_settings_edited)

    def _build_controls(self) -> None:
        self.history = QComboBox(objectName="searchHistoryCombo")
        self.history.setToolTip(self.tr("Searches in the run store: show one, or continue it."))
        self.history.activated.connect(self._on_history_chosen)
        self.start_button = QPushButton(self.tr("Start search"), objectName="searchStartButton")
        self.stop_button = QPushButton(self.tr("Stop"), objectName="searchStopButton")
        self.narrow_button = QPushButton(self.tr("Narrow"), objectName="searchNarrowButton")
        self.narrow_button.setToolTip(
            self.tr("Propose a smaller space around the best trials (coarse to fine).")
        )
        self.apply_button = QPushButton(self.tr("Apply best"), objectName="searchApplyBestButton")
        self.apply_button.setToolTip(
            self.tr(
                "Load the best trial's values into the hyperparameter form; Train then "
                "trains on the full training set and evaluates the test set once."
            )
        )
        # Its dialog and the watching itself: ui/search_attach.py (StudyAttach).
        self.attach_button = QPushButton(
            self.tr("Attach to a shared study…"), objectName="searchAttachButton"
        )
        self.attach_button.setToolTip(
            self.tr(
                "Watch a search that other processes or machines train through a shared "
                "storage (a PostgreSQL URL, an SQLite file or a journal file): its trials "
                "and their learning curves, live."
            )
        )
        self.start_button.clicked.connect(self.start_search)
        self.stop_button.clicked.connect(self.stop_search)
        self.narrow_button.clicked.connect(self.narrow_space)
        self.apply_button.clicked.connect(self.apply_best)
        self.progress = QProgressBar(objectName="searchProgress")
        self.progress.setFormat(self.tr("%v of %m trials"))
        self.progress.setValue(0)
        self.message = QLabel(objectName="searchMessage")
        self.message.setWordWrap(True)
        self.message.setText(
            self.tr("Scores on the validation split only; the test set stays untouched.")
        )

    def _build_results(self) -> None:
        self.table = QTableWidget(0, 0, objectName="searchResultsTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.scatter = TrialScatter()
        self.curves = BestCurves()
        self.x_axis = QComboBox(objectName="searchXCombo")
        self.y_axis = QComboBox(objectName="searchYCombo")
        self.curve_count = QSpinBox(objectName="searchBestCountSpin", minimum=1, maximum=1000)
        self.curve_count.setValue(20)
        self.curve_count.setPrefix(self.tr("best "))
        for widget in (self.x_axis, self.y_axis):
            widget.currentIndexChanged.connect(self._draw)
        self.curve_count.valueChanged.connect(self._draw)

    def _build_layout(self) -> None:
        settings = QGroupBox(self.tr("Search"))
        grid = QGridLayout(settings)
        left, right = QFormLayout(), QFormLayout()
        left.addRow(self.tr("Strategy"), self.strategy)
        left.addRow(self.tr("Trials"), self.trials)
        left.addRow(self.tr("Epochs per trial"), self.epochs)
        left.addRow(self.tr("Training subset"), self.train_limit)
        right.addRow(self.tr("Score"), self.metric_combo)
        right.addRow(self.tr("Pruning"), self.pruning)
        right.addRow(self.tr("At once"), self.workers)
        right.addRow(self.tr("Seed"), self.seed)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.addWidget(self.space_editor, 1, 0, 1, 2)

        buttons = QHBoxLayout()
        for button in (self.start_button, self.stop_button, self.narrow_button, self.apply_button):
            buttons.addWidget(button)
        history = QHBoxLayout()
        history.addWidget(QLabel(self.tr("Earlier searches:")))
        history.addWidget(self.history, stretch=1)
        history.addWidget(self.attach_button)
        controls = QWidget()
        controls_layout = QVBoxLayout(controls)
        controls_layout.setContentsMargins(0, 0, 0, 0)
        controls_layout.addWidget(settings, stretch=1)
        controls_layout.addLayout(history)
        controls_layout.addLayout(buttons)
        controls_layout.addWidget(self.progress)
        controls_layout.addWidget(self.message)

        axes = QHBoxLayout()
        axes.addWidget(QLabel(self.tr("x")))
        axes.addWidget(self.x_axis, stretch=1)
        axes.addWidget(QLabel(self.tr("y")))
        axes.addWidget(self.y_axis, stretch=1)
        scatter_box = QWidget()
        scatter_layout = QVBoxLayout(scatter_box)
        scatter_layout.setContentsMargins(0, 0, 0, 0)
        scatter_layout.addLayout(axes)
        scatter_layout.addWidget(self.scatter, stretch=1)
        curves_box = QWidget()
        curves_layout = QVBoxLayout(curves_box)
        curves_layout.setContentsMargins(0, 0, 0, 0)
        curves_header = QHBoxLayout()
        curves_header.addWidget(QLabel(self.tr("Learning curves of the")))
        curves_header.addWidget(self.curve_count)
        curves_header.addStretch(1)
        curves_layout.addLayout(curves_header)
        curves_layout.addWidget(self.curves, stretch=1)
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(scatter_box)
        plots.addWidget(curves_box)

        # One column: the tab shares the window with the form, so it must fit ~580 px wide.
        column = QSplitter(Qt.Orientation.Vertical)
        column.addWidget(controls)
        column.addWidget(self.table)
        column.addWidget(plots)
        column.setSizes([330, 150, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(column)

    # -- what the window tells the panel ----------------------------------------------------------
    def set_training(self, training: bool) -> None:
        """A training run holds the cores: no search starts meanwhile."""
        self._training = training
        self._update_enabled()

    def is_running(self) -> bool:
        return self._run is not None

    # -- the search -------------------------------------------------------------------------------
    def current_spec(self) -> SearchSpec:
        """The search the form describes; `SearchError` names the field or setting at fault."""
        base = self._loaded_base()
        if base is None:
            try:
                base = self._experiment()
            except (ValueError, ExperimentError) as error:  # pydantic's ValidationError too
                raise SearchError(
                    f"search: the experiment in the form is not valid: {_first_line(error)}"
                ) from None
        settings = {
            "strategy": self.strategy.currentData(),
            "trials": self.trials.value(),
            "metric": self.metric_combo.currentData(),
            "epochs": self.epochs.value(),
            "workers": self.workers.value(),
            "seed": self.seed.value(),
            "train_limit": self.train_limit.value(),
            "pruning": self.pruning.currentData(),
            "space": self.space_editor.space(),
        }
        return build_spec(base, settings, name=f"{base.name} search", source="search")

    @Slot()
    def start_search(self) -> None:
        if self._run is not None or self._training:
            return
        if self._store is None:
            self._say(self.tr("No run store: a search records its trials there."), error=True)
            return
        try:
            spec = self.current_spec()
        except SearchError as error:
            self.space_editor.mark_problem(str(error))
            self._say(str(error), error=True)
            return
        self.space_editor.mark_problem(None)
        storage = study = None
        loaded = self._loaded
        if loaded is not None and spec_from_json(loaded.spec).signature() == spec.signature():
            storage, study = loaded.storage, loaded.study  # the same search: continue it
        self._spec, self._trials = spec, {}
        self._run = SearchRun(spec, self._store, spec.search.workers, storage, study, self)
        self._run.search_started.connect(self._on_started)
        self._run.trial_finished.connect(self._on_trial)
        self._run.search_finished.connect(self._on_finished)
        self._run.search_failed.connect(self._on_failed)
        self.progress.setRange(0, spec.planned_trials())
        self._say(self.tr("Starting the search…"))
        self._set_headers(spec)
        self._run.start()
        self._update_enabled()
        self.running_changed.emit(True)

    @Slot()
    def stop_search(self) -> None:
        if self._run is not None:
            self._run.stop()
            self._say(self.tr("Stopping: trials in progress end within a batch…"))

    @Slot(object)
    def _on_started(self, start: Any) -> None:
        self._search_id = start.search_id
        self.progress.setRange(0, start.total)
        self.progress.setValue(start.done)
        resumed = self.tr(", continuing: {done} done").format(done=start.done) if start.done else ""
        self._say(
            self.tr("Search {study}: {total} trials, {workers} at a time{resumed}.").format(
                study=start.study, total=start.total, workers=max(1, start.workers), resumed=resumed
            )
        )

    @Slot(object)
    def _on_trial(self, progress: Any) -> None:
        self._trials[progress.trial.number] = progress.trial
        self.progress.setValue(progress.done)
        best = progress.best
        if best is not None:
            self._say(
                self.tr(
                    "Trial {number}: {status}. Best so far: trial {best} ({score:.4f})."
                ).format(
                    number=progress.trial.number,
                    status=status_name(progress.trial.status),
                    best=best.number,
                    score=best.best_value,
                )
            )
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    @Slot(object)
    def _on_finished(self, outcome: Any) -> None:
        self._finish_run()
        self._trials = {trial.number: trial for trial in outcome.trials}
        self.progress.setValue(outcome.done)
        if outcome.error:
            self._say(self.tr("Search ended: {error}").format(error=outcome.error), error=True)
        elif outcome.stopped:
            self._say(
                self.tr("Stopped after {done} of {total} trials; Start continues it.").format(
                    done=outcome.done, total=outcome.total
                )
            )
        else:
            best = outcome.best
            text = self.tr("Search done: {done} trials.").format(done=outcome.done)
            if best is not None:
                text += " " + self.tr(
                    "Best: trial {number}, {score:.4f}. Apply best, then Train to evaluate "
                    "the test set once."
                ).format(number=best.number, score=best.best_value)
            self._say(text)
        self.refresh_history(select=outcome.search_id)
        self.refresh_results()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._finish_run()
        self._say(self.tr("Search could not run: {error}").format(error=message), error=True)

    def _finish_run(self) -> None:
        # Kept one more turn: it emitted the signal being handled (its thread has ended).
        self._previous_run, self._run = self._run, None
        self._update_enabled()
        self.running_changed.emit(False)

    # -- results ----------------------------------------------------------------------------------
    def trial_results(self) -> list[TrialResult]:
        """Every trial shown, best first (with histories where the store has them)."""
        spec = self._spec
        if spec is None:
            return []
        merged = dict(self._trials)
        if self._store is not None and self._search_id is not None:
            try:
                stored = results_from_store(self._store, self._search_id, spec)
            except StoreError as error:
                self._say(str(error), error=True)
                stored = []
            for trial in stored:
                if trial.number >= 0:
                    # The store's copy has the history; a status the study set wins.
                    known = merged.get(trial.number)
                    merged[trial.number] = trial if known is None else _with_history(known, trial)
        return sort_trials(merged.values(), spec.search.metric)

    @Slot()
    def refresh_results(self) -> None:
        spec = self._spec
        if spec is None:
            return
        trials = self.trial_results()
        self._fill_table(spec, trials)
        self._shown_trials = trials
        self._draw()
        self._update_enabled()

    def _set_headers(self, spec: SearchSpec) -> None:
        headers = [self.tr("trial"), self.tr("status"), self.tr("score"), self.tr("epoch")]
        self.table.setColumnCount(len(headers) + len(spec.paths))
        self.table.setHorizontalHeaderLabels(headers + spec.paths)
        self.table.setRowCount(0)
        for combo, with_score in ((self.x_axis, False), (self.y_axis, True)):
            combo.blockSignals(True)
            combo.clear()
            for path in spec.paths:
                combo.addItem(path, path)
            if with_score:
                combo.addItem(self.tr("score"), _SCORE_AXIS)
            combo.blockSignals(False)
        self.x_axis.setCurrentIndex(0)
        self.y_axis.setCurrentIndex(1 if len(spec.paths) > 1 else self.y_axis.count() - 1)

    def _fill_table(self, spec: SearchSpec, trials: list[TrialResult]) -> None:
        self.table.setRowCount(len(trials))
        for row, trial in enumerate(trials):
            cells = [
                str(trial.number),
                status_name(trial.status),
                "" if trial.best_value is None else f"{trial.best_value:.4f}",
                "" if trial.best_epoch is None else str(trial.best_epoch),
                *(_value_text(trial.values.get(path)) for path in spec.paths),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1 and trial.error:
                    item.setToolTip(trial.error)
                self.table.setItem(row, column, item)

    @Slot()
    def _draw(self, *_: object) -> None:
        spec = self._spec
        trials = getattr(self, "_shown_trials", [])
        if spec is None or self.x_axis.currentData() is None:
            return
        space = spec.search.space
        x_path = self.x_axis.currentData()
        y_path = self.y_axis.currentData()
        y = None if y_path in (None, _SCORE_AXIS) else (y_path, space[y_path])
        self.scatter.show_trials(trials, (x_path, space[x_path]), y, spec.search.metric)
        self.curves.show_curves(trials, spec.search.metric, self.curve_count.value())

    # -- narrow, apply, history -------------------------------------------------------------------
    @Slot()
    def narrow_space(self) -> None:
        """Replace the space with a smaller one around the best trials (not started yet)."""
        from workbench.search.narrowing import narrow

        spec = self._spec
        if spec is None:
            return
        try:
            narrowed = narrow(spec, self.trial_results())
        except SearchError as error:
            self._say(str(error), error=True)
            return
        self.space_editor.set_space(dict(narrowed.search.space))
        self._say(
            self.tr(
                "Narrowed around the best trials: {space}. Start runs the finer search."
            ).format(
                space="; ".join(
                    f"{p} {param.describe()}" for p, param in narrowed.search.space.items()
                )
            )
        )

    @Slot()
    def apply_best(self) -> None:
        spec = self._spec
        best = best_trial(self.trial_results(), spec.search.metric) if spec else None
        if best is None:
            self._say(self.tr("No finished trial to apply yet."), error=True)
            return
        self.apply_requested.emit(dict(best.values))

    def refresh_history(self, select: int | None = None) -> None:
        """List the searches in the store, newest first."""
        self.history.blockSignals(True)
        self.history.clear()
        self.history.addItem(self.tr("— new search —"), None)
        searches = []
        if self._store is not None:
            try:
                searches = self._store.list_searches()
            except StoreError as error:
                self._say(str(error), error=True)
        for record in searches:
            self.history.addItem(
                self.tr("{name} · {status} · {count} trials").format(
                    name=record.name,
                    status=status_name(record.status),
                    count=record.trials_recorded,
                ),
                record.id,
            )
        if select is not None and self.history.findData(select) >= 0:
            self.history.setCurrentIndex(self.history.findData(select))
        self.history.blockSignals(False)

    def open_stored(self, search_id: int) -> None:
        """List the store's searches and show this one (a lesson's), as if chosen in the list."""
        self.refresh_history(select=search_id)
        if self.history.currentData() == search_id:
            self._on_history_chosen(self.history.currentIndex())

    @Slot(int)
    def _on_history_chosen(self, index: int) -> None:
        search_id = self.history.itemData(index)
        if search_id is None or self._store is None or self._run is not None:
            self._loaded = None
            return
        try:
            record = self._store.get_search(int(search_id))
            spec = spec_from_json(record.spec, f"search {record.id}")
        except (StoreError, SearchError) as error:
            self._say(str(error), error=True)
            return
        self.show_search(record, spec)

    def show_search(self, record: SearchRecord, spec: SearchSpec) -> None:
        """Show a stored search's settings and trials; Start continues it."""
        self._loaded, self._spec, self._search_id, self._trials = record, spec, record.id, {}
        self._show_settings(spec)
        self.refresh_results()
        done = len([t for t in self.trial_results() if t.status != "running"])
        self.progress.setRange(0, spec.planned_trials())
        self.progress.setValue(min(done, spec.planned_trials()))
        self._say(
            self.tr("Search {name} ({status}): {done} trials recorded. Start continues it.").format(
                name=record.name, status=status_name(record.status), done=done
            )
        )

    def show_watched(self, spec: SearchSpec, trials: list[TrialResult]) -> None:
        """A shared study's search and its trials, read from its storage (ui/search_attach)."""
        if self._spec is not spec:
            self._show_settings(spec)
        self._loaded, self._spec, self._search_id = None, spec, None
        self._trials = {trial.number: trial for trial in trials}
        self.refresh_results()

    def set_watching(self, watching: bool) -> None:
        """While a shared study is watched, Start and the earlier searches wait."""
        self._watching = watching
        self._update_enabled()

    def say(self, text: str, error: bool = False) -> None:
        """Show `text` under the buttons (and in the window's status bar)."""
        self._say(text, error)

    def _show_settings(self, spec: SearchSpec) -> None:
        settings = spec.search
        for widget in (self.trials, self.epochs, self.train_limit, self.seed, self.workers):
            widget.blockSignals(True)
        self.trials.setValue(settings.trials)
        self.epochs.setValue(settings.epochs or spec.base.training.epochs)
        self.train_limit.setValue(
            settings.train_limit if settings.train_limit is not None else spec.base.data.train_limit
        )
        self.seed.setValue(settings.seed)
        self.workers.setValue(settings.workers)
        for widget in (self.trials, self.epochs, self.train_limit, self.seed, self.workers):
            widget.blockSignals(False)
        for combo, value in (
            (self.strategy, settings.strategy),
            (self.metric_combo, settings.metric),
            (self.pruning, settings.pruning),
        ):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        self.space_editor.blockSignals(True)
        self.space_editor.set_space(dict(settings.space))
        self.space_editor.blockSignals(False)
        self._set_headers(spec)

    # -- internals --------------------------------------------------------------------------------
    def _loaded_base(self) -> Experiment | None:
        # A stored search tunes its own experiment, not whatever the form shows now.
        return spec_from_json(self._loaded.spec).base if self._loaded is not None else None

    @Slot()
    def _on_settings_edited(self, *_: object) -> None:
        self.space_editor.mark_problem(None)

    def _update_enabled(self) -> None:
        running = self._run is not None
        has_trials = bool(getattr(self, "_shown_trials", []))
        self.start_button.setEnabled(not running and not self._training and not self._watching)
        self.stop_button.setEnabled(running)
        self.narrow_button.setEnabled(not running and has_trials)
        self.apply_button.setEnabled(has_trials)
        self.history.setEnabled(not running and not self._watching)
        self.attach_button.setEnabled(not running)
        self.start_button.setToolTip(
            self.tr("A training run is in progress.") if self._training else ""
        )

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.status.emit(text, error)


def _first_line(error: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(error, ValidationError):
        return format_validation_error(error)
    return first_line(error)


def _with_history(known: TrialResult, stored: TrialResult) -> TrialResult:
    from dataclasses import replace

    return replace(known, history=stored.history, run_id=known.run_id or stored.run_id)
