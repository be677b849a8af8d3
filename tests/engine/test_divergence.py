"""The divergence rule: a non-finite loss, or a training loss 10,000 times its start."""

import math

import pytest

from workbench.core.divergence import GROWTH_LIMIT, diverged, reference_loss
from workbench.core.events import Divergence


@pytest.mark.parametrize(
    ("train_loss", "val_loss", "expected"),
    [
        (0.5, 0.6, None),
        (2_000.0, 3.0, None),  # RMSprop at lr 1's noisy first epoch: 870 times the start
        (2.3 * GROWTH_LIMIT * 1.01, 1e9, "training"),
        (4.66e21, 3e20, "training"),
        (math.nan, 2.0, "training"),
        (math.inf, 2.0, "training"),
        (0.5, math.nan, "validation"),
    ],
)
def test_which_loss_diverged(train_loss, val_loss, expected):
    assert diverged(train_loss, val_loss, reference=2.3) == expected


def test_the_reference_is_the_first_loss_but_at_least_chance_level():
    assert reference_loss(2.44, 10) == 2.44
    # A first batch that happened to be easy does not shrink the yardstick below ln(classes).
    assert reference_loss(0.01, 10) == pytest.approx(math.log(10))
    assert reference_loss(math.nan, 2) == pytest.approx(math.log(2))


@pytest.mark.parametrize(
    ("loss", "words"),
    [(1.5e28, "grew from 2.3 to 1.5e28 in epoch 1"), (math.nan, "went from 2.3 to NaN in epoch 1")],
)
def test_the_message_names_the_runs_numbers(loss, words):
    text = Divergence(epoch=1, initial_loss=2.3, loss=loss, lr=10.0).describe()
    assert text == (
        f"The loss diverged ({words}): "
        "the learning rate (10) is probably too high; try 10x smaller."
    )
    assert (
        Divergence(1, 2.3, 1e5, 0.001)
        .describe()
        .endswith("the learning rate (0.001) is probably too high; try 10x smaller.")
    )
