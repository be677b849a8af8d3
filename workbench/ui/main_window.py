"""The main window: lays out the panels, builds the menus and wires the panels together.

What happens lives elsewhere: runs, comparisons and the test evaluation in the training
controller (`training_controller`), what the panels show of them and which controls a run
disables in `run_display`, the previews in `previews`, the File menu's work in
`file_actions`, background work in `jobs`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
)
from PySide6.QtWidgets import (
    QFrame,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench import i18n
from workbench.config import Experiment
from workbench.core import Callback
from workbench.runs import RunStore, StoreError
from workbench.ui.data_preview import DataPreview
from workbench.ui.dataset_panel import DatasetPanel
from workbench.ui.decision_boundary import BoundaryFollower
from workbench.ui.doctor_list import DoctorList
from workbench.ui.file_actions import FileActions
from workbench.ui.gc_policy import collect_on_window_thread
from workbench.ui.hyperparameter_form import HyperparameterForm
from workbench.ui.inside_panel import InsidePanel
from workbench.ui.inside_view import InsideView
from workbench.ui.jobs import stop_all_jobs
from workbench.ui.lessons_panel import LessonsPanel
from workbench.ui.lessons_view import LessonsView
from workbench.ui.lr_finder_dialog import LrFinder
from workbench.ui.menus import build_menus
from workbench.ui.model_builder import ModelBuilder
from workbench.ui.optimizer_paths_panel import OptimizerPathsPanel
from workbench.ui.predict_panel import PredictPanel
from workbench.ui.previews import Previews
from workbench.ui.recent_files import RecentFiles
from workbench.ui.results_panel import ResultsPanel
from workbench.ui.run_controls import RunControls
from workbench.ui.run_display import RunDisplay
from workbench.ui.run_on import RunOnChooser
from workbench.ui.runs_panel import RunsPanel
from workbench.ui.search_panel import SearchPanel
from workbench.ui.status_line import StatusLine
from workbench.ui.training_controller import TrainingController
from workbench.ui.training_plots import TrainingPlots
from workbench.ui.training_tab import TrainingTab
from workbench.ui.warmup import Warmup
from workbench.ui.worker import TrainingRun

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
        self._store_problem: str | None = None
        self.store = self._open_store()
        self.warmup = Warmup(deferred_start, self)
        self.dataset_panel = DatasetPanel()
        # A deferred window is shown before torch has loaded: these fill in what needs it later.
        self.model_builder = ModelBuilder(deferred=deferred_start)
        self.form = HyperparameterForm(deferred=deferred_start)
        self.plots = TrainingPlots()
        self.loss_plot, self.accuracy_plot = self.plots.loss_plot, self.plots.accuracy_plot
        self.results = ResultsPanel()
        self.inside_panel = InsidePanel()
        self.paths_panel = OptimizerPathsPanel()  # needs no dataset: torch runs in its jobs
        self.doctor_list = DoctorList()
        self.data_preview = DataPreview()
        self.recent_files = RecentFiles(self)
        self.runs_panel = RunsPanel(self.store)
        self.predict_panel = PredictPanel(self.store)
        self.search_panel = SearchPanel(self.store, self.current_experiment)
        self.lessons_panel = LessonsPanel(i18n.language())
        controls = self.controls = RunControls()
        self.train_button, self.stop_button = controls.train_button, controls.stop_button
        self.compare_button, self.compare_by = controls.compare_button, controls.compare_by
        self.race_rates_button = controls.race_rates_button
        self.evaluate_button, self.export_button = controls.evaluate_button, controls.export_button
        self.controller = TrainingController(self.store, self.warmup, self.current_experiment, self)
        self.run_on = RunOnChooser()
        self.form.add_beside_device("run_on", self.tr("Run on"), self.run_on)
        self.controller.set_cluster(self.run_on.cluster())
        self.run_on.changed.connect(self.controller.set_cluster)
        panels = (self.form, self.dataset_panel, self.data_preview)
        self.previews = Previews(*panels, self.warmup, self.current_experiment, self)
        self.files = FileActions(self)

        self._build_layout()
        self.menu_actions = build_menus(self)
        self.status_line = StatusLine(self.statusBar())
        self.progress = self.status_line.progress
        self.show_status(self.tr("Ready: press Train (Ctrl+Enter) to start."))
        self.run_display = RunDisplay(self)
        self.inside_view = InsideView(self)
        self.lessons_view = LessonsView(self)  # the Lessons tab's runs and checks
        self.boundary_follower = BoundaryFollower(self)  # the Training tab's decision boundary
        self.lr_finder = LrFinder(self)  # the form's Find… beside the learning rate
        self._wire()
        self.setAcceptDrops(True)
        self.set_experiment(experiment or Experiment())
        self.run_display.set_running(False)
        if self._store_problem:
            self.show_status(
                self.tr(
                    "Run history unavailable ({problem}); this session's runs are kept "
                    "in a temporary store."
                ).format(problem=self._store_problem),
                error=True,
            )
        self._fit_to_screen()

    def _wire(self) -> None:
        controller, controls = self.controller, self.controls
        controls.train_button.clicked.connect(self.start_training)
        controls.stop_button.clicked.connect(self.stop_training)
        controls.compare_button.clicked.connect(self.start_comparison)
        controls.evaluate_button.clicked.connect(controller.evaluate_last)
        controls.export_button.clicked.connect(self.files.choose_export_path)
        controller.test_evaluated.connect(self.test_evaluated)
        controller.busy_changed.connect(self.run_display.on_busy_changed)
        controller.status.connect(self.show_status)
        controller.problem.connect(self.warn)
        self.dataset_panel.changed.connect(self._on_dataset_changed)
        self.dataset_panel.error.connect(self.warn)
        self.dataset_panel.notice.connect(self.show_status)
        self.dataset_panel.imported.connect(self.files.show_imported)
        self.form.changed.connect(self.previews.update_lr)
        self.previews.problem.connect(self._warn_status)
        self.warmup.torch_ready.connect(self._on_torch_ready)
        self.warmup.ready.connect(self._on_warmup_ready)
        self.recent_files.chosen.connect(self.open_experiment)
        self.runs_panel.load_requested.connect(self.files.load_recorded)
        self.runs_panel.problem.connect(self.warn)
        self.runs_panel.exported.connect(self.files.say_model_saved)
        self.runs_panel.report_written.connect(self.files.say_report_saved)
        self.runs_panel.evaluate_requested.connect(controller.evaluate_recorded)
        self.predict_panel.problem.connect(self._warn_status)
        self.search_panel.apply_requested.connect(self.files.apply_search_values)
        self.search_panel.running_changed.connect(self.run_display.on_search_running)
        self.search_panel.status.connect(self.show_status)

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
        training_page = QWidget()
        training_layout = QVBoxLayout(training_page)
        training_layout.setContentsMargins(0, 0, 0, 0)
        training_layout.addWidget(self.training_tab, stretch=1)
        training_layout.addWidget(self.doctor_list)  # the run doctor, under the curves
        centre = QTabWidget(objectName="centreTabs")
        centre.addTab(training_page, self.tr("Training"))
        # Tall tabs scroll, so they never make the window taller than a laptop's screen.
        self._pages = {
            self.data_preview: _scrolling(self.data_preview),
            self.training_tab: training_page,
            self.inside_panel: self.inside_panel,
            self.paths_panel: self.paths_panel,
            self.runs_panel: self.runs_panel,
            self.predict_panel: _scrolling(self.predict_panel),
            self.search_panel: _scrolling(self.search_panel),
            self.lessons_panel: self.lessons_panel,
        }
        for panel, text in (
            (self.data_preview, self.tr("Data")),
            (self.inside_panel, self.tr("Inside")),
            # "Paths", not "Optimizer paths": eight tabs must fit a 1280x720 laptop's centre
            # column without scroll arrows hiding the first (the tooltip says the rest).
            (self.paths_panel, self.tr("Paths")),
            (self.runs_panel, self.tr("Runs")),
            (self.predict_panel, self.tr("Predict")),
            (self.search_panel, self.tr("Search")),
            (self.lessons_panel, self.tr("Lessons")),
        ):
            centre.addTab(self._pages[panel], text)
        centre.setTabToolTip(
            centre.indexOf(self._pages[self.paths_panel]),
            self.tr("Optimizer paths on 2-D functions: how each optimizer walks to the minimum"),
        )
        self.centre_tabs = centre

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 4, 4, 4)
        right.setMinimumWidth(280)
        right_layout.addWidget(self.form, stretch=1)
        right_layout.addWidget(self.controls)  # always in view under the form, which scrolls

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
        self.controller.add_run_view(make)

    def show_tab(self, panel: QWidget) -> None:
        """Bring the centre tab that holds `panel` to the front."""
        self.centre_tabs.setCurrentWidget(self._pages.get(panel, panel))

    def current_tab(self) -> QWidget:
        """The panel of the centre tab in front (not the scroll area around it)."""
        page = self.centre_tabs.currentWidget()
        return next((panel for panel, shown in self._pages.items() if shown is page), page)

    # -- experiment in and out -----------------------------------------------------------------
    def set_experiment(self, experiment: Experiment) -> None:
        """Fill every panel from an experiment."""
        self.dataset_panel.set_data_config(experiment.data)
        self.model_builder.set_dataset_shape(*self.dataset_panel.shape())
        self.model_builder.set_model_config(experiment.model)
        self.form.set_experiment(experiment)
        self.previews.update_lr()

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
        self.previews.update_lr()
        self.previews.schedule_data()

    @Slot()
    def _on_torch_ready(self) -> None:
        self.model_builder.enable_planning()
        self.form.show_available_devices()
        self.controller.on_torch_ready()

    @Slot()
    def _on_warmup_ready(self) -> None:
        self.previews.update_lr()
        self.previews.update_data()
        # A run started before the warm-up was done (going, or already over): its plan now.
        if (experiment := self.controller.curves_experiment) is not None:
            self.plots.set_planned_lr(self.previews.planned_lr(experiment) or [])

    # -- training: the buttons ask the controller, its signals reach the panels ------------------
    @property
    def training_run(self) -> TrainingRun | None:
        """The run in progress, if any."""
        return self.controller.run

    @Slot()
    def start_training(self) -> None:
        self.controller.train()

    @Slot()
    def start_comparison(self) -> None:
        """Train one variant per optimizer (or init, batch norm, value), one after another."""
        if self.controller.run is not None:
            return
        values = self.controls.ask_values()
        if values is None:
            return  # the values dialog was cancelled
        self.controller.compare(
            self.controls.compare_key(), self.controls.race_rates, values or None
        )

    @Slot()
    def stop_training(self) -> None:
        if self.controller.stop():
            self.stop_button.setEnabled(False)

    # -- the status bar --------------------------------------------------------------------------
    @Slot(str)
    @Slot(str, bool)
    def show_status(self, text: str, error: bool = False) -> None:
        """One line in the status bar; red when it tells of a problem."""
        self.status_line.show(text, error)

    def status_text(self) -> str:
        return self.status_line.text()

    @Slot(str)
    def _warn_status(self, text: str) -> None:
        self.show_status(text, error=True)

    @Slot(str)
    def warn(self, message: str) -> None:
        """Say what went wrong in the status bar and in a message box."""
        self.show_status(message, error=True)
        QMessageBox.warning(self, self.tr("Training Workbench"), message)

    # -- files (see file_actions) ----------------------------------------------------------------
    def open_experiment(self, path: str | Path) -> bool:
        """Load a file into the panels; on a bad file, say why and keep what is shown."""
        return self.files.open_experiment(path)

    def save_experiment(self, path: str | Path) -> bool:
        """Write what the panels describe to a TOML file; say why when it cannot."""
        return self.files.save_experiment(path)

    def export_report(self, path: str | Path, fmt: str | None = None) -> Path:
        """Write the last run's report to `path`; the format follows the suffix (else JSON)."""
        return self.files.export_report(path, fmt)

    def open_dropped(self, path: Path) -> bool:
        """A dropped .toml opens as an experiment; anything else is imported as a dataset."""
        return self.files.open_dropped(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasUrls() and self.controller.run is None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        urls = event.mimeData().urls()
        if not urls or self.controller.run is not None:
            return
        event.acceptProposedAction()
        # Once the drop is over: reading a dataset waits for it with the event loop running.
        QTimer.singleShot(0, partial(self.open_dropped, Path(urls[0].toLocalFile())))

    # -- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.search_panel.is_running():
            # Its trials end within a batch, but recording them and the worker processes'
            # exit take seconds: the window goes at once, the process when they are done.
            self.hide()
        # A QThread destroyed while running aborts the process: every job (the run, the
        # search, a prediction, a dataset read, a preview's split) is asked to stop, then joined.
        self.previews.stop()
        stop_all_jobs()
        self.controller.shutdown()  # the training process, if runs train in one
        super().closeEvent(event)
