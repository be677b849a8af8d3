"""Building PyTorch models from the experiment's layer list (no Qt)."""

from workbench.models.builder import (
    LayerPlan,
    ModelPlan,
    ModelShapeError,
    build_model,
    count_parameters,
    plan_model,
)

__all__ = [
    "LayerPlan",
    "ModelPlan",
    "ModelShapeError",
    "build_model",
    "count_parameters",
    "plan_model",
]
