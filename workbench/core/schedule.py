"""Learning-rate schedules from torch.optim.lr_scheduler, and the plan they will follow.

The preview in the window is made by stepping the very same scheduler on a throwaway
optimizer in the same order as the training loop does, so the planned curve is exactly the
live one (except for reduce-on-plateau, which depends on the validation loss).
"""

from __future__ import annotations

import torch
from torch.optim import lr_scheduler

from workbench.config import OptimizerConfig, ScheduleConfig

# Linear warm-up starts at this fraction of the learning rate.
WARMUP_START_FACTOR = 0.1


class LrSchedule:
    """Wraps the scheduler so the loop calls one method per batch and one per epoch."""

    def __init__(
        self,
        config: ScheduleConfig,
        optimizer: torch.optim.Optimizer,
        epochs: int,
        batches_per_epoch: int,
    ) -> None:
        self.config = config
        self._per_batch: lr_scheduler.LRScheduler | None = None
        self._per_epoch: lr_scheduler.LRScheduler | None = None
        self._plateau: lr_scheduler.ReduceLROnPlateau | None = None
        name = config.name
        if name == "onecycle":
            self._per_batch = lr_scheduler.OneCycleLR(
                optimizer,
                max_lr=[group["lr"] for group in optimizer.param_groups],
                total_steps=max(1, epochs * batches_per_epoch),
            )
            return
        if name == "plateau":
            self._plateau = lr_scheduler.ReduceLROnPlateau(
                optimizer,
                mode="min",
                factor=config.gamma,
                patience=config.patience,
                min_lr=config.min_lr,
            )
            return
        warmup = config.warmup_epochs
        main: lr_scheduler.LRScheduler | None
        if name == "step":
            main = lr_scheduler.StepLR(optimizer, step_size=config.step_size, gamma=config.gamma)
        elif name == "exponential":
            main = lr_scheduler.ExponentialLR(optimizer, gamma=config.gamma)
        elif name == "cosine":
            main = lr_scheduler.CosineAnnealingLR(
                optimizer, T_max=max(1, epochs - warmup), eta_min=config.min_lr
            )
        else:  # constant
            main = lr_scheduler.ConstantLR(optimizer, factor=1.0, total_iters=0) if warmup else None
        if warmup and main is not None:
            ramp = lr_scheduler.LinearLR(
                optimizer, start_factor=WARMUP_START_FACTOR, total_iters=warmup
            )
            main = lr_scheduler.SequentialLR(optimizer, [ramp, main], milestones=[warmup])
        self._per_epoch = main

    def after_batch(self) -> None:
        if self._per_batch is not None:
            self._per_batch.step()

    def after_epoch(self, val_loss: float | None) -> None:
        if self._per_epoch is not None:
            self._per_epoch.step()
        elif self._plateau is not None and val_loss is not None:
            self._plateau.step(val_loss)


def steps_per_epoch(schedule: ScheduleConfig, batches_per_epoch: int) -> int:
    """How often the schedule moves the rate in an epoch: one-cycle every batch, others once."""
    return batches_per_epoch if schedule.name == "onecycle" else 1


def planned_lr(
    schedule: ScheduleConfig, optimizer: OptimizerConfig, epochs: int, batches_per_epoch: int
) -> list[float]:
    """The learning rate each epoch will record, epoch 1 first (plateau: as if it never cut)."""
    parameter = torch.nn.Parameter(torch.zeros(1))
    throwaway = torch.optim.SGD([parameter], lr=optimizer.lr)
    plan = LrSchedule(schedule, throwaway, epochs, batches_per_epoch)
    rates = []
    # Only one-cycle steps per batch; the others need one optimizer step per epoch to keep
    # torch's "scheduler before optimizer" check quiet.
    steps = steps_per_epoch(schedule, batches_per_epoch)
    for _ in range(epochs):
        for _ in range(steps):
            throwaway.step()  # no gradient: changes nothing, keeps the scheduler's order check
            plan.after_batch()
        rates.append(float(throwaway.param_groups[0]["lr"]))
        plan.after_epoch(None)
    return rates
