"""What a run did to its inputs before the model saw them, kept so new data gets the same.

Normalisation is fitted on the training part only (scikit-learn's scalers) and stored as one
affine map `x * multiplier + offset` per feature, which training, evaluation and prediction
all apply through `Preprocessing.apply`: the same arithmetic everywhere, so a prediction from
the command line and one from the window are bit for bit the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Preprocessing:
    """The inputs a model takes and how raw features become them."""

    normalize: str  # "standard", "scale" or "none", as in the experiment's [data] section
    n_features: int
    class_names: tuple[str, ...]
    image_shape: tuple[int, int, int] | None  # (channels, height, width) for image data
    # The largest raw training value: 16 for scikit-learn's digits, 255 for MNIST pixels. A
    # drawn digit's ink (0..1) is scaled by it to look like a training image.
    pixel_max: float = 1.0
    multiplier: np.ndarray | None = field(default=None, compare=False, repr=False)
    offset: np.ndarray | None = field(default=None, compare=False, repr=False)

    @classmethod
    def fit(
        cls,
        normalize: str,
        x_train: np.ndarray,
        class_names: tuple[str, ...],
        image_shape: tuple[int, int, int] | None,
    ) -> Preprocessing:
        """Fit the normalisation on the training features only: no leak from validation or test."""
        # Here, not at the top: scikit-learn takes a second to import, and the window and
        # `workbench predict` load preprocessing without fitting one.
        from sklearn.preprocessing import MinMaxScaler, StandardScaler

        multiplier = offset = None
        if normalize == "standard":
            scaler = StandardScaler().fit(x_train)
            # StandardScaler's scale_ is already 1 for a constant feature: no division by 0.
            multiplier = 1.0 / scaler.scale_
            offset = -scaler.mean_ * multiplier
        elif normalize == "scale":
            scaler = MinMaxScaler().fit(x_train)
            multiplier, offset = scaler.scale_, scaler.min_
        return cls(
            normalize=normalize,
            n_features=int(x_train.shape[1]),
            class_names=tuple(class_names),
            image_shape=image_shape,
            pixel_max=float(x_train.max()) if x_train.size else 1.0,
            multiplier=None if multiplier is None else multiplier.astype(np.float32),
            offset=None if offset is None else offset.astype(np.float32),
        )

    def apply(self, x: np.ndarray) -> np.ndarray:
        """Raw feature rows (n, n_features) to model inputs, as contiguous float32."""
        x = np.asarray(x, dtype=np.float32)
        if self.multiplier is not None and self.offset is not None:
            x = x * self.multiplier + self.offset
        return np.ascontiguousarray(x, dtype=np.float32)

    # -- storage: tensors (safetensors) plus string metadata ---------------------------------
    def arrays(self) -> dict[str, np.ndarray]:
        if self.multiplier is None or self.offset is None:
            return {}
        return {"preprocessing.multiplier": self.multiplier, "preprocessing.offset": self.offset}

    def metadata(self) -> dict[str, str]:
        return {
            "preprocessing": json.dumps(
                {
                    "normalize": self.normalize,
                    "n_features": self.n_features,
                    "class_names": list(self.class_names),
                    "image_shape": list(self.image_shape) if self.image_shape else None,
                    "pixel_max": self.pixel_max,
                }
            )
        }

    @classmethod
    def from_stored(cls, metadata: dict[str, str], arrays: dict[str, np.ndarray]) -> Preprocessing:
        """The inverse of `metadata()` and `arrays()`; KeyError / ValueError when damaged."""
        info = json.loads(metadata["preprocessing"])
        shape = info.get("image_shape")
        multiplier = arrays.get("preprocessing.multiplier")
        offset = arrays.get("preprocessing.offset")
        if info["normalize"] != "none" and (multiplier is None or offset is None):
            raise ValueError("the normalisation statistics are missing")
        return cls(
            normalize=str(info["normalize"]),
            n_features=int(info["n_features"]),
            class_names=tuple(str(name) for name in info["class_names"]),
            image_shape=tuple(int(v) for v in shape) if shape else None,  # type: ignore[arg-type]
            pixel_max=float(info.get("pixel_max", 1.0)),
            multiplier=multiplier,
            offset=offset,
        )
