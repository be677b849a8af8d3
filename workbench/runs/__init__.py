"""The run history: every run recorded as it goes in a local SQLite store (no Qt)."""

from workbench.runs.recorder import RunRecorder
from workbench.runs.store import RunRecord, RunStore, StoreError, default_data_dir

__all__ = ["RunRecord", "RunRecorder", "RunStore", "StoreError", "default_data_dir"]
