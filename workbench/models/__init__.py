"""Building PyTorch models from the experiment's layer list (no Qt)."""

from workbench.models.builder import build_model, count_parameters

__all__ = ["build_model", "count_parameters"]
