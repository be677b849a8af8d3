"""The run's numbers as CSV, for a spreadsheet: the per-epoch history and the per-class metrics."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from workbench.atomic import atomic_write_text
from workbench.core.events import HISTORY_FIELDS

# A spreadsheet's columns are a contract: tests/report/test_csv.py pins this header.
HISTORY_COLUMNS = HISTORY_FIELDS
PER_CLASS_COLUMNS = ("label", "precision", "recall", "f1", "support")


def per_class_path(path: str | Path) -> Path:
    """Where the per-class metrics go beside the history at `path`: `<stem>_per_class.csv`."""
    path = Path(path)
    return path.with_name(f"{path.stem}_per_class.csv")


def write_csv(report: Mapping[str, Any], path: str | Path) -> list[Path]:
    """Write the per-epoch history to `path`, and the per-class test metrics beside it.

    NaN, infinite and missing values are written as empty cells, which spreadsheets read as
    blanks (a diverged run's last losses), rather than as text that breaks a column's type.
    Each file is written atomically.

    Args:
        report: The run's report.
        path: The history's file. The per-class metrics go to `<stem>_per_class.csv` in the
            same folder, when the run has test metrics.

    Returns:
        The files written: the history, then the per-class metrics if any.
    """
    written = [atomic_write_text(path, _table(HISTORY_COLUMNS, report.get("history") or []))]
    per_class = (report.get("test") or {}).get("per_class")
    if per_class:
        written.append(
            atomic_write_text(per_class_path(path), _table(PER_CLASS_COLUMNS, per_class))
        )
    return written


def _table(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # repr-exact digits, so a value read back compares equal to the one in report.json.
        return repr(value) if math.isfinite(value) else ""
    return str(value)
