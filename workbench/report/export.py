"""Export a run's report, or a comparison of runs, to a file in a chosen format.

PDF is printed by Qt, which this package must not import (the engine and the command line
run without a GUI stack): the caller passes the printer in as `pdf_writer`, normally
`workbench.printing.pdf.write_pdf`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from workbench.atomic import atomic_write_text
from workbench.report.csv_report import write_csv

# In their own light module: the window and the CLI list them without loading the renderers.
from workbench.report.formats import COMPARISON_FORMATS, REPORT_FORMATS  # noqa: E402
from workbench.report.html_report import (
    render_comparison_html,
    render_comparison_html_for_qt,
    render_html,
    render_html_for_qt,
)
from workbench.report.json_report import write_report

# write_pdf(html, resources, path) -> page count: HTML whose images are resource names, and
# the PNG bytes of each name.
PdfWriter = Callable[[str, dict[str, bytes], Path], int]


def export_report(
    report: Mapping[str, Any],
    fmt: str,
    path: str | Path,
    images: np.ndarray | None = None,
    pdf_writer: PdfWriter | None = None,
    language: str | None = None,
) -> list[Path]:
    """Write the run's report to `path` as HTML, PDF, JSON or CSV, atomically.

    Args:
        report: The run's report (the report.json content).
        fmt: One of REPORT_FORMATS.
        path: The file to write. CSV also writes `<stem>_per_class.csv` beside it.
        images: The misclassified examples' inputs, for HTML and PDF (see `render_html`).
        pdf_writer: For "pdf": prints the HTML to a PDF file (`workbench.printing.pdf.write_pdf`).
        language: HTML and PDF: "en" or "ja"; None: the engine's language now. JSON and CSV
            are English whatever it is (their keys and texts are a contract).

    Returns:
        The files written.

    Raises:
        ValueError: For an unknown format, or "pdf" without a `pdf_writer`.
    """
    path = Path(path)
    if fmt == "html":
        return [atomic_write_text(path, render_html(report, images, language))]
    if fmt == "json":
        return [write_report(dict(report), path)]
    if fmt == "csv":
        return write_csv(report, path)
    if fmt == "pdf":
        writer = _need_pdf_writer(pdf_writer)
        html, resources = render_html_for_qt(report, images, language)
        writer(html, resources, path)
        return [path]
    raise ValueError(f"unknown report format {fmt!r}: choose one of {', '.join(REPORT_FORMATS)}")


def export_comparison(
    reports: Sequence[Mapping[str, Any]],
    fmt: str,
    path: str | Path,
    pdf_writer: PdfWriter | None = None,
    language: str | None = None,
) -> list[Path]:
    """Write a side-by-side comparison of runs to `path` as HTML or PDF, atomically.

    Args:
        reports: The runs' reports, in the order to show them.
        fmt: One of COMPARISON_FORMATS.
        path: The file to write.
        pdf_writer: For "pdf", as for `export_report`.
        language: As for `export_report`.

    Returns:
        The files written.

    Raises:
        ValueError: For an unknown format, or "pdf" without a `pdf_writer`.
    """
    path = Path(path)
    if fmt == "html":
        return [atomic_write_text(path, render_comparison_html(reports, language))]
    if fmt == "pdf":
        writer = _need_pdf_writer(pdf_writer)
        html, resources = render_comparison_html_for_qt(reports, language)
        writer(html, resources, path)
        return [path]
    raise ValueError(
        f"unknown comparison format {fmt!r}: choose one of {', '.join(COMPARISON_FORMATS)}"
    )


def _need_pdf_writer(pdf_writer: PdfWriter | None) -> PdfWriter:
    if pdf_writer is None:
        raise ValueError("pdf needs a pdf writer")
    return pdf_writer
