"""The CSV reader: a comma-separated UTF-8 table with a header row and one label column."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from workbench.data.dataset import Dataset
from workbench.data.importers._common import (
    Progress,
    class_names,
    dataset_error,
    encode,
    no_progress,
    require_file,
    require_memory,
    why,
)
from workbench.data.memory import size_text
from workbench.i18n import N_, _

# Measured with tracemalloc (peak of reading the rows) on a 9 MB table of 4-decimal floats:
# 9.4 bytes of Python objects per byte of file.
_PARSED_BYTES_PER_BYTE = 10
# Rows parsed between two reports of progress.
_ROWS_PER_REPORT = 4096


class _Counted:
    """The lines of a text file, counting the characters read (a text file cannot `tell`)."""

    def __init__(self, file: Iterator[str]) -> None:
        self._file = file
        self.read = 0

    def __iter__(self) -> Iterator[str]:
        for line in self._file:
            self.read += len(line)
            yield line


def _csv_rows(
    path: Path, progress: Progress = no_progress
) -> tuple[list[str], list[list[str]], list[int]]:
    """(header, data rows, the line each row ends on), cells stripped, blank lines skipped.

    `progress` is told the share of the file parsed (by characters; exact for ASCII).
    """
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        size = path.stat().st_size
    except OSError as error:
        raise dataset_error(path, why(error)) from None
    # Parsed into Python strings and lists, a table takes about ten times its file size.
    require_memory(
        path,
        _PARSED_BYTES_PER_BYTE * size,
        N_(
            "this {size} table, parsed, would need about {needed} of memory; "
            "{available} is available"
        ),
        size=size_text(size),
    )
    try:
        # utf-8-sig: spreadsheet programs often start the file with a byte order mark.
        with path.open(newline="", encoding="utf-8-sig") as file:
            counted = _Counted(file)
            reader = csv.reader(counted)
            try:
                for row in reader:
                    if len(rows) % _ROWS_PER_REPORT == 0:
                        progress(min(1.0, counted.read / max(1, size)))
                    cells = [cell.strip() for cell in row]
                    if len(cells) <= 1 and not any(cells):
                        continue
                    if header is None:
                        header = cells
                    elif len(cells) != len(header):
                        raise dataset_error(
                            path,
                            _("line {line}: {count} fields, but the header has {header}").format(
                                line=reader.line_num, count=len(cells), header=len(header)
                            ),
                        )
                    else:
                        rows.append(cells)
                        lines.append(reader.line_num)
            except csv.Error as error:
                reason = _("line {line}: {error}").format(line=reader.line_num, error=error)
                raise dataset_error(path, reason) from None
    except UnicodeDecodeError as error:
        raise dataset_error(
            path,
            _("not UTF-8 text ({reason} at byte {start})").format(
                reason=error.reason, start=error.start
            ),
        ) from None
    except OSError as error:
        raise dataset_error(path, why(error)) from None
    if header is None:
        raise dataset_error(path, _("empty file"))
    if not rows:
        raise dataset_error(path, _("no data rows below the header"))
    return header, rows, lines


def _column_names(header: list[str]) -> list[str]:
    """The header's names; an unnamed column is called by its number, counted from 1."""
    return [name or _("column {number}").format(number=i + 1) for i, name in enumerate(header)]


def _numbers(cells: Sequence[str]) -> np.ndarray | None:
    """The cells as float64 (empty ones as NaN), or None when one is not a number."""
    try:
        # NumPy parses the whole column in C; only a column with a gap or a word falls back.
        return np.array(cells, dtype=np.str_).astype(np.float64)
    except (ValueError, OverflowError):
        pass
    values = np.empty(len(cells))
    for i, cell in enumerate(cells):
        try:
            values[i] = float(cell) if cell else np.nan
        except (ValueError, OverflowError):
            return None
    return values


def _finite32(
    values: np.ndarray, cells: Sequence[str], lines: list[int], path: Path, column: str
) -> None:
    """Refuse a gap, NaN, infinity, or a value beyond float32, naming its line and column."""
    with np.errstate(over="ignore"):
        bad = ~np.isfinite(values.astype(np.float32))
    if bad.any():
        row = int(np.argmax(bad))
        cell = cells[row]
        problem = (
            _("line {line}, column {name}: missing value")
            if not cell
            else _("line {line}, column {name}: {value} is not a finite float32 number")
        )
        raise dataset_error(
            path, problem.format(line=lines[row], name=repr(column), value=repr(cell))
        )


def read(
    path: Path, label_column: str | None, progress: Progress = no_progress
) -> tuple[Dataset, list[str]]:
    """The dataset in a CSV file and notes for the user (the non-numeric columns skipped)."""
    require_file(path, "CSV")
    header, rows, lines = _csv_rows(path, progress)
    names = _column_names(header)
    for i, name in enumerate(names):
        if name in names[:i]:
            reason = _("column {name} appears twice in the header").format(name=repr(name))
            raise dataset_error(path, reason)
    if label_column is None:
        label_index = len(names) - 1
    elif label_column in names:
        label_index = names.index(label_column)
    else:
        reason = _("no column {name}; columns: {columns}").format(
            name=repr(label_column), columns=", ".join(names)
        )
        raise dataset_error(path, reason)
    columns = list(zip(*rows, strict=True))
    notes: list[str] = []
    used: list[np.ndarray] = []
    for index, name in enumerate(names):
        if index == label_index:
            continue
        values = _numbers(columns[index])
        if values is None:
            notes.append(_("skipped non-numeric column {name}").format(name=repr(name)))
            continue
        _finite32(values, columns[index], lines, path, name)
        used.append(values)
    if not used:
        # A header read as one column is usually a file separated by ';' or tabs.
        reason = (
            _("no numeric feature columns (one column {name}: only commas separate columns)")
            if len(names) == 1
            else _("no numeric feature columns")
        )
        raise dataset_error(path, reason.format(name=repr(names[0])))
    label_name, cells = names[label_index], columns[label_index]
    numbers = _numbers(cells)
    if numbers is not None:
        _finite32(numbers, cells, lines, path, label_name)
        raw_labels: np.ndarray = numbers
    else:
        if "" in cells:
            line = lines[cells.index("")]
            reason = _("line {line}, column {name}: missing value").format(
                line=line, name=repr(label_name)
            )
            raise dataset_error(path, reason)
        raw_labels = np.array(cells, dtype=np.str_)
    classes, labels = encode(raw_labels, path, column=label_name)
    dataset = Dataset(
        name=path.stem,
        features=np.column_stack(used).astype(np.float32),
        labels=labels,
        class_names=class_names(classes),
    )
    return dataset, notes


def read_features(
    path: Path, label_column: str | None, n_features: int
) -> tuple[np.ndarray, list[str] | None]:
    """Feature rows of a CSV to predict on, picked the way `read` picks them for training.

    Non-numeric columns are skipped as in training. The label column, when the file has one
    (named `label_column`, or the last column when there is one numeric column too many), is
    set aside and returned as its cells, so predictions can be checked against it.
    """
    require_file(path, "CSV")
    header, rows, lines = _csv_rows(path)
    names = _column_names(header)
    columns = list(zip(*rows, strict=True))
    label_index = names.index(label_column) if label_column in names else None
    numeric = [
        index
        for index, _ in enumerate(names)
        if index != label_index and _numbers(columns[index]) is not None
    ]
    if label_index is None and not label_column and len(numeric) == n_features + 1:
        label_index = numeric.pop()  # training's default label column: the last one
    if len(numeric) != n_features:
        raise dataset_error(
            path,
            _("{count} numeric feature columns, but the model takes {features}").format(
                count=len(numeric), features=n_features
            ),
        )
    used = []
    for index in numeric:
        values = _numbers(columns[index])
        assert values is not None
        _finite32(values, columns[index], lines, path, names[index])
        used.append(values)
    labels = list(columns[label_index]) if label_index is not None else None
    return np.column_stack(used).astype(np.float32), labels
