"""The decision boundary of a model of 2-D data: its predicted class over a grid of the plane.

`evaluate_grid` asks a model, in eval mode and without gradients, for its prediction at every
cell centre of a grid laid over the data's raw 2-D extent (plus a margin): the inputs go
through the run's own `Preprocessing.apply`, as training's batches do, so the picture is the
model's answer to raw points a person could type in. The result is plain NumPy: the grid's
axes, the predicted class per cell and its confidence (the largest softmax probability).

`BoundaryCallback` does that during a run, on the training thread, from the run's own split
(`RunContext.split`: nothing is loaded again): before the first step, after epochs and within
long epochs at most every ~0.5 s (the window redraws no faster), and once more at the end with
the weights the run kept. That last grid is also the report's: the session takes it
(`kept_boundary`) rather than computing it again. All of it is for data of exactly 2 input
features (the built-in spiral, moons, circles, XOR and blobs, or a 2-column CSV); the callback
does nothing otherwise.

The test part is never read here: a run from the window explores on training and validation
data, and its test part stays sealed. The points shown are the training and validation parts'.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from workbench.core.boundary_types import (
    GRID_SIZE,
    MAX_POINTS,
    NO_CLASS,
    TRAIN,
    VALIDATION,
    BoundaryGrid,
    BoundaryPoints,
    frozen,
    grid_axes,
    grid_points,
    is_plane_data,
    plane_extent,
    sample_positions,
)
from workbench.core.events import (
    BatchProgress,
    Callback,
    EpochMetrics,
    RunContext,
    RunResult,
    RunStatus,
)
from workbench.core.look_budget import LookBudget
from workbench.data.preprocessing import Preprocessing
from workbench.data.split import Split
from workbench.errors import first_line

logger = logging.getLogger(__name__)

# The shortest wait between two grids (the window's curves redraw every 0.5 s too).
INTERVAL_S = 0.5
# All grids within the run may take this share of its time: with a large network or a slow
# machine they become rarer instead of slowing training. The first and the last are always
# computed.
MAX_COST_SHARE = 0.05


def evaluate_grid(
    model: nn.Module,
    preprocessing: Preprocessing,
    extent: tuple[float, float, float, float],
    size: int = GRID_SIZE,
    *,
    epoch: int = 0,
    step: int = 0,
    moment: str = "epoch",
) -> BoundaryGrid:
    """The model's predicted class and confidence over a `size` x `size` grid of `extent`.

    The model is put in eval mode for the pass (dropout off, batch norm from its running
    statistics, as validation sees it) and back in the mode it was in; no gradient is kept
    and no random number drawn, so a run that computes grids trains exactly as one that does
    not. The inputs go to the device of the model's parameters.
    """
    xs, ys = grid_axes(extent, size)
    inputs = preprocessing.apply(grid_points(xs, ys), in_place=True)
    parameter = next(model.parameters(), None)
    device = parameter.device if parameter is not None else torch.device("cpu")
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            logits = model(torch.from_numpy(inputs).to(device)).float()
            # The class is the argmax of the outputs themselves, as evaluation takes it (ties
            # of rounded probabilities cannot pick another class); softmax only for the shade.
            classes = logits.argmax(dim=1)
            confidence = torch.softmax(logits, dim=1).amax(dim=1)
            finite = torch.isfinite(logits).all(dim=1)
            classes = torch.where(finite, classes, torch.full_like(classes, NO_CLASS))
            confidence = torch.where(finite, confidence, torch.zeros_like(confidence))
            classes_np = classes.to(torch.int16).cpu().numpy()
            confidence_np = confidence.cpu().numpy()
    finally:
        model.train(was_training)
    shape = (len(ys), len(xs))
    return BoundaryGrid(
        xs=frozen(xs),
        ys=frozen(ys),
        classes=frozen(classes_np.reshape(shape)),
        confidence=frozen(confidence_np.astype(np.float32, copy=False).reshape(shape)),
        epoch=epoch,
        step=step,
        moment=moment,
    )


def plane_points(split: Split, class_names: tuple[str, ...]) -> BoundaryPoints:
    """The training and validation parts' raw points (a seeded sample of each, if large).

    The test part is not read: a run that explores leaves it sealed (core/holdout.py).
    """
    features, labels, parts = [], [], []
    for part, rows, y in (
        (TRAIN, split.train_rows, split.y_train),
        (VALIDATION, split.val_rows, split.y_val),
    ):
        chosen = sample_positions(len(rows), MAX_POINTS)
        features.append(np.asarray(split.features[rows[chosen]], dtype=np.float32))
        labels.append(np.asarray(y, dtype=np.int64)[chosen])
        parts.append(np.full(len(chosen), part, dtype=np.int8))
    return BoundaryPoints(
        features=frozen(np.concatenate(features).reshape(-1, 2)),
        labels=frozen(np.concatenate(labels)),
        parts=frozen(np.concatenate(parts)),
        class_names=tuple(class_names),
    )


def split_extent(split: Split) -> tuple[float, float, float, float]:
    """The grid's extent for a split: every training and validation point, plus the margin."""
    rows = np.concatenate([split.train_rows, split.val_rows])
    return plane_extent(split.features[rows])


class BoundaryCallback(Callback):
    """Computes the decision boundary during a run of 2-D data, on the training thread.

    Grids go to `on_grid` before the first step (`moment` "initial"), at epoch ends and within
    epochs (at most every `interval_s`, and only while all grids together stay within
    `max_cost_share` of the run's time) and once at the end with the weights the run kept
    ("final"). Without `on_grid` only the final grid is computed. That one is kept in `final`
    with the points. `on_points` gets the training and validation points once, at the start.
    For any other data it does nothing. A failure here is logged and turns the callback off:
    it is a view, and never ends a run.
    """

    def __init__(
        self,
        on_grid: Callable[[BoundaryGrid], None] | None = None,
        on_points: Callable[[BoundaryPoints], None] | None = None,
        *,
        size: int = GRID_SIZE,
        interval_s: float = INTERVAL_S,
        max_cost_share: float = MAX_COST_SHARE,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        """Set up; it looks at the data once the run begins.

        Args:
            on_grid: Called with each grid, in the training thread; None: no grid but the
                final one (for the report).
            on_points: Called once with the points to draw, in the training thread.
            size: Cells per side of the grid.
            interval_s: The shortest wait between two grids (but the first and the last).
            max_cost_share: The share of the run's time all grids may take.
            clock: Seconds, for the waits (tests pass a fake one).
        """
        self.budget = LookBudget(interval_s, max_cost_share, clock)
        grid_axes((0.0, 1.0, 0.0, 1.0), size)  # refuses a size below 2 now, not mid-run
        self.on_grid = on_grid
        self.on_points = on_points
        self.size = size
        self.grids = 0  # computed this run
        # The last run's final grid (the weights it kept) and its points; None until a run
        # of plane data has ended, or when the callback gave up before the end.
        self.final: tuple[BoundaryGrid, BoundaryPoints] | None = None
        self._model: nn.Module | None = None
        self._preprocessing: Preprocessing | None = None
        self._points: BoundaryPoints | None = None
        self._extent = (0.0, 1.0, 0.0, 1.0)
        self._step = 0
        self._epoch = 0

    @property
    def active(self) -> bool:
        """Whether this run's data are points of the plane (and nothing has failed)."""
        return self._model is not None

    @property
    def _live(self) -> bool:
        """Whether grids are wanted during the run, not only at its end."""
        return self._model is not None and self.on_grid is not None

    def on_train_begin(self, model: nn.Module, run: RunContext) -> None:
        self._model, self._points, self.final, self.grids = None, None, None, 0
        self._step = self._epoch = 0
        try:
            # The run's own split (sealed where the run must not look at its test part, which
            # is never read here): its training and validation points and the normalisation
            # fitted on them.
            split = run.split
            if split is None or not is_plane_data(split.preprocessing):
                return
            self._preprocessing = split.preprocessing
            self._extent = split_extent(split)
            self._points = plane_points(split, run.class_names)
            self._model = model
            self.budget.start()
            if self.on_points is not None:
                self.on_points(self._points)
            if self._live:
                self._take("initial")
        except Exception as error:  # a view must not end the run
            self._give_up(error)

    def on_batch_end(self, progress: BatchProgress) -> None:
        self._step, self._epoch = progress.step, progress.epoch
        if not self._live or progress.batch >= progress.batches:
            return  # the epoch's end follows at once
        if self.budget.due():
            self._take("batch")

    def on_epoch_end(self, metrics: EpochMetrics) -> None:
        self._epoch = metrics.epoch
        if self._live and self.budget.due():
            self._take("epoch")

    def on_train_end(self, result: RunResult) -> None:
        try:
            if self._model is not None and result.status != RunStatus.FAILED:
                # The engine has put the kept weights (the best epoch's, when restored) back
                # into the model before testing: this is the model the run hands on, and the
                # one its test metrics describe.
                self._epoch = result.weights_epoch or result.epochs_run
                self._take("final")
        except Exception as error:
            self._give_up(error)
        finally:
            # The model and the data go with the run.
            self._model = None

    def _take(self, moment: str) -> None:
        assert self._model is not None and self._preprocessing is not None
        try:
            started = self.budget.clock()
            grid = evaluate_grid(
                self._model,
                self._preprocessing,
                self._extent,
                self.size,
                epoch=self._epoch,
                step=self._step,
                moment=moment,
            )
            self.budget.spent(started)
            self.grids += 1
            if moment == "final" and self._points is not None:
                # Kept before the view is called: a view failing now does not cost the report.
                self.final = (grid, self._points)
            if self.on_grid is not None:
                self.on_grid(grid)
        except Exception as error:
            self._give_up(error)

    def _give_up(self, error: Exception) -> None:
        logger.warning(
            "decision boundary turned off: %s: %s", type(error).__name__, first_line(error)
        )
        self._model = None


def kept_boundary(
    final: tuple[BoundaryGrid, BoundaryPoints] | None, result: RunResult
) -> tuple[BoundaryGrid, BoundaryPoints] | None:
    """A finished run's decision boundary for its report (`BoundaryCallback.final`), or None.

    None unless the run ended with finite weights: a diverged model predicts NaN everywhere,
    and a report has nothing to draw of it (the live view still shows its grey grid).
    """
    if final is None or result.weights is None or result.status == RunStatus.FAILED:
        return None
    if not all(
        bool(torch.isfinite(w).all()) for w in result.weights.values() if w.is_floating_point()
    ):
        return None
    return final
