"""What a look inside the network records: plain NumPy arrays and floats, nothing on a device.

The probes (core/probes.py) produce these; the run doctor (core/doctor.py), the run store,
the reports and the window's Inside tab read them. Frozen, so a snapshot handed to the
window's thread can never change under it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Histogram:
    """Counts over fixed bins: `edges` has one more entry than `counts`."""

    edges: np.ndarray  # float64, increasing
    counts: np.ndarray  # int64

    @property
    def total(self) -> int:
        return int(self.counts.sum())


@dataclass(frozen=True)
class LayerProbe:
    """One hidden layer at one moment of the run.

    `name` is the layer as the model builder lists it ("2 dense (sigmoid)"); `activation` the
    function whose outputs `activations` counts ("sigmoid", "relu", ..., "none").
    """

    name: str
    activation: str
    activations: Histogram  # the layer's outputs after its activation, on the probe batch
    mean: float
    std: float
    # ReLU family: the share of units that gave 0 for every probe sample. None elsewhere.
    dead_share: float | None
    # sigmoid / tanh: the share of outputs within 1 % of a bound of the range. None elsewhere.
    saturated_share: float | None
    weights: Histogram | None  # the layer's weight matrix (None: a layer without weights)
    # From the last training batch before the snapshot; None at epoch 0 (nothing trained yet).
    grad_norm: float | None  # L2 norm of the weight gradient
    # ||W_now - W_before|| / ||W_before||, W_before the weights at the last epoch's snapshot
    # (epoch 0 included): over the epoch, however many looks were taken within it.
    update_ratio: float | None
    # The weight gradient's entries as log10 |g| (edges in log10 units, fixed for every layer:
    # vanishing gradients shift left layer by layer). None at epoch 0, like grad_norm.
    gradients: Histogram | None = None


@dataclass(frozen=True)
class ProbeSnapshot:
    """Every hidden layer at one moment: `epoch` 0 is at initialisation, before any step."""

    epoch: int
    step: int  # batches trained so far in the whole run
    layers: tuple[LayerProbe, ...]
    final: bool = True  # False: taken within an epoch (a long epoch's intermediate look)


# -- plain data, for the run store and report.json ---------------------------------------------
# Histograms keep their edges as given (a few dozen floats) and counts as integers; a whole
# snapshot of five layers is a few kilobytes of JSON, and compresses well where it is stored.


def _histogram_dict(histogram: Histogram | None) -> dict[str, list] | None:
    if histogram is None:
        return None
    return {
        "edges": [round(float(e), 6) for e in histogram.edges],
        "counts": [int(c) for c in histogram.counts],
    }


def _histogram_from(data: Any) -> Histogram | None:
    if data is None:
        return None
    edges = np.asarray(data["edges"], dtype=np.float64)
    counts = np.asarray(data["counts"], dtype=np.int64)
    if edges.ndim != 1 or counts.shape != (edges.size - 1,):
        raise ValueError("histogram: edges must have one more entry than counts")
    return Histogram(edges, counts)


def snapshot_to_dict(snapshot: ProbeSnapshot) -> dict[str, Any]:
    """The snapshot as JSON-ready data (`snapshot_from_dict` reads it back)."""
    return {
        "epoch": snapshot.epoch,
        "step": snapshot.step,
        "final": snapshot.final,
        "layers": [
            {
                "name": layer.name,
                "activation": layer.activation,
                "activations": _histogram_dict(layer.activations),
                "mean": _finite_or_none(layer.mean),
                "std": _finite_or_none(layer.std),
                "dead_share": _finite_or_none(layer.dead_share),
                "saturated_share": _finite_or_none(layer.saturated_share),
                "weights": _histogram_dict(layer.weights),
                "grad_norm": _finite_or_none(layer.grad_norm),
                "update_ratio": _finite_or_none(layer.update_ratio),
                "gradients": _histogram_dict(layer.gradients),
            }
            for layer in snapshot.layers
        ],
    }


def _finite_or_none(value: float | None) -> float | None:
    # JSON has no NaN or infinity (a diverged run's statistics): they are written as null.
    return None if value is None or not math.isfinite(value) else float(value)


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def snapshot_from_dict(data: dict[str, Any]) -> ProbeSnapshot:
    """A snapshot from `snapshot_to_dict`'s data; ValueError/KeyError/TypeError if malformed."""
    layers = []
    for item in data["layers"]:
        activations = _histogram_from(item["activations"])
        if activations is None:
            raise ValueError("layer without an activation histogram")
        layers.append(
            LayerProbe(
                name=str(item["name"]),
                activation=str(item["activation"]),
                activations=activations,
                mean=math.nan if item["mean"] is None else float(item["mean"]),
                std=math.nan if item["std"] is None else float(item["std"]),
                dead_share=_optional_float(item.get("dead_share")),
                saturated_share=_optional_float(item.get("saturated_share")),
                weights=_histogram_from(item.get("weights")),
                grad_norm=_optional_float(item.get("grad_norm")),
                update_ratio=_optional_float(item.get("update_ratio")),
                gradients=_histogram_from(item.get("gradients")),
            )
        )
    return ProbeSnapshot(
        epoch=int(data["epoch"]),
        step=int(data["step"]),
        layers=tuple(layers),
        final=bool(data.get("final", True)),
    )
