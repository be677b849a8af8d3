"""The training engine: `fit(config, callbacks, stop_token) -> RunResult`. No Qt here."""

from typing import TYPE_CHECKING, Any

from workbench.core.events import (
    BatchProgress,
    Callback,
    ClassMetrics,
    EpochMetrics,
    RunContext,
    RunResult,
    RunStatus,
    TestMetrics,
)

__all__ = [
    "BatchProgress",
    "Callback",
    "ClassMetrics",
    "EpochMetrics",
    "RunContext",
    "RunResult",
    "RunStatus",
    "TestMetrics",
    "fit",
]

if TYPE_CHECKING:
    from workbench.core.engine import fit


def __getattr__(name: str) -> Any:
    # `fit` imports torch (1.5 s or more): the window imports this package to show itself and
    # loads torch after, in a thread (workbench/ui/warmup.py), so it is imported on first use.
    if name == "fit":
        from workbench.core.engine import fit

        return fit
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
