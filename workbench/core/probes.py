"""Probes: what each hidden layer does, measured on a fixed batch as a run goes.

`ProbeCallback` looks at the model before the first step (epoch 0), after every epoch, and
within a long epoch at most every ~0.5 s; `probe_at_initialisation` looks once at a freshly
built model without training it ("look before training"). Both produce `ProbeSnapshot`s
(workbench/core/probe_types.py) of plain NumPy arrays and floats.

A look passes one fixed probe batch (up to 1,000 validation samples, normalised as training
normalises them) through the model in eval mode, without gradients, with forward hooks that
exist only for that pass: training itself runs no probe code, and the probe takes no random
number from the run's generators, so a run with probes trains exactly as one without.

Histogram bins are fixed for the whole run so epochs compare: activations over a range that
suits the activation function, weights over a range set by the layer's initial weights,
gradients over log10 of their magnitudes. A value beyond the range is counted in the nearest
end bin, so every histogram counts every finite value.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from workbench.config import AnyLayer, Conv2dLayer, DenseLayer, Experiment
from workbench.core.device import resolve_device
from workbench.core.engine import load_and_split, sample_rows
from workbench.core.events import BatchProgress, Callback, EpochMetrics, RunContext, RunResult
from workbench.core.look_budget import LookBudget
from workbench.core.probe_types import Histogram, LayerProbe, ProbeSnapshot
from workbench.core.rows import NormalisedRows, device_tensor
from workbench.models import build_model

# Enough samples for smooth histograms and a fair dead-unit count, few enough that a look
# costs milliseconds (1,000 x 784 inputs: 3 MB).
PROBE_SAMPLES = 1000
# The probe batch's own seed: the same samples in every look of a run.
PROBE_SEED = 0
# The shortest wait between two looks within an epoch (the "~0.5 s").
INTERVAL_S = 0.5
# All looks together may take this share of the run's time (the issue allows 3 %): a look
# within an epoch is skipped while it and the epoch's own look would exceed it, so a slow look
# (a big model on a busy CPU) only makes the looks rarer. Epochs shorter than ~40 looks (the
# 8x8 digits: ~25 ms epochs, ~2.6 ms looks) have their own looks thinned the same way, all but
# epoch 0 and the last planned epoch, which are always taken: looking after every one of them
# made such runs 11 % slower, and the Inside tab redraws every 0.5 s anyway.
MAX_COST_SHARE = 0.025

# (low, high, bins) of each activation's histogram. Bounded functions use their range;
# the ReLU family is bounded below only, and [0, 5] holds a He-initialised layer's outputs on
# standardised inputs (a half-normal of spread ~1.4) with room to grow. Bins are 0.02 wide
# for sigmoid, so "within 0.02 of 0.5" and "within 0.04 of 0 or 1" fall on bin edges.
ACTIVATION_RANGES: dict[str, tuple[float, float, int]] = {
    "sigmoid": (0.0, 1.0, 50),
    "tanh": (-1.0, 1.0, 50),
    "relu": (0.0, 5.0, 50),
    "leaky_relu": (-1.0, 5.0, 60),
    "elu": (-1.0, 5.0, 60),  # bounded below by -1 (alpha = 1)
    "swish": (-0.5, 5.0, 55),  # its minimum is -0.28
    "gelu": (-0.5, 5.0, 55),  # its minimum is -0.17
    "identity": (-5.0, 5.0, 50),
}
# Units that are never positive receive (next to) no gradient: "dead". Leaky ReLU and ELU
# units are never exactly zero, so for them dead means stuck on the flat negative side.
DEAD_FAMILY = frozenset({"relu", "leaky_relu", "elu"})
# Outputs within this share of the range's width from a bound count as saturated.
SATURATION_MARGIN = 0.01
SATURATING = frozenset({"sigmoid", "tanh"})
WEIGHT_BINS = 50
# Gradients span many orders of magnitude (vanishing in early sigmoid layers, exploding with
# too high a rate), so their histogram counts log10 |g|: one fixed axis for every layer.
GRADIENT_LOG10_RANGE: tuple[float, float, int] = (-12.0, 2.0, 56)


@dataclass(frozen=True)
class HiddenLayer:
    """One hidden layer of the model builder's list, as modules of the built model."""

    name: str  # "2 dense (sigmoid)": the builder's 1-based number, type and activation
    activation: str
    weighted: nn.Linear | nn.Conv2d
    output: nn.Module  # the activation module: its outputs are the layer's outputs


def hidden_layers(model: nn.Sequential, layers: Sequence[AnyLayer]) -> list[HiddenLayer]:
    """The Dense and Conv2d layers of `layers` found in `model`, built from them by build_model.

    The builder makes one module for each other layer, a weighted module and its activation for
    Dense and Conv2d, and a trailing output layer, after an Unflatten when the input is an
    image. A model of another shape is refused: the probe would name the wrong layers.
    """
    modules = list(model)
    position = 1 if modules and isinstance(modules[0], nn.Unflatten) else 0
    found: list[HiddenLayer] = []
    for index, layer in enumerate(layers):
        if not isinstance(layer, DenseLayer | Conv2dLayer):
            position += 1
            continue
        expected = nn.Linear if isinstance(layer, DenseLayer) else nn.Conv2d
        pair = modules[position : position + 2]
        if len(pair) < 2 or not isinstance(pair[0], expected):
            raise ValueError(f"the model does not match its layer list at layer {index + 1}")
        weighted = pair[0]
        assert isinstance(weighted, nn.Linear | nn.Conv2d)  # for the type checker
        name = f"{index + 1} {layer.type} ({layer.activation})"
        found.append(HiddenLayer(name, layer.activation, weighted, pair[1]))
        position += 2
    if position != len(modules) - 1 or not isinstance(modules[-1], nn.Linear):
        raise ValueError("the model does not match its layer list")
    return found


def _fixed_edges(low: float, high: float, bins: int) -> np.ndarray:
    edges = np.linspace(low, high, bins + 1)
    # Shared by every snapshot of a run (and sent to other threads): nobody may change them.
    edges.flags.writeable = False
    return edges


def _histogram(values: np.ndarray, edges: np.ndarray, log_magnitude: bool = False) -> Histogram:
    """Counts of `values` (or of log10 |values|) over equal-width `edges`.

    Values beyond the edges go to the end bins (log10 |0| = -inf: the lowest); NaN is counted
    nowhere (a diverged layer's histogram counts only its finite values).
    """
    flat = values.reshape(-1)
    if flat.dtype != np.float32:
        flat = flat.astype(np.float32)
    nan = np.isnan(flat)
    if nan.any():
        flat = flat[~nan]
    bins = len(edges) - 1
    low, high = float(edges[0]), float(edges[-1])
    scale = bins / (high - low)
    # One new float32 array, changed in place: a look bins ~10^5 values per layer, and
    # temporaries made it several times slower.
    if log_magnitude:
        with np.errstate(divide="ignore"):
            position = np.log2(np.abs(flat))  # log2 is twice as fast as log10 here
        position *= np.float32(scale * math.log10(2.0))
    else:
        position = flat * np.float32(scale)
    position -= np.float32(low * scale)
    # Clipped before the cast, so truncation is floor and infinities land in the end bins.
    np.clip(position, 0, bins - 1, out=position)
    counts = np.bincount(position.astype(np.intp), minlength=bins).astype(np.int64)
    return Histogram(edges=edges, counts=counts)


def _nice_bound(value: float) -> float:
    """The next of 1, 2, 5 x 10^k at or above `value`: a weight axis a person can read."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1.0, 2.0, 5.0, 10.0):
        bound = step * 10.0**exponent
        if bound >= value * (1 - 1e-9):
            return bound
    return 10.0 ** (exponent + 1)  # pragma: no cover - 10 x 10^k always qualifies


def _norm(values: np.ndarray) -> float:
    """The L2 norm, in float64 (float32 squares overflow above 1.8e19)."""
    flat = values.reshape(-1).astype(np.float64)  # a copy: squared in place below
    # Not np.dot: on large vectors OpenBLAS wakes threads of its own, which then spin for a
    # while on the cores training's threads need.
    np.multiply(flat, flat, out=flat)
    return math.sqrt(float(flat.sum()))


class ModelProbe:
    """Looks at one model's hidden layers on one fixed batch of inputs, again and again.

    Keeps what must stay fixed between looks (every histogram's bins) and the weights of the
    last epoch's look, against which a look measures how far the weights moved.
    """

    def __init__(
        self, model: nn.Sequential, layers: Sequence[AnyLayer], inputs: torch.Tensor
    ) -> None:
        self.model = model
        self.inputs = inputs
        self.layers = hidden_layers(model, layers)
        self._activation_edges = [
            _fixed_edges(*ACTIVATION_RANGES[layer.activation]) for layer in self.layers
        ]
        self._gradient_edges = _fixed_edges(*GRADIENT_LOG10_RANGE)
        # Set at the first look from the initial weights, then kept (see _weight_edges_for).
        self._weight_edges: list[np.ndarray | None] = [None] * len(self.layers)
        # The weights at the last epoch's look (CPU copies) and their norms, for the update
        # ratio.
        self._reference: list[tuple[np.ndarray, float] | None] = [None] * len(self.layers)

    @property
    def samples(self) -> int:
        return int(self.inputs.shape[0])

    def snapshot(self, epoch: int, step: int, final: bool = True) -> ProbeSnapshot:
        """Look now; a `final` look (an epoch's end) becomes the reference for the next ones.

        The update ratio of any look is measured from the last final look, so an epoch's value
        means "over this epoch" however many looks were taken within it.
        """
        outputs = self._forward()
        probes = []
        for number, (layer, output) in enumerate(zip(self.layers, outputs, strict=True)):
            weights = layer.weighted.weight.detach().cpu().numpy()
            probes.append(self._layer(number, layer, output, weights))
            if final:
                kept = np.array(weights, dtype=np.float32, copy=True)
                self._reference[number] = kept, _norm(kept)
        return ProbeSnapshot(epoch=epoch, step=step, layers=tuple(probes), final=final)

    def _forward(self) -> list[np.ndarray]:
        """Each hidden layer's outputs on the probe batch, in eval mode, as CPU arrays."""
        captured: list[torch.Tensor | None] = [None] * len(self.layers)

        def keeper(number: int) -> Callable[[nn.Module, object, torch.Tensor], None]:
            def keep(_module: nn.Module, _inputs: object, output: torch.Tensor) -> None:
                # The builder's modules never work in place, so the tensor stays as it was.
                captured[number] = output.detach()

            return keep

        model = self.model
        was_training = model.training
        handles = [
            layer.output.register_forward_hook(keeper(number))
            for number, layer in enumerate(self.layers)
        ]
        try:
            # Eval mode: dropout off and batch norm from its running statistics, as the
            # validation pass sees the model; and no random number drawn, so training's
            # sequence of them is untouched.
            model.eval()
            with torch.no_grad():
                model(self.inputs)
        finally:
            for handle in handles:
                handle.remove()
            model.train(was_training)
        arrays = []
        for tensor in captured:
            if tensor is None:  # pragma: no cover - every hidden layer's module runs
                raise RuntimeError("a hidden layer gave no output on the probe batch")
            arrays.append(tensor.float().cpu().numpy())
        return arrays

    def _layer(
        self, number: int, layer: HiddenLayer, output: np.ndarray, weights: np.ndarray
    ) -> LayerProbe:
        edges = self._activation_edges[number]
        low, high = float(edges[0]), float(edges[-1])
        activation = layer.activation
        dead_share = None
        if activation in DEAD_FAMILY:
            # A unit is a dense layer's neuron or a convolution's channel (over all positions).
            axes = (0,) if output.ndim == 2 else (0, *range(2, output.ndim))
            alive = np.any(output > 0, axis=axes)
            dead_share = float(alive.size - np.count_nonzero(alive)) / alive.size
        saturated_share = None
        if activation in SATURATING:
            margin = SATURATION_MARGIN * (high - low)
            saturated = np.count_nonzero((output <= low + margin) | (output >= high - margin))
            saturated_share = float(saturated) / output.size
        grad_norm = gradients = None
        grad = layer.weighted.weight.grad
        if grad is not None:  # None before the first step: nothing trained yet
            grad_values = grad.detach().float().cpu().numpy()
            grad_norm = _norm(grad_values)
            gradients = _histogram(grad_values, self._gradient_edges, log_magnitude=True)
        update_ratio = None
        kept = self._reference[number]
        if kept is not None:
            reference, before = kept
            moved = _norm(weights - reference)
            if before != 0:  # NaN included: a diverged reference gives NaN, not 0
                update_ratio = moved / before
            else:
                update_ratio = math.inf if moved > 0 else (0.0 if moved == 0 else math.nan)
        return LayerProbe(
            name=layer.name,
            activation=activation,
            activations=_histogram(output, edges),
            mean=float(output.mean(dtype=np.float64)),
            std=float(output.std(dtype=np.float64)),
            dead_share=dead_share,
            saturated_share=saturated_share,
            weights=_histogram(weights, self._weight_edges_for(number, weights)),
            grad_norm=grad_norm,
            update_ratio=update_ratio,
            gradients=gradients,
        )

    def _weight_edges_for(self, number: int, weights: np.ndarray) -> np.ndarray:
        """The layer's weight bins: symmetric, wide enough for every initial weight, then fixed.

        Set from the first look's weights, rounded up to 1, 2 or 5 x 10^k, so std 1 and std
        0.01 initialisations both fill their axes; weights that later grow beyond it are
        counted in the end bins.
        """
        edges = self._weight_edges[number]
        if edges is None:
            finite = np.abs(weights[np.isfinite(weights)])
            bound = _nice_bound(float(finite.max()) if finite.size else 0.0)
            edges = self._weight_edges[number] = _fixed_edges(-bound, bound, WEIGHT_BINS)
        return edges


class ProbeCallback(Callback):
    """Looks inside the network at epoch 0, after epochs, and within long epochs.

    `snapshots` holds the look before the first step (epoch 0) and one per finished epoch
    (`final=True`) while looks stay within their share of the run's time: every epoch of
    epochs longer than ~40 looks, fewer of shorter ones, but always the first and the last
    planned. Looks within an epoch (`final=False`), at most every `interval_s` and only
    while all looks together stay within `max_cost_share` of the run's time, go to
    `on_snapshot` only, for a live display: a long run would otherwise keep thousands of
    them. `on_snapshot` receives every snapshot, in the training thread, as it is taken.
    """

    def __init__(
        self,
        on_snapshot: Callable[[ProbeSnapshot], None] | None = None,
        *,
        samples: int = PROBE_SAMPLES,
        seed: int = PROBE_SEED,
        interval_s: float = INTERVAL_S,
        max_cost_share: float | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        """Set up the probe; it looks once the run begins.

        Args:
            on_snapshot: Called with each snapshot (epoch ends and looks within an epoch).
            samples: Validation samples in the probe batch (fewer when the part is smaller).
            seed: Chooses the probe batch's samples.
            interval_s: The shortest wait between looks within an epoch.
            max_cost_share: The share of the run's time all looks may take (None:
                MAX_COST_SHARE); a look within an epoch is skipped while it and the epoch's own
                look (each costing what the last look did) would exceed it, an epoch's own look
                (but the first epoch's and the last planned one's) while it would.
            clock: Seconds, for the waits (tests pass a fake one).
        """
        if samples < 1:
            raise ValueError(f"samples must be at least 1, got {samples}")
        # Read at run time, not bound at import: tests that need every epoch's look set it.
        share = MAX_COST_SHARE if max_cost_share is None else max_cost_share
        self.budget = LookBudget(interval_s, share, clock)
        self.on_snapshot = on_snapshot
        self.samples = samples
        self.seed = seed
        self.snapshots: list[ProbeSnapshot] = []
        self.latest: ProbeSnapshot | None = None
        self._probe: ModelProbe | None = None
        self._step = 0
        self._last_epoch = 0  # the run's planned epochs, set when it begins

    def on_train_begin(self, model: nn.Module, run: RunContext) -> None:
        if not isinstance(model, nn.Sequential):
            raise TypeError(f"probes need the model builder's nn.Sequential, got {type(model)}")
        self.budget.start()
        inputs = run.validation_sample(self.samples, self.seed)
        self._probe = ModelProbe(model, run.experiment.model.layers, inputs)
        self._last_epoch = run.experiment.training.epochs
        self.snapshots, self.latest = [], None
        self._step = 0
        self._take(0, final=True)
        # Taken before training began: it costs the run's training nothing to share with.
        self.budget.count_from_now()

    def on_batch_end(self, progress: BatchProgress) -> None:
        self._step = progress.step
        # The epoch's own look follows its last batch: no need for one just before it.
        if self._probe is None or progress.batch >= progress.batches:
            return
        # Room is kept for this look and for the epoch's own to come.
        if self.budget.due(looks=2):
            self._take(progress.epoch, final=False)

    def on_epoch_end(self, metrics: EpochMetrics) -> None:
        if self._probe is None:
            return
        # No wait since the last look here: an epoch's look is skipped only for its cost, and
        # after the first epoch and the last planned one it is always taken.
        if metrics.epoch in (1, self._last_epoch) or self.budget.affordable():
            self._take(metrics.epoch, final=True)

    def on_train_end(self, result: RunResult) -> None:
        # The probe holds the model and the probe batch (on the device): let them go.
        self._probe = None

    def _take(self, epoch: int, final: bool) -> None:
        assert self._probe is not None
        started = self.budget.clock()
        snapshot = self._probe.snapshot(epoch, self._step, final)
        self.budget.spent(started)
        if final:
            self.snapshots.append(snapshot)
        self.latest = snapshot
        if self.on_snapshot is not None:
            self.on_snapshot(snapshot)


def probe_at_initialisation(
    experiment: Experiment,
    *,
    samples: int = PROBE_SAMPLES,
    seed: int = PROBE_SEED,
    device: str = "cpu",
) -> ProbeSnapshot:
    """Look inside the model the experiment would start training from, without training it.

    The model is built as the engine builds it (the experiment's seed, its initialisation,
    after loading and splitting the data the same way), and the probe batch is the one a
    `ProbeCallback` with the same `samples` and `seed` would use, so this is the run's own
    epoch-0 snapshot. The caller's random state is left as it was. Raises what loading the
    data or building the model raises (DatasetError, ModelShapeError).
    """
    torch_device = resolve_device(device)
    with torch.random.fork_rng(devices=[]):
        # The engine seeds, loads and splits, then builds: the same order gives the same start.
        torch.manual_seed(experiment.seed)
        dataset, split = load_and_split(experiment)
        model = build_model(
            experiment.model, dataset.n_features, dataset.n_classes, dataset.image_shape
        )
    model = model.to(torch_device)
    features = device_tensor(split.features, torch_device)
    x_val = NormalisedRows(features, split.val_rows, split.preprocessing)
    inputs = sample_rows(x_val, samples, seed)
    return ModelProbe(model, experiment.model.layers, inputs).snapshot(epoch=0, step=0)
