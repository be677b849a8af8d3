import csv
import math

from workbench.report.csv_report import HISTORY_COLUMNS, per_class_path, write_csv


def _read(path):
    with open(path, newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def _same(cell, value):
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return cell == ""
    return math.isclose(float(cell), float(value), rel_tol=0, abs_tol=0)


def test_history_and_per_class_round_trip(tmp_path, digits_report):
    path = tmp_path / "run.csv"
    written = write_csv(digits_report, path)
    assert written == [path, tmp_path / "run_per_class.csv"]
    rows = _read(path)
    # The header is a contract with the spreadsheets people keep: pinned here, once.
    assert list(rows[0]) == [
        "epoch",
        "train_loss",
        "train_accuracy",
        "val_loss",
        "val_accuracy",
        "lr",
        "seconds",
    ]
    assert len(rows) == len(digits_report["history"])
    for row, expected in zip(rows, digits_report["history"], strict=True):
        for column in HISTORY_COLUMNS:
            assert _same(row[column], expected[column]), (column, row[column], expected[column])
    per_class = _read(per_class_path(path))
    expected_classes = digits_report["test"]["per_class"]
    assert [row["label"] for row in per_class] == [c["label"] for c in expected_classes]
    for row, expected in zip(per_class, expected_classes, strict=True):
        for column in ("precision", "recall", "f1"):
            assert _same(row[column], expected[column])
        assert int(row["support"]) == expected["support"]


def test_nan_losses_are_empty_cells_and_no_per_class_file_without_test(tmp_path, failed_report):
    path = tmp_path / "failed.csv"
    assert write_csv(failed_report, path) == [path]
    assert not per_class_path(path).exists()
    rows = _read(path)
    assert rows[2]["val_loss"] == "" and rows[2]["train_loss"] == ""
    assert rows[2]["val_accuracy"] != ""
