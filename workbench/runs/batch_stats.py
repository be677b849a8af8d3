"""What a run costs and how noisy its steps are: the numbers of a mini-batch size comparison.

`BatchStats` is a callback: `workbench compare --by batch_size` and the window's mini-batch
size comparison follow each run with one, so both show the same numbers, measured the same
way:

- time per epoch: the engine's own epoch time (`EpochMetrics.seconds`: the training and the
  validation pass), averaged over the epochs run;
- samples/s: training samples over the time of the training passes alone, from the first
  training forward of an epoch to its last batch (found with a forward pre-hook, so the
  validation pass and the work callbacks do between epochs are left out);
- peak memory: how far the run's memory rose above what the process held when training
  began (model and data already loaded, so what is left is what the batch size changes:
  activations, gradients, optimizer state). On the CPU that is the resident set (RSS): Linux
  lets a process restart its peak (`VmHWM`, reset through /proc/self/clear_refs), so each
  run's peak is its own; elsewhere it is not measured. The C heap's free pages are handed
  back first (glibc's malloc_trim), or memory an earlier, larger run freed would be reused
  unseen; and `warm_up` runs one short epoch before the first size, so the process's
  one-time set-up (5-7 MB here) does not count against it. Tensors allocated on the CPU do
  not pass Python's allocator, so tracemalloc would not see them. On CUDA, the peak of the
  tensors allocated (`torch.cuda.max_memory_allocated` after `reset_peak_memory_stats`);
- loss noise: the standard deviation of the per-batch training loss over the last complete
  epoch (every batch's loss: `BatchProgress.losses` misses none), and that as a share of the
  epoch's mean batch loss (`relative_noise`), the number to compare sizes by: the plain
  standard deviation follows the loss's level, and a size that has trained further (a small
  one: more steps an epoch) has small losses that can only vary a little. Measured on the
  digits example after 20 epochs: plain std 0.024 for size 8, 0.059 for size 256 (the
  opposite of the noise one sees in the curves), relative 115 % and 18 %. None with one batch;
- the final (last epoch's) validation accuracy.
"""

from __future__ import annotations

import ctypes
import math
import statistics
import sys
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.events import BatchProgress, Callback, EpochMetrics, RunContext, RunResult
from workbench.i18n import N_, _

if TYPE_CHECKING:
    from torch import nn

    from workbench.config import Experiment
    from workbench.core.engine import StopToken

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


@dataclass(frozen=True)
class BatchSizeStats:
    """One run's cost and noise, for a row of the mini-batch size table."""

    batch_size: int
    steps_per_epoch: int
    samples_per_epoch: int  # samples trained in an epoch (a last batch of one is skipped)
    epochs: int  # epochs completed
    seconds_per_epoch: float | None  # None: no epoch completed
    samples_per_second: float | None
    peak_memory: int | None  # bytes above the run's start; None: not measured here
    memory_kind: str  # "RSS" (the process, CPU) or "CUDA" (allocated tensors); "" if none
    loss_noise: float | None  # std of the last complete epoch's batch losses
    loss_mean: float | None  # their mean: a loss near 0 can only vary a little
    final_val_accuracy: float | None

    @property
    def relative_noise(self) -> float | None:
        """The loss noise as a share of the mean loss (sizes that ended at different losses)."""
        if self.loss_noise is None or not self.loss_mean:
            return None
        return self.loss_noise / self.loss_mean


def _return_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc's `malloc_trim`).

    What an earlier run freed stays in the process (and in its RSS) for reuse: a run after a
    larger one would then look free of cost. Trimmed, each run's rise above its start is its own.
    """
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, OSError):  # not glibc (musl has no malloc_trim)
        pass


def _status_kib(field: str) -> int | None:
    """A line of /proc/self/status in KiB (`VmRSS`, `VmHWM`); None where there is none."""
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


class PeakMemory:
    """The peak memory of a stretch of work, above what was in use when it began."""

    def __init__(self, device: str) -> None:
        self.device = device
        self.kind = ""
        self._start = 0

    def start(self) -> None:
        if self.device.startswith("cuda"):
            import torch

            torch.cuda.synchronize(self.device)
            torch.cuda.reset_peak_memory_stats(self.device)
            self._start = torch.cuda.memory_allocated(self.device)
            self.kind = "CUDA"
            return
        if not sys.platform.startswith("linux"):
            return
        _return_free_memory()
        rss = _status_kib("VmRSS")
        if rss is None:
            return
        try:
            # "5" restarts the peak (VmHWM) from the current RSS and changes nothing else;
            # without it, a later run's peak would hide under an earlier, larger one.
            _CLEAR_REFS.write_text("5")
        except OSError:
            return
        self._start = rss * 1024
        self.kind = "RSS"

    def peak(self) -> int | None:
        """Bytes at the highest point since `start`, above the start; None: not measured."""
        if self.kind == "CUDA":
            import torch

            return max(0, torch.cuda.max_memory_allocated(self.device) - self._start)
        if self.kind == "RSS":
            hwm = _status_kib("VmHWM")
            return None if hwm is None else max(0, hwm * 1024 - self._start)
        return None


class BatchStats(Callback):
    """Measures a run's time per epoch, samples/s, peak memory and per-batch loss noise.

    Runs in the training thread; `stats` is set when the run ends (None before, or when it
    failed before training began), to be read once the run's thread has finished.
    """

    def __init__(self, clock=time.perf_counter) -> None:
        self.clock = clock
        self.stats: BatchSizeStats | None = None
        self._hook: Any = None
        self._memory: PeakMemory | None = None

    def on_train_begin(self, model: nn.Module, run: RunContext) -> None:
        import torch

        self._grad_enabled = torch.is_grad_enabled
        self.stats = None
        self._batch_size = run.experiment.training.batch_size
        self._steps = run.batches_per_epoch
        self._epoch_seconds: list[float] = []
        self._train_seconds = 0.0
        self._trained_samples = 0
        self._samples_per_epoch = 0
        self._epoch_start: float | None = None
        self._epoch_samples = 0
        self._losses: list[float] = []
        self._last_losses: list[float] = []
        self._val_accuracy: float | None = None
        self._peak: int | None = None
        self._hook = model.register_forward_pre_hook(self._before_forward)
        self._memory = PeakMemory(run.device)
        self._memory.start()

    def _before_forward(self, module: nn.Module, args: tuple) -> None:
        # Training batches only: validation and the probes' looks run in eval mode, without
        # gradients.
        if not module.training or not self._grad_enabled():
            return
        if self._epoch_start is None:
            self._epoch_start = self.clock()
        self._epoch_samples += int(args[0].shape[0])

    def on_batch_end(self, progress: BatchProgress) -> None:
        self._losses.extend(progress.losses)
        if progress.batch < progress.batches:
            return
        # The epoch's last batch: its losses came to the CPU for this event, so the device
        # has finished the epoch's work (the time is honest on CUDA too).
        if self._epoch_start is not None:
            self._train_seconds += self.clock() - self._epoch_start
            self._trained_samples += self._epoch_samples
            self._samples_per_epoch = self._epoch_samples
        self._last_losses, self._losses = self._losses, []
        self._epoch_start, self._epoch_samples = None, 0

    def on_epoch_end(self, metrics: EpochMetrics) -> None:
        self._epoch_seconds.append(metrics.seconds)
        self._val_accuracy = metrics.val_accuracy
        if self._memory is not None:
            self._peak = self._memory.peak()

    def on_train_end(self, result: RunResult) -> None:
        if self._hook is None:  # the run failed before training began
            return
        self._hook.remove()
        self._hook = None
        epochs = len(self._epoch_seconds)
        self.stats = BatchSizeStats(
            batch_size=self._batch_size,
            steps_per_epoch=self._steps,
            samples_per_epoch=self._samples_per_epoch,
            epochs=epochs,
            seconds_per_epoch=sum(self._epoch_seconds) / epochs if epochs else None,
            samples_per_second=(
                self._trained_samples / self._train_seconds if self._train_seconds > 0 else None
            ),
            peak_memory=self._peak,
            memory_kind=self._memory.kind if self._memory is not None else "",
            loss_noise=_std(self._last_losses),
            loss_mean=statistics.fmean(self._last_losses) if self._last_losses else None,
            final_val_accuracy=self._val_accuracy,
        )


def _std(values: list[float]) -> float | None:
    """The sample standard deviation; NaN when a loss is not finite; None for one value."""
    if len(values) < 2:
        return None
    if not all(math.isfinite(value) for value in values):
        return math.nan  # statistics.stdev raises on infinity
    return statistics.stdev(values)


_warmed_up = False


def is_warmed_up() -> bool:
    """Whether `warm_up` has run in this process (a second one would change nothing)."""
    return _warmed_up


def warm_up(group: Sequence[Experiment], stop_token: StopToken | None = None) -> None:
    """Pay the process's one-time costs before the first measured run, once per process.

    The first training run of a process also pays for what torch and the workbench set up
    lazily (measured here: 5-7 MB of RSS on the digits), which would count against whichever
    size comes first. One epoch of the group's largest size (the fewest steps), unrecorded and
    untested, pays it; the measured runs are not changed by it (each seeds itself anew).
    """
    global _warmed_up
    if _warmed_up or not group:
        return
    from workbench.runs.session import train_and_record

    largest = max(group, key=lambda variant: variant.training.batch_size)
    training = largest.training.model_copy(update={"epochs": 1})
    schedule = largest.schedule.model_copy(update={"warmup_epochs": 0})
    train_and_record(
        largest.model_copy(update={"training": training, "schedule": schedule}),
        None,
        stop_token=stop_token,
        evaluate_test=False,
    )
    _warmed_up = True


def batches_per_epoch(n_samples: int, batch_size: int) -> int:
    """The steps an epoch of `n_samples` takes, as `workbench.core.engine.batch_starts` cuts.

    Without torch, for the window's dialog while torch may still be loading; a test holds it
    to the engine's rule (a last batch of one sample is skipped).
    """
    batches = -(-n_samples // batch_size)
    return batches - 1 if n_samples > 1 and n_samples % batch_size == 1 else batches


def size_label(stats: BatchSizeStats) -> str:
    """The mini-batch size as the table shows it: "32", or "1077 (full)" for one batch."""
    whole = stats.steps_per_epoch == 1 and stats.batch_size >= stats.samples_per_epoch > 0
    if whole:
        return _("{samples} (full)").format(samples=stats.samples_per_epoch)
    return str(stats.batch_size)


def memory_text(stats: BatchSizeStats) -> str:
    """The peak memory as "+1.4 MB" (above the run's start), or "–" where not measured."""
    from workbench.data.memory import size_text

    return "–" if stats.peak_memory is None else f"+{size_text(stats.peak_memory)}"


def _number(value: float | None, form: str) -> str:
    return "–" if value is None else format(value, form)


# The columns of the table, for the command line (the window has its own, Qt's), in English;
# `stats_table` shows them in the current language.
COLUMNS = (
    N_("mini-batch"),
    N_("steps/epoch"),
    N_("s/epoch"),
    N_("samples/s"),
    N_("peak memory"),
    N_("loss std"),
    N_("std/mean"),
    N_("val acc"),
)


def _width(text: str) -> int:
    """The columns `text` takes in a terminal: kanji and kana take two, other letters one."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _rjust(text: str, width: int) -> str:
    return " " * (width - _width(text)) + text


def stats_table(rows: Sequence[BatchSizeStats]) -> list[str]:
    """The mini-batch size table as lines of text, one row per run, in the runs' order."""
    table = [tuple(_(column) for column in COLUMNS)] + [
        (
            size_label(stats),
            f"{stats.steps_per_epoch:,}",
            _number(stats.seconds_per_epoch, ".3f"),
            _number(stats.samples_per_second, ",.0f"),
            memory_text(stats),
            _number(stats.loss_noise, ".4f"),
            _number(stats.relative_noise, ".0%"),
            _number(stats.final_val_accuracy, ".4f"),
        )
        for stats in rows
    ]
    widths = [max(_width(row[column]) for row in table) for column in range(len(COLUMNS))]
    return [
        "  ".join(_rjust(cell, width) for cell, width in zip(row, widths, strict=True))
        for row in table
    ]


# What the peak memory column measured, by the kinds of memory the runs measured: a whole
# definition each, for `describe_measures`.
_MEMORY = {
    "CUDA": N_("the peak of CUDA memory allocated, above what it held when training began"),
    "RSS": N_("the process's peak resident memory (RSS), above what it held when training began"),
    "": N_("not measured on this system"),
    "both": N_(
        "RSS on the CPU, allocated CUDA memory on the GPU, above what it held when training began"
    ),
}


def describe_measures(rows: Sequence[BatchSizeStats]) -> str:
    """What each column measured, one line (the memory's kind depends on the device)."""
    kinds = {stats.memory_kind for stats in rows}
    memory = _MEMORY[kinds.pop() if len(kinds) == 1 else "both"]
    return _(
        "(s/epoch: mean time of an epoch, training and validation; samples/s: training "
        "passes alone; peak memory: {memory}; loss std: standard deviation of the "
        "per-batch training loss in the last epoch, std/mean: as a share of its mean; "
        "val acc: the last epoch's)"
    ).format(memory=_(memory))
