"""Exporting a recorded run's best model: safetensors weights, TorchScript or ONNX.

Every format is written whole or not at all (workbench/atomic.py): a full disk, a
folder in the way or a path that cannot be written is one line, and leaves no partial file.
"""

from __future__ import annotations

import io
from pathlib import Path

import torch
from safetensors.torch import save

from workbench.atomic import atomic_path, atomic_write_bytes
from workbench.config import experiment_from_dict
from workbench.data.sources import load_source
from workbench.errors import UserError, first_line
from workbench.models import build_model
from workbench.runs.store import RunRecord, RunStore


class ExportError(UserError):
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
    """Write the run's best model to `out` in `fmt`; returns the path written.

    Raises:
        ExportError: an unknown format, ONNX without its extra, or `out` cannot be written
            (a folder, a full disk, no permission); `out` is then left as it was.
    """
    if fmt not in ("safetensors", "torchscript", "onnx"):
        raise ExportError(f"run {run.id}: unknown format {fmt!r}")
    if "\0" in str(out):  # no file system takes it; os would raise ValueError, not OSError
        raise ExportError(f"{str(out)!r}: a file name cannot hold a NUL character")
    if out.is_dir():
        raise ExportError(f"{out}: is a folder; name the file to write run {run.id}'s model to")
    try:
        _write(store, run, fmt, out)
    except OSError as error:
        reason = error.strerror or first_line(error)
        raise ExportError(f"{out}: cannot write run {run.id}'s {fmt} model: {reason}") from None
    return out


def _write(store: RunStore, run: RunRecord, fmt: str, out: Path) -> None:
    if fmt == "safetensors":
        weights = store.load_best_weights(run.id)
        # Serialised in memory: safetensors' own save_file fails on a full disk with its own
        # error type, leaving half a file.
        atomic_write_bytes(out, save(weights, metadata={"run": str(run.id), "name": run.name}))
        return
    model, features = rebuild_model(store, run)
    example = torch.zeros(1, features)  # rows are flat features, images included
    if fmt == "torchscript":
        # Into memory first: TorchScript's C++ writer aborts the whole process on a full
        # disk (exit 134, a truncated file), where a Python write raises OSError.
        buffer = io.BytesIO()
        torch.jit.save(torch.jit.trace(model, example), buffer)
        atomic_write_bytes(out, buffer.getvalue())
        return
    try:
        # The exporter writes the file itself: to a temporary name, renamed when whole.
        with atomic_path(out) as temporary:
            torch.onnx.export(model, (example,), str(temporary), input_names=["features"])
    except (ImportError, ModuleNotFoundError) as error:
        raise ExportError(
            f"run {run.id}: ONNX export needs the onnx extra (pip install 'workbench[onnx]')"
            f": {error}"
        ) from None
