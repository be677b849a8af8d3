"""Print the report's HTML to a PDF file with Qt: QTextDocument laid out on A4, QPdfWriter.

Qt's text engine, not a browser, lays out the page, so the HTML is the `_for_qt` variant of
the report: images named as document resources (QTextDocument is not trusted with `data:`
URIs) and a layout made of tables.

This works without a window or a display: when no Qt application exists yet one is made,
on the offscreen platform when there is no display to talk to (`workbench runs export` on
a server).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import (
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
)

from workbench.atomic import atomic_path
from workbench.report.html_report import render_comparison_html_for_qt, render_html_for_qt

RESOLUTION = 300  # dots per inch of the PDF's painting: sharp text and figures
MARGIN_MM = 15.0
LAYOUT_DPI = 96.0  # CSS pixels per inch: the unit the HTML's image widths are given in

# The application made here, kept so Python does not delete it while Qt still uses it.
_application: QGuiApplication | None = None


def write_pdf(
    html: str, resources: Mapping[str, bytes], path: str | Path, title: str | None = None
) -> int:
    """Print HTML to an A4 portrait PDF at `path`, atomically, and count its pages.

    Args:
        html: The HTML, its images named as resources (`render_html_for_qt`).
        resources: The PNG bytes of each image name in `html`.
        path: The PDF file to create or replace. Its parent folders are created.
        title: The PDF's title; by default the HTML's <title>.

    Returns:
        The number of pages in the PDF.

    Raises:
        ValueError: When a resource is not an image Qt can read.
        RuntimeError: When the PDF could not be written.
    """
    _ensure_application()
    document = QTextDocument()
    for name, data in resources.items():
        image = QImage.fromData(data)
        if image.isNull():
            raise ValueError(f"resource {name!r} is not an image Qt can read")
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    document.setHtml(html)
    title = title or document.metaInformation(QTextDocument.MetaInformation.DocumentTitle)

    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )
    # The document is paginated here, to the printable area in CSS pixels, rather than left to
    # print_(): print_() would lay out a private copy and never say how many pages it made.
    # print_() then scales this page onto the printer's, so the count below is the PDF's.
    printable = layout.paintRect(QPageLayout.Unit.Point)
    document.setPageSize(
        QSizeF(printable.width() * LAYOUT_DPI / 72.0, printable.height() * LAYOUT_DPI / 72.0)
    )
    document.setDocumentMargin(0)
    _keep_headings_with_next(document)
    pages = document.pageCount()

    with atomic_path(path) as temporary:
        writer = QPdfWriter(str(temporary))
        writer.setResolution(RESOLUTION)
        writer.setPageLayout(layout)
        writer.setTitle(title or "Training report")
        writer.setCreator("workbench")
        document.print_(writer)
        # The file is complete once the writer's painter has ended (inside print_); deleting
        # the writer now closes it before atomic_path renames it (Windows will not rename an
        # open file).
        del writer
        if temporary.stat().st_size == 0:
            raise RuntimeError(f"Qt wrote nothing to {temporary}")
    return pages


def pdf_report(
    report: Mapping[str, Any],
    images: np.ndarray | None,
    path: str | Path,
    language: str | None = None,
) -> int:
    """Print a run's report to a PDF file; returns its page count (see `write_pdf`).

    `language`: "en" or "ja"; None: the engine's language now.
    """
    html, resources = render_html_for_qt(report, images, language)
    return write_pdf(html, resources, path)


def pdf_comparison(
    reports: Sequence[Mapping[str, Any]], path: str | Path, language: str | None = None
) -> int:
    """Print a comparison of runs to a PDF file; returns its page count (see `write_pdf`)."""
    html, resources = render_comparison_html_for_qt(reports, language)
    return write_pdf(html, resources, path)


def _keep_headings_with_next(document: QTextDocument) -> None:
    # Qt has no "keep with next" (nor page-break-inside: avoid): a heading at the foot of a
    # page with its figure or table on the next looks broken. Each heading whose following
    # block starts on a later page gets a page break before it instead, one at a time since
    # each break moves everything after it.
    page_height = document.pageSize().height()
    layout = document.documentLayout()

    def page_of(block: Any) -> int:
        # The first line, not the block: a line that does not fit is pushed down to the next
        # page inside its block (an image), while the block's rectangle stays where it began.
        top = layout.blockBoundingRect(block).top()
        if block.layout().lineCount():
            top += block.layout().lineAt(0).y()
        # Qt places a pushed line at the page's top rounded to 1/64 pixel: allow for that.
        return int((top + 0.5) // page_height)

    moved: set[int] = set()
    changed = True
    while changed:
        changed = False
        block = document.begin()
        while block.isValid():
            following = block.next()
            if (
                block.blockFormat().headingLevel() > 0
                and following.isValid()
                and block.position() not in moved
                and page_of(_kept_with(following)) > page_of(block)
            ):
                page_break = QTextBlockFormat()
                page_break.setPageBreakPolicy(QTextBlockFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                QTextCursor(block).mergeBlockFormat(page_break)
                # An edit is laid out again only near where it was made, which leaves later
                # blocks unplaced; setting the page size lays out the whole document anew.
                document.setPageSize(document.pageSize())
                moved.add(block.position())  # once each: a heading taller than a page stays
                changed = True
                break
            block = following


def _kept_with(block: Any) -> Any:
    # A one-line introduction under a heading ("Rows are the true classes...") goes with the
    # heading, so what must share the heading's page is the block after it.
    # An image is one line too, but is itself what the heading introduces: it holds the
    # object replacement character.
    after = block.next()
    text_line = block.layout().lineCount() == 1 and "\ufffc" not in block.text()
    return after if text_line and after.isValid() else block


def _ensure_application() -> QGuiApplication:
    # QTextDocument needs fonts, and fonts need a QGuiApplication. The window's own
    # QApplication (a QGuiApplication) is reused; a second one cannot be made.
    global _application
    existing = QGuiApplication.instance()
    if existing is not None:
        if not isinstance(existing, QGuiApplication):
            raise RuntimeError("printing needs a QGuiApplication, and a QCoreApplication exists")
        return existing
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless and sys.platform not in ("win32", "darwin") and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _application = QGuiApplication(sys.argv[:1] or ["workbench"])
    return _application
