"""The search's two pictures: trials over two chosen settings, and the best trials' curves.

The scatter puts each trial at its values of two settings (log axes where the range is log,
choices as named positions), coloured by its validation score, darker for better. Pruned
trials are grey rings, failed or diverged ones red crosses: where not to look. The curves
overlay the validation metric, epoch by epoch, of the best N trials ("the best 20 of 100").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from workbench.search.results import TrialResult
from workbench.search.space import Param
from workbench.ui.live_plot import EpochAxis, ReadableAxis

_COLOURS = pg.colormap.get("viridis")
# Viridis from its dark end to its middle only: past about 0.6 it turns light green, then yellow,
# under 3:1 against the white background (the best trial used to be the faintest yellow).
_DARKEST, _LIGHTEST = 0.0, 0.55
_PRUNED = pg.mkBrush(170, 170, 170, 120)
_FAILED = pg.mkBrush(200, 40, 40)


def _metric_label(metric: str) -> str:
    if metric == "val_loss":
        return QCoreApplication.translate("SearchPlots", "validation loss")
    return QCoreApplication.translate("SearchPlots", "validation accuracy")


def _shades(shares: Sequence[float] | np.ndarray) -> list:
    """QColors for scores scaled to 0 (worst) .. 1 (best): the best darkest."""
    share = np.clip(np.asarray(shares, dtype=float), 0.0, 1.0)
    return _COLOURS.map(_LIGHTEST - (_LIGHTEST - _DARKEST) * share, mode="qcolor")


def _positions(param: Param, values: Sequence[Any]) -> tuple[np.ndarray, list | None]:
    """Numbers to plot for a setting's values, and tick labels when they are choices."""
    if param.kind != "choice":
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float), None
    labels = [str(choice) for choice in param.values]
    index = {str(choice): i for i, choice in enumerate(param.values)}
    numbers = np.array([index.get(str(v), np.nan) for v in values], dtype=float)
    return numbers, list(enumerate(labels))


class TrialScatter(pg.PlotWidget):
    """Each trial at (x setting, y setting), coloured by its score."""

    def __init__(self, parent: QWidget | None = None) -> None:
        # ReadableAxis: a log axis over a few close trials labelled every minor tick, on top
        # of each other.
        super().__init__(
            parent,
            background="w",
            axisItems={"bottom": ReadableAxis("bottom"), "left": ReadableAxis("left")},
        )
        self.setObjectName("searchScatter")
        self.showGrid(x=True, y=True, alpha=0.2)
        # Settings' own numbers on the axes: "1e-05", not "0.01" with "(x0.001)" in the label.
        for axis in ("bottom", "left"):
            self.getAxis(axis).enableAutoSIPrefix(False)
        self._scored = pg.PlotDataItem(pen=None, symbol="o", symbolSize=9, symbolPen=None)
        self._pruned = pg.PlotDataItem(
            pen=None, symbol="o", symbolSize=8, symbolBrush=_PRUNED, symbolPen=pg.mkPen("#888")
        )
        self._failed = pg.PlotDataItem(
            pen=None, symbol="x", symbolSize=9, symbolBrush=_FAILED, symbolPen=None
        )
        for item in (self._pruned, self._failed, self._scored):
            self.addItem(item)
        self.points: dict[str, np.ndarray] = {}  # what is drawn, by kind (for tests)

    def show_trials(
        self,
        trials: Sequence[TrialResult],
        x: tuple[str, Param],
        y: tuple[str, Param] | None,
        metric: str,
    ) -> None:
        """Draw `trials` over the settings `x` and `y` (None: the score on the y axis)."""
        x_path, x_param = x
        xs, x_ticks = _positions(x_param, [t.values.get(x_path) for t in trials])
        if y is not None:
            y_path, y_param = y
            ys, y_ticks = _positions(y_param, [t.values.get(y_path) for t in trials])
            y_log = y_param.is_log
        else:
            y_path, y_ticks, y_log = _metric_label(metric), None, False
            ys = np.array([np.nan if t.best_value is None else t.best_value for t in trials])
        self.setLogMode(x=x_param.is_log, y=y_log)
        self.setLabel("bottom", x_path)
        self.setLabel("left", y_path)
        self.getAxis("bottom").setTicks([x_ticks] if x_ticks else None)
        self.getAxis("left").setTicks([y_ticks] if y_ticks else None)

        scored = np.array([t.scored for t in trials], dtype=bool)
        failed = np.array([t.status in ("failed", "diverged") for t in trials], dtype=bool)
        pruned = ~scored & ~failed & np.array([t.status != "running" for t in trials], dtype=bool)
        finite = np.isfinite(xs) & np.isfinite(ys)
        scores = np.array([t.best_value if t.scored else np.nan for t in trials], dtype=float)
        brushes = self._brushes(scores[scored & finite], metric)
        self.points = {
            "scored": np.column_stack([xs, ys])[scored & finite],
            "pruned": np.column_stack([xs, ys])[pruned & finite],
            "failed": np.column_stack([xs, ys])[failed & finite],
        }
        scored_points = self.points["scored"]
        self._scored.setData(scored_points[:, 0], scored_points[:, 1], symbolBrush=brushes)
        for item, kind in ((self._pruned, "pruned"), (self._failed, "failed")):
            item.setData(self.points[kind][:, 0], self.points[kind][:, 1])

    @staticmethod
    def _brushes(scores: np.ndarray, metric: str) -> list:
        if scores.size == 0:
            return []
        low, high = float(scores.min()), float(scores.max())
        share = (scores - low) / (high - low) if high > low else np.ones_like(scores)
        if metric == "val_loss":
            share = 1.0 - share  # a lower loss is better: darker
        return [pg.mkBrush(colour) for colour in _shades(share)]


class BestCurves(pg.PlotWidget):
    """The validation metric per epoch of the best trials, the best one drawn thickest."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            parent,
            background="w",
            axisItems={"bottom": EpochAxis("bottom"), "left": ReadableAxis("left")},
        )
        self.setObjectName("searchCurvesPlot")
        self.showGrid(x=True, y=True, alpha=0.2)
        # Accuracies as 0.85, not "850 (x0.001)".
        self.getAxis("left").enableAutoSIPrefix(False)
        self.setLabel("bottom", self.tr("epoch"))
        self.shown: list[int] = []  # trial numbers drawn, best first (for tests)

    def show_curves(self, trials: Sequence[TrialResult], metric: str, count: int = 20) -> None:
        """Overlay the curves of the best `count` scored trials (`trials` sorted best first)."""
        self.clear()
        self.setLabel("left", _metric_label(metric))
        best = [t for t in trials if t.scored and t.history][:count]
        self.shown = [t.number for t in best]
        for rank, trial in reversed(list(enumerate(best))):  # the best drawn last, on top
            epochs = [entry["epoch"] for entry in trial.history]
            values = [entry.get(metric) for entry in trial.history]
            values = [np.nan if v is None else v for v in values]
            share = 1.0 - rank / max(1, len(best) - 1) if len(best) > 1 else 1.0
            colour = _shades([share])[0]
            self.plot(epochs, values, pen=pg.mkPen(colour, width=3 if rank == 0 else 1))
