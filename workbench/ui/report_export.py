"""Export a run's report (or a comparison of runs) from the window: HTML, PDF, JSON or CSV.

The same writers as `workbench report`; PDF is printed by Qt in this (GUI) thread, since a
QTextDocument must not be used across threads. It takes about a second: the cursor says so.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

_SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf", ".json": "json", ".csv": "csv"}


def _filters() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "html": translate("ReportExport", "HTML report, opens in any browser (*.html)"),
        "pdf": translate("ReportExport", "PDF report (*.pdf)"),
        "json": translate("ReportExport", "JSON report, for programs (*.json)"),
        "csv": translate("ReportExport", "CSV tables: history and per-class metrics (*.csv)"),
    }


def format_of(path: str | Path, default: str = "json") -> str:
    """The report format a file name asks for, by its suffix."""
    return _SUFFIXES.get(Path(path).suffix.lower(), default)


def choose_report_path(
    parent: QWidget, stem: str, formats: Sequence[str] = ("html", "pdf", "json", "csv")
) -> tuple[Path, str] | None:
    """Ask where to save and in which format; None when the person cancels."""
    filters = _filters()
    chosen = [filters[f] for f in formats]
    path, selected = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("ReportExport", "Export report"),
        f"{stem}.{formats[0]}",
        ";;".join(chosen),
    )
    if not path:
        return None
    by_filter = next((f for f in formats if filters[f] == selected), formats[0])
    fmt = format_of(path, by_filter)
    if fmt not in formats:
        fmt = by_filter
    target = Path(path)
    if target.suffix.lower() not in _SUFFIXES:
        target = target.with_name(f"{target.name}.{fmt}")
    return target, fmt


@contextlib.contextmanager
def _busy() -> Iterator[None]:
    """The wait cursor while a report is written in the window's thread."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def write_run_report(
    report: Mapping[str, Any], fmt: str, path: str | Path, images: np.ndarray | None
) -> list[Path]:
    """Write one run's report; OSError when the file cannot be written."""
    # Here, not at the top: matplotlib and Jinja2 would slow the window's start.
    from workbench.i18n import language
    from workbench.printing.pdf import write_pdf
    from workbench.report.export import export_report

    with _busy():  # in the window's language, which the window set as the engine's
        return export_report(report, fmt, path, images, write_pdf, language())


def write_comparison_report(
    reports: Sequence[Mapping[str, Any]], fmt: str, path: str | Path
) -> list[Path]:
    """Write a comparison of runs' reports; OSError when the file cannot be written."""
    # Here, not at the top: matplotlib and Jinja2 would slow the window's start.
    from workbench.i18n import language
    from workbench.printing.pdf import write_pdf
    from workbench.report.export import export_comparison

    with _busy():  # in the window's language, which the window set as the engine's
        return export_comparison(reports, fmt, path, write_pdf, language())
