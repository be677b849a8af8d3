"""The training engine: `fit(config, callbacks, stop_token) -> RunResult`. No Qt here."""

from workbench.core.engine import fit
from workbench.core.events import (
    BatchProgress,
    Callback,
    ClassMetrics,
    EpochMetrics,
    RunResult,
    RunStatus,
    TestMetrics,
)

__all__ = [
    "BatchProgress",
    "Callback",
    "ClassMetrics",
    "EpochMetrics",
    "RunResult",
    "RunStatus",
    "TestMetrics",
    "fit",
]
