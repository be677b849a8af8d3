"""Narrow: a smaller search space around the best trials (coarse-to-fine search).

A first random search over four decades of learning rate shows where the good trials are; the
next search should spend its trials there. For each numeric parameter the new range is the
span of the top trials' values, widened a little (in log space for log ranges) and kept inside
the old range; a choice keeps the choices the top trials used.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from workbench.search.results import TrialResult, sort_trials
from workbench.search.space import Param, SearchError
from workbench.search.spec import SearchSpec, build_spec


def top_trials(
    trials: Sequence[TrialResult], metric: str, top_fraction: float
) -> list[TrialResult]:
    """The best `top_fraction` of the trials that ran to their end (at least one)."""
    scored = sort_trials([t for t in trials if t.scored], metric)
    if not scored:
        raise SearchError("narrow: no trial has finished with a score yet")
    return scored[: max(1, math.ceil(len(scored) * top_fraction))]


def _narrow_range(param: Param, seen: list[float], widen: float) -> Param:
    low, high = float(param.low or 0), float(param.high or 0)
    to: Callable[[float], float] = math.log if param.is_log else float
    back: Callable[[float], float] = math.exp if param.is_log else float
    # The margin is a share of the old range: a single best trial still leaves room around it.
    margin = widen * (to(high) - to(low))
    new_low = max(low, back(to(min(seen)) - margin))
    new_high = min(high, back(to(max(seen)) + margin))
    if param.kind == "int":
        step = param.step or 1
        base = int(param.low or 0)
        # Outward to the step grid, so the best values stay inside.
        start = base + math.floor(round(new_low - base, 9) / step) * step
        stop = base + math.ceil(round(new_high - base, 9) / step) * step
        return param.model_copy(update={"low": max(start, base), "high": min(stop, int(high))})
    # Rounded for a readable file, outward so the best values stay inside the range.
    new_low = max(low, _round(new_low, math.floor))
    new_high = min(high, _round(new_high, math.ceil))
    return param.model_copy(update={"low": new_low, "high": new_high})


def _round(value: float, direction: Any) -> float:
    if value == 0:
        return 0.0
    scale = 10 ** (math.floor(math.log10(abs(value))) - 3)  # four significant digits
    return direction(value / scale) * scale


def narrow(
    spec: SearchSpec,
    trials: Sequence[TrialResult],
    top_fraction: float = 0.2,
    widen: float = 0.1,
) -> SearchSpec:
    """A new spec whose space surrounds the best trials; everything else stays.

    Args:
        spec: The search that ran.
        trials: Its trials (`results_from_study` or `results_from_store`).
        top_fraction: The share of finished trials to narrow around (the best 20%).
        widen: How much room to leave around them, as a share of the old range on each side
            (in log space for log ranges).

    Raises:
        SearchError: no trial has finished with a score.
    """
    if not 0 < top_fraction <= 1:
        raise SearchError("narrow: top_fraction must be above 0 and at most 1")
    if widen < 0:
        raise SearchError("narrow: widen must be 0 or more")
    top = top_trials(trials, spec.search.metric, top_fraction)
    space: dict[str, Param] = {}
    for path, param in spec.search.space.items():
        seen = [t.values[path] for t in top if t.values.get(path) is not None]
        if not seen:
            space[path] = param
        elif param.kind == "choice":
            kept = tuple(v for v in param.values if any(_same(v, s) for s in seen))
            space[path] = param.model_copy(update={"values": kept or param.values})
        else:
            space[path] = _narrow_range(param, [float(v) for v in seen], widen)
    settings = spec.search.model_copy(update={"space": space})
    # Rebuilt through the checks: the narrowed spec is as valid as a file's.
    return build_spec(spec.base, settings.model_dump(), name=spec.name, source="narrow")


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b
