"""What a finished run keeps beside its weights: preprocessing and test predictions.

One safetensors file per run (tensors plus string metadata, nothing pickled) holds the
normalisation statistics that prediction needs, the test labels and class probabilities,
and the raw inputs of the worst misclassified test samples, so a report or a prediction can
be made later without the dataset. Written to a temporary file, then renamed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from safetensors import SafetensorError, safe_open
from safetensors.numpy import save

from workbench.atomic import atomic_write_bytes
from workbench.core.events import RunResult, TestPredictions
from workbench.data.preprocessing import Preprocessing
from workbench.errors import UserError

_LABELS, _PROBABILITIES = "test.labels", "test.probabilities"
_WORST_INDICES, _WORST_INPUTS = "misclassified.indices", "misclassified.inputs"


class ArtifactError(UserError):
    """A run's evaluation file is missing or damaged; one line naming the file."""


@dataclass(frozen=True)
class Evaluation:
    """A run's stored preprocessing, test predictions and facts for its report."""

    preprocessing: Preprocessing
    predictions: TestPredictions | None
    info: dict[str, Any]  # weights kept, dataset name, split sizes, test split fingerprint


def run_info(result: RunResult) -> dict[str, Any]:
    """The facts about a run its report shows beyond its history and metrics."""
    return {
        "weights": {"kept": result.weights_kept, "epoch": result.weights_epoch},
        "dataset_name": result.dataset_name,
        "split_sizes": list(result.split_sizes) if result.split_sizes else None,
        "test_split": result.test_split,
        "error": result.error,
    }


def save_evaluation(path: str | Path, result: RunResult) -> Path | None:
    """Write the run's evaluation file; None (nothing written) when the run never got data."""
    if result.preprocessing is None:
        return None
    path = Path(path)
    preprocessing: Preprocessing = result.preprocessing
    tensors = dict(preprocessing.arrays())
    predictions = result.predictions
    if predictions is not None:
        tensors[_LABELS] = np.asarray(predictions.labels, dtype=np.int64)
        tensors[_PROBABILITIES] = np.asarray(predictions.probabilities, dtype=np.float32)
        tensors[_WORST_INDICES] = np.asarray(predictions.worst_indices, dtype=np.int64)
        tensors[_WORST_INPUTS] = np.asarray(predictions.worst_inputs, dtype=np.float32).reshape(
            len(predictions.worst_indices), preprocessing.n_features
        )
    metadata = {**preprocessing.metadata(), "run": json.dumps(run_info(result))}
    # Serialised in memory, then written whole or not at all: a full disk leaves no partial
    # file (safetensors' own save_file fails with its own error type and half a file).
    data = save({k: np.ascontiguousarray(v) for k, v in tensors.items()}, metadata)
    return atomic_write_bytes(path, data)


def load_evaluation(path: str | Path) -> Evaluation:
    """Read an evaluation file written by `save_evaluation`."""
    path = Path(path)
    if not path.exists():
        raise ArtifactError(f"{path}: not found (runs from before this version have none)")
    try:
        with safe_open(str(path), framework="numpy") as file:
            metadata = file.metadata() or {}
            arrays = {key: file.get_tensor(key) for key in file.keys()}  # noqa: SIM118
        preprocessing = Preprocessing.from_stored(metadata, arrays)
        info = json.loads(metadata.get("run", "{}"))
    except (SafetensorError, OSError, KeyError, ValueError, TypeError) as error:
        raise ArtifactError(f"{path}: damaged evaluation file: {error}") from None
    predictions = None
    if _PROBABILITIES in arrays:
        predictions = TestPredictions(
            labels=arrays[_LABELS],
            probabilities=arrays[_PROBABILITIES],
            worst_indices=arrays[_WORST_INDICES],
            worst_inputs=arrays[_WORST_INPUTS],
        )
    return Evaluation(preprocessing, predictions, info)


def worst_images(
    predictions: TestPredictions | None, preprocessing: Preprocessing
) -> np.ndarray | None:
    """The worst mistakes' raw inputs as (n, C, H, W) images, or None for non-image data."""
    if predictions is None or preprocessing.image_shape is None:
        return None
    inputs = np.asarray(predictions.worst_inputs, dtype=np.float32)
    return inputs.reshape(len(inputs), *preprocessing.image_shape)
