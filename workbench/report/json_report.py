"""The run report as JSON: the same keys from the window and from `workbench run`."""

from __future__ import annotations

import dataclasses
import json
import platform
from pathlib import Path
from typing import Any

from workbench import __version__
from workbench.config import Experiment
from workbench.core.events import RunResult


def environment(device: str) -> dict[str, str]:
    """The versions and device a run used, for reports and the run store."""
    import torch

    return {
        "workbench": __version__,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "device": device,
    }


def build_report(experiment: Experiment, result: RunResult) -> dict[str, Any]:
    """The report as plain data (see the README for its keys)."""
    report: dict[str, Any] = {
        "name": experiment.name,
        "status": str(result.status),
        "epochs_run": result.epochs_run,
        "best_epoch": result.best_epoch,
        "history": [
            {
                "epoch": m.epoch,
                "train_loss": m.train_loss,
                "train_accuracy": m.train_accuracy,
                "val_loss": m.val_loss,
                "val_accuracy": m.val_accuracy,
                "lr": m.lr,
                "seconds": m.seconds,
            }
            for m in result.history
        ],
        "test": dataclasses.asdict(result.test) if result.test is not None else None,
        "config": experiment.to_dict(),
        "environment": environment(result.device),
    }
    if result.error:
        report["error"] = result.error
    return report


def _finite_or_none(value: Any) -> Any:
    # JSON has no NaN or Infinity; a diverged run's losses are written as null.
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, dict):
        return {k: _finite_or_none(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite_or_none(v) for v in value]
    return value


def write_report(report: dict[str, Any], path: str | Path) -> Path:
    """Write the report as strict JSON, through a temporary file so a crash leaves no half file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(
        json.dumps(_finite_or_none(report), indent=2, allow_nan=False) + "\n", encoding="utf-8"
    )
    temporary.replace(path)
    return path
