"""Choosing the torch device an experiment asked for."""

from __future__ import annotations

import torch

from workbench.config import ExperimentError


def cuda_available() -> bool:
    return torch.cuda.is_available()


def resolve_device(requested: str) -> torch.device:
    """`auto` takes CUDA when present; `cuda` where there is none is an error, never a fallback."""
    if requested == "auto":
        return torch.device("cuda" if cuda_available() else "cpu")
    if requested == "cuda" and not cuda_available():
        raise ExperimentError(
            "training.device: 'cuda' was asked for but no CUDA device is available "
            "(use 'auto' or 'cpu')"
        )
    return torch.device(requested)
