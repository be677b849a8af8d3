"""Choosing the torch device an experiment asked for, and naming the ones present."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.config import ExperimentError
from workbench.i18n import _

if TYPE_CHECKING:
    import torch

# torch is imported inside each function: the window imports this module before torch has
# loaded (it loads in a thread once the window is up, see workbench/ui/warmup.py).


def cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


def mps_available() -> bool:
    import torch

    backend = getattr(torch.backends, "mps", None)
    return bool(backend and backend.is_available())


def available_devices() -> list[tuple[str, str]]:
    """(config value, human name) of every device this machine can train on, CPU first."""
    import torch

    devices = [("cpu", "CPU")]
    if cuda_available():
        for index in range(torch.cuda.device_count()):
            devices.append((f"cuda:{index}", f"CUDA {index}: {torch.cuda.get_device_name(index)}"))
    if mps_available():
        devices.append(("mps", "Apple MPS"))
    return devices


def resolve_device(requested: str) -> torch.device:
    """`auto` takes CUDA when present; a device that is not there is an error, never a fallback."""
    import torch

    if requested == "auto":
        return torch.device("cuda" if cuda_available() else "cpu")
    if requested.startswith("cuda"):
        if not cuda_available():
            raise ExperimentError(
                "training.device: "
                + _(
                    "{device} was asked for but no CUDA device is available (use 'auto' or 'cpu')"
                ).format(device=repr(requested))
            )
        index = int(requested.partition(":")[2] or 0)
        if index >= torch.cuda.device_count():
            raise ExperimentError(
                "training.device: "
                + _("{device} does not exist; this machine has {count} CUDA device(s)").format(
                    device=repr(requested), count=torch.cuda.device_count()
                )
            )
    if requested == "mps" and not mps_available():
        raise ExperimentError(
            "training.device: " + _("'mps' was asked for but Apple MPS is not available")
        )
    return torch.device(requested)
