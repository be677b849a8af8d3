"""Exporting a recorded run's best model: safetensors weights, TorchScript or ONNX."""

from __future__ import annotations

from pathlib import Path

import torch
from safetensors.torch import save_file

from workbench.config import experiment_from_dict
from workbench.data.sources import load_source
from workbench.models import build_model
from workbench.runs.store import RunRecord, RunStore


class ExportError(Exception):
    """A model that cannot be exported; one line naming the run or file."""


def rebuild_model(store: RunStore, run: RunRecord) -> tuple[torch.nn.Sequential, int]:
    """The run's network with its best weights loaded, and its input width.

    Weights come from safetensors: nothing is unpickled.
    """
    experiment = experiment_from_dict(run.config, f"run {run.id}")
    dataset = load_source(experiment.data)
    model = build_model(
        experiment.model, dataset.n_features, dataset.n_classes, dataset.image_shape
    )
    model.load_state_dict(store.load_best_weights(run.id))
    return model.eval(), dataset.n_features


def export_run(store: RunStore, run: RunRecord, fmt: str, out: Path) -> Path:
    """Write the run's best model to `out` in `fmt`; returns the path written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "safetensors":
        weights = store.load_best_weights(run.id)
        save_file(weights, str(out), metadata={"run": str(run.id), "name": run.name})
        return out
    model, features = rebuild_model(store, run)
    example = torch.zeros(1, features)  # rows are flat features, images included
    if fmt == "torchscript":
        torch.jit.trace(model, example).save(str(out))
        return out
    if fmt == "onnx":
        try:
            torch.onnx.export(model, (example,), str(out), input_names=["features"])
        except (ImportError, ModuleNotFoundError) as error:
            raise ExportError(
                f"run {run.id}: ONNX export needs the onnx extra (pip install 'workbench[onnx]')"
                f": {error}"
            ) from None
        return out
    raise ExportError(f"run {run.id}: unknown format {fmt!r}")
