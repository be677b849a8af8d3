"""Runs panel: the recorded runs, their curves overlaid, and what differs between them."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.config import ExperimentError, experiment_from_dict, save_experiment
from workbench.report.formats import COMPARISON_FORMATS, REPORT_FORMATS
from workbench.report.ranking import score
from workbench.runs import RunRecord, RunStore, StoreError
from workbench.runs.diff import config_diff, model_summary
from workbench.runs.trained import TrainedRunError, from_store
from workbench.ui.live_plot import EpochAxis, ReadableAxis, legend_html, palette_pen
from workbench.ui.report_export import (
    choose_report_path,
    write_comparison_report,
    write_run_report,
)
from workbench.ui.status_names import status_name

_ID_ROLE = Qt.ItemDataRole.UserRole
_NAME, _TAGS = 1, 10  # the editable columns
_STATUS = 6
_BEST_ACCURACY = 7  # the column of workbench.report.ranking's one "best validation accuracy"
_TEST_ACCURACY = 8
# Runs that kept weights to test later (the store keeps them: see RunStore.finish).
_TESTABLE = ("completed", "early_stopped", "stopped")


def _columns() -> list[str]:
    translate = QCoreApplication.translate
    return [
        translate("RunsPanel", "id"),
        translate("RunsPanel", "name"),
        translate("RunsPanel", "dataset"),
        translate("RunsPanel", "model"),
        translate("RunsPanel", "optimizer"),
        translate("RunsPanel", "lr"),
        translate("RunsPanel", "status"),
        translate("RunsPanel", "val. acc. at best epoch"),
        translate("RunsPanel", "test acc"),
        translate("RunsPanel", "duration"),
        translate("RunsPanel", "tags"),
    ]


class _Item(QTableWidgetItem):
    """Sorts by the value it was given, not by its text ("10" after "9")."""

    def __init__(self, text: str, value: Any) -> None:
        super().__init__(text)
        self.value = value

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.value, getattr(other, "value", None)
        if mine is None or theirs is None:
            return mine is None and theirs is not None
        return mine < theirs


class RunsPanel(QWidget):
    """Lists the runs of a store; `load_requested` carries a run's experiment for the form."""

    load_requested = Signal(dict)
    exported = Signal(str)  # the model file written
    report_written = Signal(str)  # the report file written
    problem = Signal(str)  # one line to show the user
    evaluate_requested = Signal(int)  # a run to evaluate on the test set, once

    def __init__(self, store: RunStore | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsPanel")
        self.store = store
        self._records: dict[int, RunRecord] = {}
        self._filling = False

        self._filter = QLineEdit(objectName="runsFilter")
        self._filter.setPlaceholderText(self.tr("Filter by name, dataset, optimizer, status…"))
        self._filter.setClearButtonEnabled(True)
        self._load = QPushButton(self.tr("Load into form"), objectName="loadRunButton")
        self._load.setToolTip(self.tr("Put the selected run's experiment back into the window."))
        self._delete = QPushButton(self.tr("Delete…"), objectName="deleteRunButton")
        self._export = QPushButton(self.tr("Export model…"), objectName="exportModelButton")
        self._export.setToolTip(
            self.tr("Save the selected run's best model: safetensors weights or TorchScript.")
        )
        self._report = QPushButton(self.tr("Report…"), objectName="runsReportButton")
        self._report.setToolTip(
            self.tr(
                "One selected run: its test report (HTML, PDF, JSON or CSV). Several: a "
                "comparison report, curves overlaid and metrics side by side."
            )
        )
        self._evaluate = QPushButton(self.tr("Test…"), objectName="runsEvaluateTestButton")
        self._evaluate.setToolTip(
            self.tr(
                "Evaluate the selected run on the test set: once, for the model you chose on "
                "validation data. Every such look is counted in its report."
            )
        )
        self._evaluate.setEnabled(False)
        self._table = QTableWidget(0, len(_columns()), objectName="runsTable")
        self._table.setHorizontalHeaderLabels(_columns())
        self._table.horizontalHeaderItem(_BEST_ACCURACY).setToolTip(
            self.tr(
                "Validation accuracy at the best epoch (in brackets): the epoch the "
                "early-stopping monitor chose (lowest validation loss by default), whose "
                "weights 'restore best' keeps and tests. Not the highest accuracy of any epoch."
            )
        )
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked)
        self._table.verticalHeader().hide()
        self._table.verticalHeader().setDefaultSectionSize(20)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Shown right after the name: how a run ended and how it scored are what a learner
        # compares, and in a 1280x720 window the columns past "lr" are off to the right.
        for place, column in enumerate((_STATUS, _BEST_ACCURACY, _TEST_ACCURACY), start=2):
            header.moveSection(header.visualIndex(column), place)
        self._table.setToolTip(
            self.tr(
                "Select several runs to overlay their curves; double-click a name to rename "
                "it, or the tags cell to tag it (comma-separated)."
            )
        )
        self._loss = self._plot("compareLossPlot", self.tr("Validation loss"))
        self._accuracy = self._plot("compareAccuracyPlot", self.tr("Validation accuracy"))
        # One legend for both plots, above them: the same runs in the same colours, and a
        # legend box inside a plot covered the curves it named.
        self._legend = QLabel(objectName="runsLegend")
        self._legend.setWordWrap(True)
        self._legend.setTextFormat(Qt.TextFormat.RichText)
        self._legend.hide()
        self._diff = QPlainTextEdit(objectName="configDiff", readOnly=True)
        self._diff.setPlaceholderText(self.tr("Select two or more runs to see what differs."))

        # The filter has a line of its own: beside five buttons it made the tab too wide for
        # a 1280-pixel screen.
        buttons = QHBoxLayout()
        buttons.addWidget(self._load)
        buttons.addWidget(self._export)
        buttons.addWidget(self._report)
        buttons.addWidget(self._evaluate)
        buttons.addWidget(self._delete)
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(self._loss)
        plots.addWidget(self._accuracy)
        plots.addWidget(self._diff)
        plots.setSizes([300, 300, 220])
        splitter = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self._filter)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self._table)
        splitter.addWidget(top)
        overlay = QWidget()
        overlay_layout = QVBoxLayout(overlay)
        overlay_layout.setContentsMargins(0, 0, 0, 0)
        overlay_layout.addWidget(self._legend)
        overlay_layout.addWidget(plots, stretch=1)
        splitter.addWidget(overlay)
        self._splitter = splitter
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._filter.textChanged.connect(self._apply_filter)
        self._table.itemSelectionChanged.connect(self._on_selection)
        self._table.itemChanged.connect(self._on_item_changed)
        self._load.clicked.connect(self._on_load)
        self._delete.clicked.connect(self.delete_selected)
        self._export.clicked.connect(self.choose_export_path)
        self._report.clicked.connect(self.choose_report_path)
        self._evaluate.clicked.connect(self.evaluate_selected)
        self.refresh()

    @staticmethod
    def _plot(name: str, title: str) -> pg.PlotWidget:
        plot = pg.PlotWidget(
            background="w",
            axisItems={"bottom": EpochAxis("bottom"), "left": ReadableAxis("left")},
        )
        plot.setObjectName(name)
        plot.setTitle(title, color="#222")
        plot.setLabel("bottom", QCoreApplication.translate("RunsPanel", "epoch"))
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.getAxis("left").enableAutoSIPrefix(False)
        return plot

    # -- what the window calls -----------------------------------------------------------------
    @Slot()
    def refresh(self, select: int | None = None) -> None:
        """Re-read the store (after a run ends); `select` picks a run by id."""
        if self.store is None:
            return
        try:
            # A search's trials (a hundred at a time) are shown in the Search tab, not here.
            records = self.store.list_runs(include_trials=False)
        except StoreError as error:
            self._diff.setPlainText(str(error))
            return
        self._records = {record.id: record for record in records}
        self._filling = True
        self._table.setSortingEnabled(False)
        self._table.setRowCount(len(records))
        for row, record in enumerate(records):
            for column, item in enumerate(self._row_items(record)):
                self._table.setItem(row, column, item)
        self._table.setSortingEnabled(True)
        self._filling = False
        self._apply_filter(self._filter.text())
        if select is not None:
            self.select_runs([select])

    def add_run(self, run_id: int) -> None:
        """Show a run just recorded: its own row added (or renewed), not the whole table read.

        After every run (every variant of a comparison) the window used to re-read and rebuild
        every row, on its own thread: ~0.7 ms a run in the store, so a learner's 300 past runs
        froze the window for a fifth of a second at the end of each new one.
        """
        if self.store is None:
            return
        try:
            record = self.store.get_run(run_id)
        except StoreError as error:
            self._diff.setPlainText(str(error))
            return
        if record.search_id is not None:
            return  # a search's trial: shown in the Search tab
        self._records[record.id] = record
        self._filling = True
        rows = range(self._table.rowCount())
        row = next((r for r in rows if self._table.item(r, 0).data(_ID_ROLE) == run_id), None)
        if row is None:
            row = 0
            self._table.insertRow(row)
        # Sorting stays on (turning it off and on again re-sorts every row, ~15 ms for 300):
        # the row moves to its place when the sorted column's item is set, so that one is last.
        items = self._row_items(record)
        sorted_by = self._table.horizontalHeader().sortIndicatorSection()
        for column in sorted(range(len(items)), key=lambda c: c == sorted_by):
            self._table.setItem(row, column, items[column])
        self._filling = False
        if self._filter.text().strip():
            self._apply_filter(self._filter.text())  # the new row may not match

    def select_runs(self, run_ids: list[int]) -> None:
        # One redraw for the whole selection, not one per row (50 runs: 15 s -> ~0.1 s).
        self._table.blockSignals(True)
        try:
            self._table.clearSelection()
            mode = self._table.selectionMode()
            self._table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
            for row in range(self._table.rowCount()):
                if self._table.item(row, 0).data(_ID_ROLE) in run_ids:
                    self._table.selectRow(row)
            self._table.setSelectionMode(mode)
        finally:
            self._table.blockSignals(False)
        self._on_selection()

    def add_comparison_view(self, widget: QWidget) -> None:
        """Put `widget` under the overlaid curves: a comparison's own table (mini-batch sizes)."""
        self._splitter.addWidget(widget)

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self._table.selectedIndexes()})
        return [self._table.item(row, 0).data(_ID_ROLE) for row in rows]

    def overlaid(self) -> dict[str, list[float]]:
        """Run name -> validation accuracy curve as drawn (for tests)."""
        curves = {}
        for item in self._accuracy.getPlotItem().listDataItems():
            _, y = item.getData()
            curves[item.name()] = [] if y is None else [float(v) for v in y]
        return curves

    def diff_text(self) -> str:
        return self._diff.toPlainText()

    @Slot()
    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids or self.store is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete runs"),
            self.tr("Delete {n} run(s) and their saved weights? This cannot be undone.").format(
                n=len(ids)
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        for run_id in ids:
            self.store.delete(run_id)
        self.refresh()

    @Slot()
    def choose_export_path(self) -> None:
        ids = self.selected_ids()
        if not ids or self.store is None:
            return
        record = self._records[ids[0]]
        path, chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Export model"),
            f"{record.name}.safetensors",
            self.tr("safetensors weights (*.safetensors);;TorchScript (*.pt)"),
        )
        if path:
            self.export_model(record.id, Path(path))

    def export_model(self, run_id: int, path: Path) -> bool:
        """Write a run's best model (the format follows the suffix) and its experiment file."""
        # torch: imported here, as the window may be shown before torch has loaded.
        from workbench.runs.export import ExportError, export_run

        fmt = "torchscript" if path.suffix == ".pt" else "safetensors"
        try:
            record = self.store.get_run(run_id)
            export_run(self.store, record, fmt, path)
            save_experiment(
                experiment_from_dict(record.config, f"run {run_id}"), path.with_suffix(".toml")
            )
        except (StoreError, ExportError, ExperimentError, OSError) as error:
            self.problem.emit(str(error))
            return False
        self.exported.emit(str(path))
        return True

    @Slot()
    def choose_report_path(self) -> None:
        ids = self.selected_ids()
        if not ids or self.store is None:
            return
        single = len(ids) == 1
        stem = f"{self._records[ids[0]].name}-report" if single else "comparison-report"
        chosen = choose_report_path(self, stem, REPORT_FORMATS if single else COMPARISON_FORMATS)
        if chosen is not None:
            self.write_report(ids, *chosen)

    def write_report(self, run_ids: list[int], path: Path, fmt: str) -> bool:
        """One run's report, or a comparison of several, from what the store kept."""
        if self.store is None:
            return False
        try:
            runs = [from_store(self.store, run_id) for run_id in run_ids]
            if len(runs) == 1:
                write_run_report(runs[0].report, fmt, path, runs[0].images)
            else:
                write_comparison_report([run.report for run in runs], fmt, path)
        except (TrainedRunError, OSError, ValueError) as error:
            self.problem.emit(str(error))
            return False
        self.report_written.emit(str(path))
        return True

    # -- internals -------------------------------------------------------------------------------
    def _row_items(self, record: RunRecord) -> list[QTableWidgetItem]:
        summary = record.summary()
        duration = summary["duration_s"]
        values: list[tuple[str, Any]] = [
            (str(record.id), record.id),
            (record.name, record.name),
            (str(summary["dataset"]), summary["dataset"]),
            (model_summary(record.config), model_summary(record.config)),
            (str(summary["optimizer"]), summary["optimizer"]),
            (f"{summary['lr']:g}", summary["lr"]),
            (status_name(record.status), record.status),
            _best_accuracy_cell(record),
            (_fmt(record.test_accuracy), record.test_accuracy),
            (_duration(duration), duration),
            (", ".join(record.tags), ", ".join(record.tags)),
        ]
        items = []
        for column, (text, value) in enumerate(values):
            item = _Item(text, value)
            if column not in (_NAME, _TAGS):
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setData(_ID_ROLE, record.id)
            items.append(item)
        items[1].setToolTip(time.strftime("%Y-%m-%d %H:%M", time.localtime(record.created)))
        if record.record_error:
            # An incomplete record (a full disk mid-run): what it lacks, and why.
            items[_STATUS].setToolTip(record.record_error)
        return items

    @Slot(str)
    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self._table.rowCount()):
            haystack = " ".join(
                self._table.item(row, column).text().lower()
                for column in range(self._table.columnCount())
            )
            self._table.setRowHidden(row, bool(needle) and needle not in haystack)

    @Slot(QTableWidgetItem)
    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or self.store is None:
            return
        run_id = item.data(_ID_ROLE)
        if item.column() == _NAME and item.text().strip():
            self.store.rename(run_id, item.text().strip())
        elif item.column() == _TAGS:
            tags = [tag.strip() for tag in item.text().split(",") if tag.strip()]
            self.store.set_tags(run_id, tags)

    @Slot()
    def _on_selection(self) -> None:
        ids = self.selected_ids()
        self._evaluate.setEnabled(self._testable_selection() is not None)
        self._loss.clear()
        self._accuracy.clear()
        records = []
        entries = []
        for run_id in ids:
            try:
                record = self.store.get_run(run_id) if self.store else None
            except StoreError:
                continue
            if record is None:
                continue
            records.append(record)
            epochs = [h["epoch"] for h in record.history]
            # Colour-blind-safe colours that all stand out on white; the old evenly spread
            # hues gave one run a faint yellow-green.
            pen = palette_pen(len(records) - 1)
            label = f"{record.id}: {record.name}"
            entries.append((label, pen))
            for plot, key in ((self._loss, "val_loss"), (self._accuracy, "val_accuracy")):
                plot.plot(epochs, [h[key] for h in record.history], pen=pen, name=label)
        self._legend.setText(legend_html(entries))
        self._legend.setVisible(bool(entries))
        if len(records) < 2:
            self._diff.setPlainText("")
            return
        lines = []
        for key, values in config_diff([record.config for record in records]):
            lines.append(key)
            lines.extend(
                f"    {record.id}: {value}" for record, value in zip(records, values, strict=True)
            )
        self._diff.setPlainText(
            "\n".join(lines) or self.tr("The selected runs have the same experiment.")
        )

    @Slot()
    def _testable_selection(self) -> int | None:
        """The one selected run, if it kept weights and was not yet evaluated on the test set."""
        ids = self.selected_ids()
        record = self._records.get(ids[0]) if len(ids) == 1 else None
        if record is None or record.test is not None or record.status not in _TESTABLE:
            return None
        return record.id

    @Slot()
    def evaluate_selected(self) -> None:
        """Ask the window to evaluate the selected run on the test set (after a confirmation)."""
        run_id = self._testable_selection()
        if run_id is None:
            return
        record = self._records[run_id]
        answer = QMessageBox.question(
            self,
            self.tr("Evaluate on the test set"),
            self.tr(
                "Evaluate run {id} ({name}) on the test set?\n\nThe test set judges the model "
                "you finally chose; choosing among runs by their test results makes that "
                "judgement too kind. This look is counted in the run's report."
            ).format(id=run_id, name=record.name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._evaluate.setEnabled(False)
            self.evaluate_requested.emit(run_id)

    def _on_load(self) -> None:
        ids = self.selected_ids()
        if ids and ids[0] in self._records:
            self.load_requested.emit(self._records[ids[0]].config)


def _best_accuracy_cell(record: RunRecord) -> tuple[str, Any]:
    """The value ranking.score defines, with its best epoch in brackets: 0.9722 (12)."""
    value, epoch = score(record)
    if value is None:
        return _fmt(None), None
    return f"{_fmt(value)} ({epoch})", value


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds:.1f} s" if seconds < 120 else f"{seconds / 60:.1f} min"
