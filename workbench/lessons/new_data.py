"""New data for a lesson's model to read: the scripted drawings of digits.

"Using the model on new data" is drawing a digit in the Predict tab. A lesson cannot draw
for the learner, so it reads the workbench's own scripted drawings (the held-out set of
`workbench.predict.drawn_samples`: digits in other hands than the data's writers), each
mapped as the Predict tab maps a drawing, and says how many the model read right.
"""

from __future__ import annotations

import numpy as np
import torch

from workbench.config import Experiment
from workbench.core.events import RunResult
from workbench.models import build_model
from workbench.predict.drawn_samples import drawn_set
from workbench.predict.predictor import drawing_row

# Drawn on a smaller canvas than the Predict tab's 280 pixels: the mapping crops to the ink
# and scales to 8x8 or 28x28 anyway, and the rasterising is four times quicker.
_SIDE = 140


def drawn_accuracy(experiment: Experiment, result: RunResult) -> float | None:
    """The share of the scripted drawings the run's kept model reads right.

    None when there is nothing to read them with: no kept weights, or a model that does
    not take one-channel images whose classes are the digits 0-9.
    """
    p = result.preprocessing
    if result.weights is None or p is None or p.image_shape is None or p.image_shape[0] != 1:
        return None
    digits = [str(d) for d in range(10)]
    if sorted(str(name) for name in p.class_names) != digits:
        return None
    model = build_model(experiment.model, p.n_features, len(p.class_names), p.image_shape)
    model.load_state_dict(result.weights)
    model.eval()
    drawings = drawn_set(side=_SIDE)
    raw = np.concatenate([drawing_row(d.ink, p) for d in drawings])
    with torch.no_grad():
        predicted = model(torch.from_numpy(p.apply(raw))).argmax(dim=1).numpy()
    read = [str(p.class_names[i]) for i in predicted]
    return float(np.mean([name == str(d.label) for name, d in zip(read, drawings, strict=True)]))
