"""When a live view may look at the model again: its waits and its share of the run's time.

The probes (core/probes.py) and the decision boundary (core/boundary.py) both look at the model
from the training thread while it trains. Each look costs training time, so both follow the
same rule: at least `interval_s` between looks, and all looks together within
`max_cost_share` of the time since the run began, a look being expected to cost what the
last one did.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable


class LookBudget:
    """Counts what looks cost and says whether another fits; `start` at each run's begin."""

    def __init__(
        self,
        interval_s: float,
        max_cost_share: float,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        if not 0 < max_cost_share <= 1:
            raise ValueError(f"max_cost_share must be in (0, 1], got {max_cost_share}")
        self.interval_s = interval_s
        self.max_cost_share = max_cost_share
        self.clock = clock
        # Set again by `start` (which reads the clock: not here, a fake clock counts its reads).
        self._began = 0.0
        self._spent = 0.0  # seconds spent looking
        self._last_cost = 0.0
        self._last_end = -math.inf

    def start(self) -> None:
        """A run begins now: nothing spent yet, and the first look is due at once."""
        self._began = self.clock()
        self._spent = 0.0  # seconds spent looking
        self._last_cost = 0.0
        self._last_end = -math.inf

    def count_from_now(self) -> None:
        """Looks so far leave the share (a look before training began); the wait stays.

        The last look's cost stays too: the estimate of what the next will cost.
        """
        self._began = self.clock()
        self._spent = 0.0

    def due(self, looks: int = 1) -> bool:
        """Whether `looks` more looks (each costing what the last did) fit now."""
        now = self.clock()
        if now - self._last_end < self.interval_s:
            return False
        return self._fits(looks, now)

    def affordable(self, looks: int = 1) -> bool:
        """Whether `looks` more looks fit the share of the run's time, however recent the last."""
        return self._fits(looks, self.clock())

    def _fits(self, looks: int, now: float) -> bool:
        if self.max_cost_share >= 1:
            return True  # the whole run's time: no limit (tests that want every look)
        return self._spent + looks * self._last_cost <= self.max_cost_share * (now - self._began)

    def spent(self, started: float) -> None:
        """A look that began at `started` (by `clock`) has just ended."""
        ended = self.clock()
        self._last_cost, self._last_end = ended - started, ended
        self._spent += self._last_cost
