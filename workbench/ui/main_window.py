"""The main window: composes the panels and wires them to one training run at a time."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.config import (
    Experiment,
    ExperimentError,
    experiment_from_dict,
    format_validation_error,
    load_experiment,
    save_experiment,
    validation_problems,
)
from workbench.core import BatchProgress, Callback, EpochMetrics, RunResult, RunStatus
from workbench.core.checks import check_runnable
from workbench.data import DatasetError, split_dataset
from workbench.report import build_report
from workbench.runs import RunStore, StoreError
from workbench.runs.artifacts import worst_images
from workbench.runs.compare import RACE_LEARNING_RATES, comparison_group
from workbench.ui.background import BackgroundTask
from workbench.ui.data_preview import DataPreview
from workbench.ui.dataset_panel import DatasetPanel
from workbench.ui.gc_policy import collect_on_window_thread
from workbench.ui.hyperparameter_form import HyperparameterForm
from workbench.ui.model_builder import ModelBuilder
from workbench.ui.predict_panel import PredictPanel
from workbench.ui.race_rates import RaceRatesDialog
from workbench.ui.recent_files import RecentFiles
from workbench.ui.report_export import choose_report_path, format_of, write_run_report
from workbench.ui.results_panel import ResultsPanel
from workbench.ui.run_summary import describe_end
from workbench.ui.runs_panel import RunsPanel
from workbench.ui.search_panel import SearchPanel
from workbench.ui.training_plots import TrainingPlots
from workbench.ui.training_tab import TrainingTab
from workbench.ui.warmup import Warmup
from workbench.ui.worker import TrainingRun

# One-cycle moves every batch; previewing more steps than this would stall the form.
_PREVIEW_MAX_STEPS = 200_000
# The window's size when the screen has room; on a smaller screen (a 1280x720 laptop) it
# takes the screen's available area instead, and the side panels scroll.
_DEFAULT_SIZE = (1360, 820)


def _scrolling(widget: QWidget) -> QScrollArea:
    """`widget` in a vertical scroll area: a short screen scrolls it instead of cutting it."""
    scroll = QScrollArea()
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    return scroll


class MainWindow(QMainWindow):
    """Dataset and model on the left, live plots and results in the centre, training right."""

    # The last run's deliberate test evaluation ended: its RunResult, or None when it failed.
    test_evaluated = Signal(object)

    def __init__(self, experiment: Experiment | None = None, deferred_start: bool = False) -> None:
        """`deferred_start`: the LR preview waits for `warmup.start()` (`workbench.ui.warmup`)."""
        super().__init__()
        # Before any worker thread exists: a collection there could free a Qt object and hang.
        collect_on_window_thread()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Training Workbench"))
        self._run: TrainingRun | None = None
        # The finished run is kept one more turn: it emitted the signal we are handling.
        self._previous_run: TrainingRun | None = None
        # Views that follow every run from inside it (see add_run_view).
        self._run_views: list[Callable[[], Callback]] = []
        self._last_report: dict | None = None
        self._last_result: RunResult | None = None
        self._last_experiment: Experiment | None = None
        self._last_run_id: int | None = None
        self._final_test_task: BackgroundTask | None = None
        # The learning rate each optimizer races with (the book's until the user edits them).
        self._race_rates = dict(RACE_LEARNING_RATES)
        self._group_size = 0  # variants in the comparison being trained (0: a single run)
        self._last_in_comparison = False  # whether the last run was a comparison's variant

        self.dataset_panel = DatasetPanel()
        # A deferred window is shown before torch has loaded: these fill in what needs it later.
        self.model_builder = ModelBuilder(deferred=deferred_start)
        self.form = HyperparameterForm(deferred=deferred_start)
        self.plots = TrainingPlots()
        self.loss_plot = self.plots.loss_plot
        self.accuracy_plot = self.plots.accuracy_plot
        self.results = ResultsPanel()
        self.data_preview = DataPreview()
        # The preview splits the data again: wait until a burst of edits has settled.
        self._preview_timer = QTimer(self, singleShot=True, interval=250)
        self._preview_timer.timeout.connect(self._update_data_preview)
        self.recent_files = RecentFiles(self)
        self._store_problem: str | None = None
        self._queue: list[Experiment] = []  # comparison variants still to train
        self._group_ids: list[int] = []  # recorded runs of the comparison so far
        self.store = self._open_store()
        self.runs_panel = RunsPanel(self.store)
        self.predict_panel = PredictPanel(self.store)
        self.search_panel = SearchPanel(self.store, self.current_experiment)
        self._experiment_path: Path | None = None
        self.warmup = Warmup(deferred_start, self)
        # Train pressed while torch is still loading: what to start once it has.
        self._start_when_ready: Callable[[], None] | None = None

        self.train_button = QPushButton(self.tr("Train"), objectName="trainButton")
        self.stop_button = QPushButton(self.tr("Stop"), objectName="stopButton")
        self.export_button = QPushButton(self.tr("Export report…"), objectName="exportReportButton")
        self.compare_button = QPushButton(self.tr("Compare"), objectName="compareOptimizersButton")
        self.compare_button.setToolTip(
            self.tr(
                "Train one run per variant, from the same initial weights and batch order, "
                "and overlay them in the Runs tab"
            )
        )
        self.evaluate_button = QPushButton(
            self.tr("Evaluate on test set"), objectName="evaluateTestButton"
        )
        self.evaluate_button.setToolTip(
            self.tr(
                "Evaluate the last run's model on the test set (Ctrl+T). Do it once, for the "
                "model you have chosen: runs and comparisons while you explore use the "
                "validation data only."
            )
        )
        self.race_rates_button = QPushButton(self.tr("Rates…"), objectName="raceRatesButton")
        self.race_rates_button.setToolTip(
            self.tr("The learning rate each optimizer races with (the book's by default)")
        )
        self.compare_by = QComboBox(objectName="compareByCombo")
        for key, text, detail in (
            (
                "optimizer",
                self.tr("optimizers"),
                self.tr("SGD, Momentum, AdaGrad, RMSprop, Adam, each with its own learning rate"),
            ),
            ("init", self.tr("initialisations"), self.tr("normal std 0.01, Xavier, He")),
            ("batchnorm", self.tr("batch norm"), self.tr("without and with batch norm")),
        ):
            self.compare_by.addItem(text, key)
            self.compare_by.setItemData(
                self.compare_by.count() - 1, detail, Qt.ItemDataRole.ToolTipRole
            )
        self.train_button.setDefault(True)
        self.train_button.setToolTip(self.tr("Start training (Ctrl+Enter)"))
        self.stop_button.setToolTip(self.tr("Stop after the current batch (Ctrl+.)"))
        self.export_button.setToolTip(
            self.tr("Save the last run's test report as HTML, PDF, JSON or CSV (Ctrl+E)")
        )

        self._build_layout()
        self._build_menus()
        self._build_status_bar()

        self.train_button.clicked.connect(self.start_training)
        self.stop_button.clicked.connect(self.stop_training)
        self.compare_button.clicked.connect(self.start_comparison)
        self.evaluate_button.clicked.connect(self.evaluate_on_test_set)
        self.race_rates_button.clicked.connect(self.edit_race_rates)
        self.compare_by.currentIndexChanged.connect(self._on_compare_by_changed)
        self.export_button.clicked.connect(self.choose_export_path)
        self.dataset_panel.changed.connect(self._on_dataset_changed)
        self.dataset_panel.error.connect(self._warn)
        self.dataset_panel.imported.connect(self._show_data_tab)
        self.setAcceptDrops(True)
        self.form.changed.connect(self._update_lr_preview)
        self.warmup.torch_ready.connect(self._on_torch_ready)
        self.warmup.ready.connect(self._on_warmup_ready)
        self.recent_files.chosen.connect(self.open_experiment)
        self.runs_panel.load_requested.connect(self._load_run_config)
        self.runs_panel.problem.connect(self._warn)
        self.runs_panel.exported.connect(self._on_model_exported)
        self.runs_panel.report_written.connect(self._on_report_written)
        self.runs_panel.evaluate_requested.connect(self.evaluate_recorded_run)
        self.predict_panel.problem.connect(self._warn_status)
        self.search_panel.apply_requested.connect(self.apply_search_values)
        self.search_panel.running_changed.connect(self._on_search_running)
        self.search_panel.status.connect(self._show_status)

        self.set_experiment(experiment or Experiment())
        self._set_running(False)
        if self._store_problem:
            self._show_status(
                self.tr(
                    "Run history unavailable ({problem}); this session's runs are kept "
                    "in a temporary store."
                ).format(problem=self._store_problem),
                error=True,
            )
        self._fit_to_screen()

    def _fit_to_screen(self) -> None:
        """The default size, or the screen's available area when that is smaller."""
        width, height = _DEFAULT_SIZE
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width())
            height = min(height, available.height())
        self.fit_to(width, height)

    def fit_to(self, width: int, height: int) -> None:
        """Resize to `width` x `height` and share the width out among the three columns."""
        self.resize(width, height)
        # The side panels take what they need; the centre, the plots, gets the rest.
        left = self._left_scroll.minimumWidth()
        right = max(300, min(360, width // 4))
        self._splitter.setSizes([left, max(0, width - left - right), right])

    def _open_store(self) -> RunStore | None:
        """The run history; a broken one is set aside for an empty one, and the user told."""
        try:
            return RunStore()
        except StoreError as error:
            self._store_problem = str(error)
        try:
            # A separate, empty store, so runs are still recorded this session.
            return RunStore(Path(tempfile.mkdtemp(prefix="workbench-runs-")))
        except StoreError:
            return None

    # -- layout --------------------------------------------------------------------------------
    def _build_layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.dataset_panel)
        left_layout.addWidget(self.model_builder, stretch=1)

        # Curves and test results as two sub-tabs: each gets the whole height of a small screen.
        self.training_tab = TrainingTab(self.plots, self.results)
        centre = QTabWidget(objectName="centreTabs")
        centre.addTab(self.training_tab, self.tr("Training"))
        # Tall tabs scroll, so they never make the window taller than a laptop's screen.
        self._pages = {
            self.data_preview: _scrolling(self.data_preview),
            self.runs_panel: self.runs_panel,
            self.predict_panel: _scrolling(self.predict_panel),
            self.search_panel: _scrolling(self.search_panel),
        }
        for panel, text in (
            (self.data_preview, self.tr("Data")),
            (self.runs_panel, self.tr("Runs")),
            (self.predict_panel, self.tr("Predict")),
            (self.search_panel, self.tr("Search")),
        ):
            centre.addTab(self._pages[panel], text)
        self.centre_tabs = centre

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 4, 4, 4)
        right.setMinimumWidth(280)
        right_layout.addWidget(self.form, stretch=1)
        # Three rows of buttons, always in view under the form, which scrolls.
        for row in (
            (self.train_button, self.stop_button),
            (self.compare_button, self.compare_by, self.race_rates_button),
            (self.evaluate_button, self.export_button),
        ):
            line = QHBoxLayout()
            for widget in row:
                line.addWidget(widget, stretch=1 if widget is not self.race_rates_button else 0)
            right_layout.addLayout(line)

        splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
        left_scroll = _scrolling(left)
        # As wide as its widest row, so it never needs a sideways scroll bar.
        left_scroll.setMinimumWidth(
            left.minimumSizeHint().width() + left_scroll.verticalScrollBar().sizeHint().width()
        )
        self._left_scroll = left_scroll
        splitter.addWidget(left_scroll)
        splitter.addWidget(centre)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self._splitter = splitter
        self.setCentralWidget(splitter)

    def add_run_view(self, make: Callable[[], Callback]) -> None:
        """Follow every run started from now on with a fresh callback from `make`.

        The way a new view (a panel looking inside the network) subscribes to training
        without editing the worker or this window. The callback runs in the training thread:
        it keeps plain data, or emits signals of a QObject of the window's thread.
        """
        self._run_views.append(make)

    def show_tab(self, panel: QWidget) -> None:
        """Bring the centre tab that holds `panel` to the front."""
        self.centre_tabs.setCurrentWidget(self._pages.get(panel, panel))

    def current_tab(self) -> QWidget:
        """The panel of the centre tab in front (not the scroll area around it)."""
        page = self.centre_tabs.currentWidget()
        return next((panel for panel, shown in self._pages.items() if shown is page), page)

    def _build_menus(self) -> None:
        def action(text: str, shortcuts, slot) -> QAction:
            item = QAction(text, self)
            item.setShortcuts([QKeySequence(s) for s in shortcuts])
            item.triggered.connect(slot)
            self.addAction(item)
            return item

        self.open_action = action(self.tr("&Open experiment…"), ["Ctrl+O"], self.choose_experiment)
        self.open_data_file_action = action(
            self.tr("Open &dataset file…"), ["Ctrl+Shift+O"], self.dataset_panel.choose_file
        )
        self.open_data_folder_action = action(
            self.tr("Open dataset &folder…"), [], self.dataset_panel.choose_folder
        )
        self.save_action = action(self.tr("&Save experiment…"), ["Ctrl+S"], self.choose_save_path)
        self.export_action = action(self.tr("&Export report…"), ["Ctrl+E"], self.choose_export_path)
        quit_action = action(self.tr("&Quit"), ["Ctrl+Q"], self.close)
        self.train_action = action(self.tr("&Train"), ["Ctrl+Return", "F5"], self.start_training)
        self.stop_action = action(self.tr("S&top"), ["Ctrl+.", "Shift+F5"], self.stop_training)
        self.evaluate_action = action(
            self.tr("&Evaluate on test set"), ["Ctrl+T"], self.evaluate_on_test_set
        )

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.open_action)
        file_menu.addMenu(self.recent_files.menu)
        file_menu.addAction(self.open_data_file_action)
        file_menu.addAction(self.open_data_folder_action)
        for item in (self.save_action, self.export_action):
            file_menu.addAction(item)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        run_menu = self.menuBar().addMenu(self.tr("&Run"))
        run_menu.addAction(self.train_action)
        run_menu.addAction(self.stop_action)
        run_menu.addSeparator()
        run_menu.addAction(self.evaluate_action)

    def _build_status_bar(self) -> None:
        self.status_label = QLabel(objectName="statusLabel")
        self.progress = QProgressBar(objectName="runProgress")
        self.progress.setMaximumWidth(240)
        self.progress.setTextVisible(True)
        self.statusBar().addWidget(self.status_label, stretch=1)
        self.statusBar().addPermanentWidget(self.progress)
        self._show_status(self.tr("Ready: press Train (Ctrl+Enter) to start."))

    # -- experiment in and out -----------------------------------------------------------------
    def set_experiment(self, experiment: Experiment) -> None:
        """Fill every panel from an experiment."""
        self.dataset_panel.set_data_config(experiment.data)
        self.model_builder.set_dataset_shape(*self.dataset_panel.shape())
        self.model_builder.set_model_config(experiment.model)
        self.form.set_experiment(experiment)
        self._update_lr_preview()

    @Slot(dict)
    def apply_search_values(self, values: dict) -> None:
        """Load a search trial's values into the form (dotted setting path -> value)."""
        from workbench.search.space import SearchError, apply_values

        try:
            experiment = apply_values(self.current_experiment(), values, "search result")
        except (SearchError, ValidationError) as error:
            self._warn(str(error))
            return
        self.set_experiment(experiment)
        self.centre_tabs.setCurrentIndex(0)
        shown = ", ".join(
            f"{path} = {value:.3g}" if isinstance(value, float) else f"{path} = {value}"
            for path, value in values.items()
        )
        self._show_status(
            self.tr(
                "Applied the best trial: {values}. Train now trains on the whole training "
                "part and evaluates the test set once."
            ).format(values=shown)
        )

    @Slot(bool)
    def _on_search_running(self, running: bool) -> None:
        # One thing at a time on the cores: no training run while a search trains trials.
        for item in (self.train_button, self.compare_button, self.train_action):
            item.setEnabled(not running and self._run is None)

    def current_experiment(self) -> Experiment:
        """The experiment the panels describe now (validated)."""
        return Experiment.model_validate(
            {
                **self.form.values(),
                "data": self.dataset_panel.data_config(),
                "model": self.model_builder.model_config(),
            }
        )

    @Slot()
    def _on_dataset_changed(self) -> None:
        self.model_builder.set_dataset_shape(*self.dataset_panel.shape())
        self._update_lr_preview()
        self._preview_timer.start()

    def _show_comparison(self) -> None:
        ids, self._group_ids = self._group_ids, []
        self.runs_panel.select_runs(ids)
        self.show_tab(self.runs_panel)
        from workbench.report.ranking import best_of

        records = [r for r in self.store.list_runs() if r.id in ids] if self.store else []
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
        self._show_status(
            text
            + " "
            + self.tr(
                "The test set was not used: to evaluate the model you choose on it, select "
                "that run here and press Test…."
            )
        )

    @Slot(str)
    def _on_model_exported(self, path: str) -> None:
        self._show_status(self.tr("Model saved to {path}").format(path=path))

    @Slot(dict)
    @Slot(str)
    def _on_report_written(self, path: str) -> None:
        self._show_status(self.tr("Report saved to {path}").format(path=path))

    def _load_run_config(self, config: dict) -> None:
        try:
            experiment = experiment_from_dict(config, self.tr("the recorded run"))
        except ExperimentError as error:
            self._warn(str(error))
            return
        self.set_experiment(experiment)
        self._show_status(
            self.tr("Loaded the experiment of run {name}").format(name=experiment.name)
        )

    @Slot()
    def _show_data_tab(self) -> None:
        self.show_tab(self.data_preview)
        dataset = self.dataset_panel.dataset()
        self._show_status(
            self.tr("Opened dataset {name}: {samples:,} samples, {classes} classes").format(
                name=dataset.name, samples=dataset.n_samples, classes=dataset.n_classes
            )
        )

    @Slot()
    def _update_data_preview(self) -> None:
        if not self.warmup.is_ready():  # scikit-learn is being imported: it follows then
            return
        config = self.dataset_panel.data_config()
        try:
            split = split_dataset(
                self.dataset_panel.dataset(),
                config.val_fraction,
                config.test_fraction,
                self.form.seed(),
                config.train_limit,
                normalize="none",  # the samples as they are
            )
        except DatasetError as error:
            self._show_status(str(error), error=True)
            return
        self.data_preview.show_dataset(self.dataset_panel.dataset(), split)

    def _planned_lr(self, experiment: Experiment) -> list[float] | None:
        # Both import torch: called once the warm-up has loaded it (see `Warmup.is_ready`).
        from workbench.core.engine import batch_starts
        from workbench.core.schedule import planned_lr

        n_train, _, _ = self.dataset_panel.split_sizes()
        batches = len(batch_starts(n_train, experiment.training.batch_size))
        epochs = experiment.training.epochs
        per_batch = experiment.schedule.name == "onecycle"
        if (epochs * batches if per_batch else epochs) > _PREVIEW_MAX_STEPS:
            return None
        return planned_lr(experiment.schedule, experiment.optimizer, epochs, batches)

    @Slot()
    def _update_lr_preview(self) -> None:
        try:
            experiment = self.current_experiment()
        except ValidationError as error:
            # Explained where it is made: the field turns red with the reason.
            self.form.mark_problems(validation_problems(error))
            self.form.set_lr_preview([], format_validation_error(error))
            return
        self.form.mark_problems([])
        if not self.warmup.is_ready():  # creating an optimizer now would freeze the window
            self.form.set_lr_preview([], self.tr("Preparing the preview…"))
            return
        rates = self._planned_lr(experiment)
        if rates is None:
            self.form.set_lr_preview([], self.tr("Too many steps to preview."))
        elif experiment.schedule.name == "plateau":
            self.form.set_lr_preview(
                rates, self.tr("Cuts depend on the validation loss: shown as if none happen.")
            )
        else:
            self.form.set_lr_preview(rates)

    @Slot()
    def _on_torch_ready(self) -> None:
        self.model_builder.enable_planning()
        self.form.show_available_devices()
        if self._start_when_ready is not None:
            start, self._start_when_ready = self._start_when_ready, None
            start()

    @Slot()
    def _on_warmup_ready(self) -> None:
        self._update_lr_preview()
        self._update_data_preview()
        if self._run is not None:  # started before the warm-up was done: its plan comes now
            self.plots.set_planned_lr(self._planned_lr(self._run.experiment) or [])

    # -- training ------------------------------------------------------------------------------
    @property
    def training_run(self) -> TrainingRun | None:
        """The run in progress, if any."""
        return self._run

    def _wait_for_torch(self, start: Callable[[], None]) -> bool:
        """Whether `start` has to wait for torch to load; if so, it runs when it has."""
        if self.warmup.is_torch_ready():
            return False
        self._start_when_ready = start
        self._show_status(self.tr("Loading PyTorch… training starts as soon as it has loaded."))
        return True

    @Slot()
    def start_training(self) -> None:
        if self._wait_for_torch(self.start_training):
            return
        experiment = self._runnable_experiment()
        if experiment is not None:
            self._queue, self._group_ids, self._group_size = [], [], 0
            self._start(experiment)

    @Slot()
    def start_comparison(self) -> None:
        """Train one variant per optimizer (or init, or batch norm), one after another."""
        if self._wait_for_torch(self.start_comparison):
            return
        experiment = self._runnable_experiment()
        if experiment is None:
            return
        try:
            group = comparison_group(experiment, self.compare_by.currentData(), self._race_rates)
            for variant in group:
                check_runnable(variant)
        except (ExperimentError, ValueError) as error:
            self._show_status(self.tr("Cannot compare: {error}").format(error=error), error=True)
            return
        self._queue, self._group_ids, self._group_size = group[1:], [], len(group)
        self._start(group[0])

    @Slot()
    def edit_race_rates(self) -> None:
        """Let the user set the learning rate each optimizer races with."""
        dialog = RaceRatesDialog(self._race_rates, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._race_rates = dialog.rates()

    @Slot()
    def _on_compare_by_changed(self) -> None:
        self.race_rates_button.setVisible(self.compare_by.currentData() == "optimizer")

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

    def _runnable_experiment(self) -> Experiment | None:
        if self._run is not None:
            return None
        try:
            experiment = self.current_experiment()
            check_runnable(experiment)
        except ValidationError as error:
            message = format_validation_error(error)
            self._show_status(self.tr("Cannot train: {error}").format(error=message), error=True)
            return None
        except ExperimentError as error:
            self._show_status(self.tr("Cannot train: {error}").format(error=error), error=True)
            return None
        return experiment

    def _start(self, experiment: Experiment) -> None:
        planned = self._planned_lr(experiment) if self.warmup.is_ready() else None
        self.plots.start_run(experiment.training.epochs, planned)
        self.centre_tabs.setCurrentIndex(0)
        self.results.clear(
            self.tr(
                "Training on the training data, judged on the validation data. The test set "
                "is left alone until you press Evaluate on test set (Ctrl+T)."
            )
        )
        # A comparison's bar runs once over all its variants (each has the same epochs).
        variants = max(1, self._group_size)
        views = [make() for make in self._run_views]
        self._run = TrainingRun(experiment, self.store, self, evaluate_test=False, callbacks=views)
        self.progress.setRange(0, variants * experiment.training.epochs * 100)
        self.progress.setValue(self._progress_offset())
        self._run.epoch_finished.connect(self._on_epoch_finished)
        self._run.batch_progress.connect(self._on_batch_progress)
        self._run.batch_progress.connect(self.plots.add_batches)
        self._run.run_finished.connect(self._on_run_finished)
        self._set_running(True)
        self._show_status(
            self._variant_text()
            + self.tr("{name}: epoch 1/{epochs}, training…").format(
                name=experiment.name, epochs=experiment.training.epochs
            )
        )
        self._run.start()

    @Slot()
    def stop_training(self) -> None:
        if self._run is None:
            return
        self._run.request_stop()
        self._queue = []  # a stop ends a whole comparison, not just its current run
        self.stop_button.setEnabled(False)
        self._show_status(self.tr("Stopping after the current batch…"))

    @Slot(object)
    def _on_epoch_finished(self, metrics: EpochMetrics) -> None:
        self.plots.add_epoch(metrics)
        self.progress.setValue(self._progress_offset() + metrics.epoch * 100)
        if self._run is not None and self._run.stop_requested:
            return
        self._show_status(
            self._variant_text()
            + self.tr(
                "Epoch {epoch}/{epochs}: loss {loss:.4f}, val loss {val_loss:.4f}, "
                "val accuracy {val_acc:.3f}"
            ).format(
                epoch=metrics.epoch,
                epochs=metrics.epochs,
                loss=metrics.train_loss,
                val_loss=metrics.val_loss,
                val_acc=metrics.val_accuracy,
            )
        )

    @Slot(object)
    def _on_batch_progress(self, progress: BatchProgress) -> None:
        done = (progress.epoch - 1) * 100 + int(100 * progress.batch / progress.batches)
        self.progress.setValue(self._progress_offset() + done)

    @Slot(object)
    def _on_run_finished(self, result: RunResult) -> None:
        # The run's part of the bar is full however it ended (early stopping ends it short).
        self.progress.setValue(
            self._progress_offset() + self.progress.maximum() // max(1, self._group_size or 1)
        )
        run, self._previous_run, self._run = self._run, self._run, None
        experiment = run.experiment if run is not None else self.current_experiment()
        self._last_result, self._last_experiment = result, experiment
        run_id = run.run_id if run is not None else None
        self._last_run_id = run_id
        # A comparison's last variant is no more "the chosen model" than the others: the
        # Runs tab's Test… button tests the one the learner picks.
        self._last_in_comparison = self._group_size > 0
        self._last_report = build_report(experiment, result, run_id=run_id, test_evaluations=0)
        self.plots.flush()
        self._set_running(False)
        if experiment.early_stopping.restore_best:
            self.plots.mark_best_epoch(result.best_epoch)
        end = describe_end(result, experiment)
        if result.test is not None:  # a final run, tested at its end
            self._show_test_results(result, experiment, 1)
        else:
            failed = result.status == RunStatus.FAILED
            self.results.clear(end)
            self.results.show_message(
                end if failed or not self._can_evaluate() else end + " " + self._untested_text(),
                error=failed,
            )
        self._show_status(end, error=result.status == RunStatus.FAILED)
        if run is not None and run.record_error:
            self._show_status(
                self.tr("The run was not recorded: {error}").format(error=run.record_error),
                error=True,
            )
        if run is not None and run.run_id is not None:
            self._group_ids.append(run.run_id)
            self.runs_panel.refresh()
            self.predict_panel.select_run(run.run_id)
            # In a comparison the Runs tab overlays the variants as they finish.
            self.runs_panel.select_runs(self._group_ids)
        if self._queue and result.status not in (RunStatus.STOPPED, RunStatus.FAILED):
            # The next variant starts once this slot has returned and the thread is joined.
            QTimer.singleShot(0, lambda: self._start(self._queue.pop(0)))
        elif len(self._group_ids) > 1:
            self._show_comparison()
        if not self._queue:
            self._group_size = 0

    def _untested_text(self) -> str:
        return self.tr(
            "The test set was not used. When this is your final model, press Evaluate on "
            "test set (Ctrl+T): that is the one look at the test set that counts."
        )

    def _show_test_results(self, result: RunResult, experiment: Experiment, seen: int) -> None:
        self.results.show_metrics(result.test)
        self.results.show_message(
            describe_end(result, experiment) + " " + self._weights_text(result)
        )
        preprocessing = result.preprocessing
        self.results.show_evaluation(
            result.predictions,
            preprocessing.class_names if preprocessing else (),
            preprocessing.image_shape if preprocessing else None,
            seen,
        )

    def _can_evaluate(self) -> bool:
        """Whether the last run has untested weights that can be evaluated on the test set."""
        result = self._last_result
        return (
            result is not None
            and not self._last_in_comparison
            and result.test is None
            and result.weights is not None
            and result.status not in (RunStatus.FAILED, RunStatus.DIVERGED, RunStatus.PRUNED)
            and self._final_test_task is None
        )

    @Slot()
    def evaluate_on_test_set(self) -> None:
        """Evaluate the last run's kept weights on the test set, in the background."""
        if self._run is not None or not self._can_evaluate():
            return
        from workbench.runs.final_test import evaluate_and_record

        experiment, result = self._last_experiment, self._last_result
        store, run_id = self.store, self._last_run_id
        self._start_final_test(
            lambda: (experiment, evaluate_and_record(experiment, result, store, run_id)), run_id
        )

    @Slot(int)
    def evaluate_recorded_run(self, run_id: int) -> None:
        """Evaluate a recorded run (chosen in the Runs tab) on the test set, in the background."""
        if self._run is not None or self._final_test_task is not None or self.store is None:
            self._warn_status(self.tr("Wait for the current run to end, then test again."))
            return
        from workbench.runs.final_test import NotEvaluableError, evaluate_stored_run

        store = self.store
        self._start_final_test(
            lambda: evaluate_stored_run(store, run_id), run_id, (NotEvaluableError,)
        )

    def _start_final_test(
        self, job: Callable[[], tuple], run_id: int | None, errors: tuple = ()
    ) -> None:
        """Run `job` (giving the experiment and its FinalTest) on a background thread."""
        self._final_test_task = BackgroundTask(job, (DatasetError, ValueError, *errors), self)
        self._final_test_task.succeeded.connect(lambda answer: self._on_final_test(*answer, run_id))
        self._final_test_task.failed.connect(self._on_final_test_failed)
        self._set_running(False)
        self._show_status(self.tr("Evaluating on the test set…"))
        self._final_test_task.start()

    def _on_final_test(self, experiment: Experiment, final, run_id: int | None) -> None:
        self._final_test_task = None
        result = final.result
        # The tested run is now the window's run: its report is the one Export writes.
        self._last_result, self._last_experiment, self._last_run_id = result, experiment, run_id
        self._last_in_comparison = False
        self._last_report = build_report(
            experiment, result, run_id=run_id, test_evaluations=final.evaluations
        )
        self._show_test_results(result, experiment, final.evaluations)
        self.show_tab(self.training_tab)
        self._set_running(False)
        self._show_status(describe_end(result, experiment))
        if final.record_error:
            self._show_status(
                self.tr("The evaluation was not recorded: {error}").format(
                    error=final.record_error
                ),
                error=True,
            )
        self.runs_panel.refresh()
        self.test_evaluated.emit(result)

    @Slot(str)
    def _on_final_test_failed(self, message: str) -> None:
        self._final_test_task = None
        self._set_running(False)
        self._warn(self.tr("Cannot evaluate on the test set: {error}").format(error=message))
        self.test_evaluated.emit(None)

    def _set_running(self, running: bool) -> None:
        searching = self.search_panel.is_running()
        self.train_button.setEnabled(not running and not searching)
        self.compare_button.setEnabled(not running and not searching)
        self.train_action.setEnabled(not running and not searching)
        self.search_panel.set_training(running)
        self.stop_button.setEnabled(running)
        self.stop_action.setEnabled(running)
        # The experiment is fixed for the length of a run: what the panels show is what runs.
        for panel in (self.dataset_panel, self.model_builder, self.form):
            panel.setEnabled(not running)
        for item in (self.open_action, self.open_data_file_action, self.open_data_folder_action):
            item.setEnabled(not running)
        has_report = self._last_report is not None and not running
        self.export_button.setEnabled(has_report)
        self.export_action.setEnabled(has_report)
        can_evaluate = not running and self._can_evaluate()
        self.evaluate_button.setEnabled(can_evaluate)
        self.evaluate_action.setEnabled(can_evaluate)

    def _weights_text(self, result: RunResult) -> str:
        if result.weights_kept == "best":
            return self.tr("Tested with the weights of the best epoch ({epoch}).").format(
                epoch=result.weights_epoch
            )
        return self.tr("Tested with the weights of the last epoch ({epoch}).").format(
            epoch=result.weights_epoch
        )

    @Slot(str)
    def _warn_status(self, text: str) -> None:
        self._show_status(text, error=True)

    def _show_status(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        # Only on a change: setting a style sheet re-polishes the label and re-lays out the
        # status bar, and this runs after every epoch.
        style = "color: #b00020;" if error else ""
        if self.status_label.styleSheet() != style:
            self.status_label.setStyleSheet(style)

    def status_text(self) -> str:
        return self.status_label.text()

    # -- files -----------------------------------------------------------------------------
    def export_report(self, path: str | Path, fmt: str | None = None) -> Path:
        """Write the last run's report to `path`; the format follows the suffix (else JSON)."""
        if self._last_report is None or self._last_result is None:
            raise RuntimeError("no finished run to export")
        result = self._last_result
        images = (
            worst_images(result.predictions, result.preprocessing)
            if result.preprocessing is not None
            else None
        )
        written = write_run_report(self._last_report, fmt or format_of(path), path, images)
        return written[0]

    @Slot()
    def choose_export_path(self) -> None:
        if self._last_report is None:
            return
        chosen = choose_report_path(self, f"{self._last_report['name']}-report")
        if chosen is None:
            return
        path, fmt = chosen
        try:
            written = self.export_report(path, fmt)
        except OSError as error:
            self._warn(self.tr("Cannot write {path}: {error}").format(path=path, error=error))
            return
        self._show_status(self.tr("Report saved to {path}").format(path=written))

    @Slot()
    def choose_experiment(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open experiment"), "", self.tr("Experiment (*.toml)")
        )
        if path:
            self.open_experiment(path)

    def open_experiment(self, path: str | Path) -> bool:
        """Load a file into the panels; on a bad file, say why and keep what is shown."""
        try:
            experiment = load_experiment(path)
        except ExperimentError as error:
            self._warn(str(error))
            return False
        self.set_experiment(experiment)
        self._set_experiment_path(Path(path))
        self._show_status(self.tr("Opened {path}").format(path=path))
        return True

    def _set_experiment_path(self, path: Path) -> None:
        self._experiment_path = path
        self.recent_files.add(path)
        self.setWindowTitle(self.tr("{file} – Training Workbench").format(file=path.name))

    @Slot()
    def choose_save_path(self) -> None:
        suggested = str(self._experiment_path or f"{self.form.name()}.toml")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save experiment"), suggested, self.tr("Experiment (*.toml)")
        )
        if path:
            self.save_experiment(path)

    def save_experiment(self, path: str | Path) -> bool:
        """Write what the panels describe to a TOML file; say why when it cannot."""
        try:
            save_experiment(self.current_experiment(), path)
        except ValidationError as error:
            self._warn(self.tr("Cannot save: {error}").format(error=format_validation_error(error)))
            return False
        except OSError as error:
            self._warn(self.tr("Cannot save {path}: {error}").format(path=path, error=error))
            return False
        self._set_experiment_path(Path(path))
        self._show_status(self.tr("Saved {path}").format(path=path))
        return True

    def _warn(self, message: str) -> None:
        self._show_status(message, error=True)
        QMessageBox.warning(self, self.tr("Training Workbench"), message)

    # -- drag and drop: an experiment file, or a dataset file or folder --------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasUrls() and self._run is None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        urls = event.mimeData().urls()
        if not urls or self._run is not None:
            return
        self.open_dropped(Path(urls[0].toLocalFile()))
        event.acceptProposedAction()

    def open_dropped(self, path: Path) -> bool:
        """A dropped .toml opens as an experiment; anything else is imported as a dataset."""
        if path.suffix.lower() == ".toml":
            return self.open_experiment(path)
        return self.dataset_panel.open_path(path)

    # -- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        # A QThread destroyed while running aborts the process: stop the run and join it.
        if self._run is not None:
            self._run.stop_and_wait()
        if self._final_test_task is not None:
            self._final_test_task.wait()
        self.predict_panel.shutdown()
        if self.search_panel.is_running():
            # Its trials end within a batch, but recording them and the worker processes'
            # exit take seconds: the window goes at once, the process when they are done.
            self.hide()
            self.search_panel.shutdown()
        self.warmup.shutdown()
        super().closeEvent(event)
