"""The mini-batch size comparison: its variants, what it measures, and the values it takes."""

import math
import sys

import numpy as np
import pytest

from workbench.core import Callback, fit
from workbench.core.engine import batch_starts
from workbench.runs.batch_stats import (
    BatchStats,
    PeakMemory,
    batches_per_epoch,
    size_label,
    stats_table,
)
from workbench.runs.compare import (
    FULL_BATCH,
    ValuesError,
    comparison_group,
    parse_values,
    training_part_size,
)
from workbench.runs.diff import config_diff

DIGITS_TRAIN = 1077  # the digits' training part at the default fractions (0.2, 0.2)


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """Batches of 8 are too small to share out: on a busy 2-core machine two threads made
    the 400 steps 5x slower than one (13.5 s against 2.7 s)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def measured(experiment):
    stats = BatchStats()
    fit(experiment, [stats], evaluate_test=False)
    assert stats.stats is not None
    return stats.stats


def test_a_larger_mini_batch_takes_fewer_steps_and_its_loss_is_less_noisy(make_experiment):
    """The issue's Done-when, on the digits with sizes 8 and 256 (two epochs).

    Noise is compared as the standard deviation of the last epoch's batch losses over their
    mean: the plain deviation follows the loss's level (size 8 has taken 27x more steps and
    its losses are small: here it is *lower* than 256's, 0.14 against 0.24); see
    workbench/runs/batch_stats.py.
    """
    small, large = comparison_group(
        make_experiment(training={"epochs": 2}), "batch_size", values=(8, 256)
    )
    assert config_diff([small.to_dict(), large.to_dict()]) == [
        ("name", ["test [batch 8]", "test [batch 256]"]),
        ("training.batch_size", [8, 256]),
    ]
    noisy, calm = measured(small), measured(large)
    assert noisy.steps_per_epoch == len(batch_starts(DIGITS_TRAIN, 8)) == 135
    assert calm.steps_per_epoch == len(batch_starts(DIGITS_TRAIN, 256)) == 5
    assert noisy.samples_per_epoch == calm.samples_per_epoch == DIGITS_TRAIN
    # Measured: 1.3-1.5 against 0.15-0.22 (seeds 0-2); 1/sqrt(batch) predicts a factor of 5.7.
    assert calm.relative_noise < noisy.relative_noise / 3
    assert noisy.epochs == calm.epochs == 2
    for stats in (noisy, calm):
        assert stats.seconds_per_epoch > 0 and stats.samples_per_second > 0
        assert 0 <= stats.final_val_accuracy <= 1
        assert stats.loss_noise > 0 and stats.loss_mean > 0


def test_full_is_the_whole_training_part_in_one_step_per_epoch(make_experiment):
    experiment = make_experiment(data={"train_limit": 300}, training={"epochs": 2})
    assert training_part_size(experiment) == 300
    (variant,) = comparison_group(experiment, "batch_size", values=(FULL_BATCH,))
    assert variant.training.batch_size == 300
    assert variant.name == "test [full batch 300]"
    stats = measured(variant)
    assert (stats.steps_per_epoch, stats.samples_per_epoch) == (1, 300)
    assert stats.loss_noise is None and stats.relative_noise is None  # one batch: no spread
    assert size_label(stats) == "300 (full)"
    # Without a subset, "full" is the digits' whole training part.
    (whole,) = comparison_group(make_experiment(), "batch_size", values=(FULL_BATCH,))
    assert whole.training.batch_size == DIGITS_TRAIN


class FirstLosses(Callback):
    def __init__(self):
        self.losses = []

    def on_batch_end(self, progress):
        if progress.epoch == 1:
            self.losses.extend(progress.losses)


def test_every_size_starts_from_the_same_weights_and_sample_order(make_experiment):
    # A rate too small to move the weights: each batch's loss is then the initial model's
    # loss on that batch's samples, so two batches of 8 average to the first batch of 16
    # only if both runs start from the same weights and take the samples in the same order.
    experiment = make_experiment(optimizer={"name": "sgd", "lr": 1e-9}, training={"epochs": 1})
    eights, sixteen = FirstLosses(), FirstLosses()
    by_eight, by_sixteen = comparison_group(experiment, "batch_size", values=(8, 16))
    fit(by_eight, [eights], progress_interval_s=0.0, evaluate_test=False)
    fit(by_sixteen, [sixteen], progress_interval_s=0.0, evaluate_test=False)
    for k in range(4):
        pair = (eights.losses[2 * k] + eights.losses[2 * k + 1]) / 2
        assert sixteen.losses[k] == pytest.approx(pair, rel=1e-5)
    # ...and a different seed takes other samples first: the check can fail.
    other = FirstLosses()
    fit(by_sixteen.model_copy(update={"seed": 7}), [other], progress_interval_s=0.0)
    assert other.losses[0] != pytest.approx(sixteen.losses[0], rel=1e-5)


def test_the_torch_free_step_count_is_the_engines():
    for n in (1, 2, 3, 31, 32, 33, 300, 1077):
        for size in (1, 2, 8, 32, 256, 1077, 5000):
            assert batches_per_epoch(n, size) == len(batch_starts(n, size)), (n, size)


def test_values_are_read_in_order_with_full_in_any_case():
    assert parse_values("batch_size", "1, 32,256 ,Full") == (1, 32, 256, FULL_BATCH)
    assert parse_values("batch_size", "64") == (64,)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "0",
            "--values: '0' is not a mini-batch size; give whole numbers of at least 1, or "
            "'full' for the whole training part",
        ),
        ("8,-2", "--values: '-2' is not a mini-batch size"),
        ("1.5", "--values: '1.5' is not a mini-batch size"),
        ("half", "--values: 'half' is not a mini-batch size"),
        ("", "--values: give at least one value, separated by commas (e.g. 1,32,256,full)"),
        ("8,,16", "--values: an empty value in '8,,16'; separate values by commas"),
        ("8,full,8", "--values: 8 is listed twice"),
    ],
)
def test_bad_values_are_refused_in_one_line_naming_the_option(text, message):
    with pytest.raises(ValuesError) as refused:
        parse_values("batch_size", text)
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)
    assert not refused.value.detail.startswith("--values")  # the window's words


@pytest.mark.parametrize("by", ["optimizer", "init", "batchnorm"])
def test_axes_with_fixed_variants_take_no_values(make_experiment, by):
    with pytest.raises(ValuesError, match=f"--values: --by {by} compares fixed variants"):
        parse_values(by, "8")
    with pytest.raises(ValuesError):
        comparison_group(make_experiment(), by, values=(8,))


def test_a_size_the_experiment_cannot_take_is_refused_before_training(make_experiment):
    experiment = make_experiment(
        model={"layers": [{"type": "dense", "units": 8}, {"type": "batchnorm"}]}
    )
    with pytest.raises(ValuesError) as refused:
        comparison_group(experiment, "batch_size", values=(32, 1))
    assert str(refused.value) == (
        "--values: 1 cannot be used: training.batch_size: batch normalisation needs at least "
        "2 samples per batch"
    )


def test_the_default_sizes_are_the_issues(make_experiment):
    group = comparison_group(make_experiment(), "batch_size")
    assert [v.training.batch_size for v in group] == [1, 32, 256, DIGITS_TRAIN]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RSS peak: Linux only")
def test_the_peak_memory_is_each_runs_own():
    memory = PeakMemory("cpu")
    memory.start()
    assert memory.kind == "RSS"
    block = np.ones(40_000_000 // 8)  # 40 MB, written: resident
    assert memory.peak() >= 38_000_000
    del block
    # Restarted, the peak forgets the earlier block: the next run is not charged for it.
    memory.start()
    assert memory.peak() < 10_000_000


def test_the_table_has_a_row_per_run_in_order(make_experiment):
    from workbench.runs.session import train_and_record

    stats = BatchStats()
    # As the comparisons run it: the probes look inside the network after epoch 1 (360
    # validation samples, eval mode), which is neither training samples nor training time.
    train_and_record(make_experiment(training={"epochs": 2, "batch_size": 500}), None, [stats])
    assert stats.stats.samples_per_epoch == DIGITS_TRAIN
    lines = stats_table([stats.stats, stats.stats])
    assert lines[0].split() == [
        "mini-batch",
        "steps/epoch",
        "s/epoch",
        "samples/s",
        "peak",
        "memory",
        "loss",
        "std",
        "std/mean",
        "val",
        "acc",
    ]
    row = lines[1].split()
    assert len(lines) == 3 and row[:2] == ["500", "3"]  # 1077 samples: 500, 500, 77
    assert math.isclose(float(row[-1]), stats.stats.final_val_accuracy, abs_tol=5e-5)
