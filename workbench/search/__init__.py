"""Hyperparameter search on validation data: the search file, Optuna trials, results. No Qt.

`load_search(path)` or `build_spec(experiment, settings)` gives a checked `SearchSpec`;
`run_search(spec, store, ...)` runs or resumes it (trials in this thread or in worker
processes, recorded in the run store); `narrow(spec, trials)` proposes a finer space.
The test split is sealed in every trial: a search never reads it.
"""

from typing import TYPE_CHECKING, Any

from workbench.search.narrowing import narrow
from workbench.search.results import (
    TrialResult,
    best_of,
    best_trial,
    results_from_store,
    sort_trials,
    write_results,
)
from workbench.search.space import Param, SearchError, apply_values, check_path
from workbench.search.spec import (
    SearchSettings,
    SearchSpec,
    build_spec,
    load_search,
    search_from_dict,
    spec_from_json,
    spec_to_toml,
)

if TYPE_CHECKING:
    from workbench.search.runner import SearchOutcome, SearchProgress, run_search

__all__ = [
    "Param",
    "SearchError",
    "SearchOutcome",
    "SearchProgress",
    "SearchSettings",
    "SearchSpec",
    "TrialResult",
    "apply_values",
    "best_of",
    "best_trial",
    "build_spec",
    "check_path",
    "load_search",
    "narrow",
    "results_from_store",
    "run_search",
    "search_from_dict",
    "sort_trials",
    "spec_from_json",
    "spec_to_toml",
    "write_results",
]

_LAZY = {
    "SearchOutcome": "workbench.search.runner",
    "SearchProgress": "workbench.search.runner",
    "run_search": "workbench.search.runner",
}


def __getattr__(name: str) -> Any:
    # The runner pulls in the engine (torch); the window imports this package to draw its
    # Search tab before torch has loaded, so those names load on first use.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
