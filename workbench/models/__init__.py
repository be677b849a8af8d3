"""Building PyTorch models from the experiment's layer list (no Qt).

The names are imported from `workbench.models.builder` on first use: it imports torch, and the
window shows itself (with the presets of `workbench.models.presets`) before torch has loaded.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    if name in __all__:
        from workbench.models import builder

        return getattr(builder, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
