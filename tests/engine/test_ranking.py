"""One meaning of "best validation accuracy": the accuracy at the monitor's best epoch."""

import pytest

from workbench.report.ranking import (
    DEFINITION,
    LABEL,
    accuracy_at_best_epoch,
    best_among,
    best_of,
    describe_best,
    score,
)
from workbench.runs.store import RunRecord

# The lowest validation loss is at epoch 2; the highest accuracy at epoch 3 (overfitting
# runs do this: the loss rises while a few more samples tip over to right).
HISTORY = [
    {"epoch": 1, "val_loss": 0.9, "val_accuracy": 0.80},
    {"epoch": 2, "val_loss": 0.4, "val_accuracy": 0.90},
    {"epoch": 3, "val_loss": 0.6, "val_accuracy": 0.93},
]


def report(name, history, best_epoch):
    return {"name": name, "history": history, "best_epoch": best_epoch}


def record(run_id, name, best_val_accuracy, best_epoch=2):
    return RunRecord(
        id=run_id,
        name=name,
        created=0.0,
        finished=1.0,
        status="completed",
        config={},
        environment={},
        best_epoch=best_epoch,
        best_val_accuracy=best_val_accuracy,
        test=None,
        error=None,
        tags=(),
        epochs_run=3,
    )


def test_the_value_is_the_best_epochs_accuracy_not_the_highest_of_any_epoch():
    assert accuracy_at_best_epoch(HISTORY, 2) == 0.90
    assert score(report("a", HISTORY, 2)) == (0.90, 2)
    assert accuracy_at_best_epoch(HISTORY, None) is None  # no epoch was ever best
    assert accuracy_at_best_epoch(HISTORY, 7) is None


def test_a_record_listed_without_history_uses_what_the_store_wrote():
    assert score(record(1, "a", 0.875, best_epoch=4)) == (0.875, 4)


def test_equal_values_at_the_shown_precision_are_a_tie_and_both_win():
    a, b, c = record(1, "A", 0.97221), record(2, "B", 0.97219), record(3, "C", 0.95)
    best = best_of([a, b, c])
    assert best.winners == [a, b] and best.tie
    assert best.value == pytest.approx(0.97221)
    assert best.definition == DEFINITION
    assert describe_best([r.name for r in best.winners], best.value) == (
        f"best on validation data ({LABEL}): tie between A and B (0.9722)"
    )


def test_one_winner_is_named_alone_and_runs_without_a_value_take_no_part():
    a, b = record(1, "A", 0.95), record(2, "B", None, best_epoch=None)
    best = best_of([b, a])
    assert best.winners == [a] and not best.tie
    assert describe_best(["A"], best.value) == f"best on validation data ({LABEL}): A (0.9500)"
    assert best_among([("x", None), ("y", float("nan"))]).winners == []
