"""A trained run's model, ready to predict: the same preprocessing and layers as training.

Used by `workbench predict` and by the window's predict panel, so both give the same numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from workbench.atomic import atomic_write_text
from workbench.data.preprocessing import Preprocessing
from workbench.models import ModelShapeError, build_model
from workbench.predict.drawing import ink_to_image
from workbench.predict.inputs import PredictionInputs, read_inputs
from workbench.runs.trained import TrainedRun, TrainedRunError

_CHUNK = 4096  # rows per forward pass: bounds memory on a large folder


@dataclass(frozen=True)
class Predictions:
    """Class probabilities for each input row, with the rows' names and true labels if any."""

    inputs: PredictionInputs
    probabilities: np.ndarray  # (n, n_classes)
    class_names: tuple[str, ...]

    @property
    def predicted(self) -> list[str]:
        return [self.class_names[i] for i in self.probabilities.argmax(axis=1)]

    @property
    def accuracy(self) -> float | None:
        """Share of rows predicted right, when the input carried true labels."""
        labels = self.inputs.labels
        if not labels:
            return None
        return float(np.mean([p == t for p, t in zip(self.predicted, labels, strict=True)]))

    def to_csv(self) -> str:
        """One row per input: name, predicted class, its probability, every class's."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        has_labels = self.inputs.labels is not None
        writer.writerow(
            ["input", "predicted", "confidence"]
            + (["true"] if has_labels else [])
            + [f"p_{name}" for name in self.class_names]
        )
        confidence = self.probabilities.max(axis=1)
        for row, name in enumerate(self.inputs.names):
            writer.writerow(
                [name, self.predicted[row], f"{confidence[row]:.6f}"]
                + ([self.inputs.labels[row]] if has_labels else [])  # type: ignore[index]
                + [f"{p:.6f}" for p in self.probabilities[row]]
            )
        return buffer.getvalue()

    def write_csv(self, path: str | Path) -> Path:
        return atomic_write_text(path, self.to_csv())


class Predictor:
    """Builds the run's model on the CPU with its kept weights."""

    def __init__(self, run: TrainedRun) -> None:
        if run.evaluation is None:
            raise TrainedRunError(
                f"{run.label}: no preprocessing record (an interrupted run, or one made before "
                "this version); train it again to predict with it"
            )
        self.run = run
        self.preprocessing: Preprocessing = run.evaluation.preprocessing
        p = self.preprocessing
        try:
            self.model = build_model(
                run.experiment.model, p.n_features, len(p.class_names), p.image_shape
            )
            self.model.load_state_dict(run.load_weights())
        except (ModelShapeError, RuntimeError) as error:
            first = str(error).strip().splitlines()[0]
            raise TrainedRunError(
                f"{run.weights_file}: weights do not fit the model: {first}"
            ) from None
        self.model.eval()

    @property
    def class_names(self) -> tuple[str, ...]:
        return self.preprocessing.class_names

    @torch.no_grad()
    def probabilities(self, raw_features: np.ndarray) -> np.ndarray:
        """Class probabilities for raw feature rows (normalised here, as in training)."""
        # Values far beyond the training data's may overflow float32 here; `predict_inputs`
        # refuses what comes out non-finite, so NumPy's warning would only add a second line.
        with np.errstate(over="ignore", invalid="ignore"):
            x = torch.from_numpy(self.preprocessing.apply(raw_features))
        parts = [
            torch.softmax(self.model(x[start : start + _CHUNK]), dim=1)
            for start in range(0, x.shape[0], _CHUNK)
        ]
        if not parts:
            return np.zeros((0, len(self.class_names)), np.float32)
        return torch.cat(parts).numpy()

    @property
    def accepts_drawing(self) -> bool:
        """Whether a drawn digit fits the model: one-channel images, like the digit sets."""
        shape = self.preprocessing.image_shape
        return shape is not None and shape[0] == 1

    def drawing_input(self, ink: np.ndarray) -> np.ndarray:
        """A canvas's ink (2-D, 0..1) as one raw feature row laid out like the training data.

        See `drawing_row`; `probabilities` then normalises it as in training.
        """
        if not self.accepts_drawing:
            raise ValueError("the model does not take one-channel images")
        return drawing_row(ink, self.preprocessing)

    def predict_inputs(self, inputs: PredictionInputs) -> Predictions:
        """Predict every row; TrainedRunError rather than NaN confidences.

        The weights are finite (`TrainedRun.load_weights`) and so are the inputs (the readers
        refuse NaN), but values far beyond the training data's can still overflow float32 on
        the way; argmax would then read NaN as class 0 without a word.
        """
        probabilities = self.probabilities(inputs.features)
        broken = ~np.isfinite(probabilities).all(axis=1)
        if broken.any():
            first = inputs.names[int(np.argmax(broken))]
            raise TrainedRunError(
                f"{self.run.label}: the model's output is NaN or infinite for "
                f"{int(broken.sum())} of {len(broken)} inputs (first: {first}); their values "
                "are probably far outside the training data's range"
            )
        return Predictions(inputs, probabilities, self.class_names)

    def predict_path(self, path: str | Path) -> Predictions:
        """Read a CSV / NPZ / image / image folder and predict every row of it."""
        label_column = self.run.experiment.data.label_column
        return self.predict_inputs(read_inputs(path, self.preprocessing, label_column))


def drawing_row(ink: np.ndarray, preprocessing: Preprocessing) -> np.ndarray:
    """A drawn digit as one raw feature row of a one-channel image model.

    The digit is cropped, scaled and centred the way its dataset was made (`ink_to_image`),
    scaled to the training data's pixel range, then held under the training data's usual
    values pixel by pixel (`Preprocessing.usual_ceiling`): a stroke a little outside where the
    dataset's writers put ink is still a stroke, not a pixel 40 deviations out that decides
    the class alone (a plain "7" read as "3"). The Predict tab shows this row as the image
    the model sees.
    """
    _, height, width = preprocessing.image_shape  # type: ignore[misc]
    image = ink_to_image(ink, height, width)
    # Ink 0..1 onto the training data's own black..white (0..16, 0..255, -1..1, ...).
    raw = preprocessing.pixels_to_raw(image, full_scale=1.0).reshape(1, -1)
    ceiling = preprocessing.usual_ceiling()
    if ceiling is not None:
        np.minimum(raw, ceiling, out=raw)
    return raw
