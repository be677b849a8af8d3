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
        rows: np.ndarray | None = None,
    ) -> Preprocessing:
        """Fit the normalisation on the training features only: no leak from validation or test.

        With `rows`, the training part is those rows of `x_train`, read a chunk at a time.
        """
        # Here, not at the top: scikit-learn takes a second to import, and the window and
        # `workbench predict` load preprocessing without fitting one.
        from sklearn.preprocessing import MinMaxScaler, StandardScaler

        multiplier = offset = None
        if normalize == "standard":
            scaler = _fitted(StandardScaler(), x_train, rows)
            # StandardScaler's scale_ is already 1 for a constant feature: no division by 0.
            multiplier = 1.0 / scaler.scale_
            offset = -scaler.mean_ * multiplier
        elif normalize == "scale":
            scaler = _fitted(MinMaxScaler(), x_train, rows)
            multiplier, offset = scaler.scale_, scaler.min_
        return cls(
            normalize=normalize,
            n_features=int(x_train.shape[1]),
            class_names=tuple(class_names),
            image_shape=image_shape,
            pixel_max=_largest(x_train, rows),
            multiplier=None if multiplier is None else multiplier.astype(np.float32),
            offset=None if offset is None else offset.astype(np.float32),
        )

    def apply(self, x: np.ndarray, in_place: bool = False) -> np.ndarray:
        """Raw feature rows (n, n_features) to model inputs, as contiguous float32.

        `in_place` normalises a contiguous, writable float32 array the caller owns without a
        second copy (the same arithmetic, so the same numbers); other arrays are copied.
        """
        owned = in_place and x.dtype == np.float32 and x.flags.c_contiguous and x.flags.writeable
        if not owned:
            x = np.array(x, dtype=np.float32, order="C")  # a copy: the input stays as it was
        if self.multiplier is not None and self.offset is not None:
            np.multiply(x, self.multiplier, out=x)
            np.add(x, self.offset, out=x)
        return x

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


# Rows per step when fitting a scaler on a large training part: scikit-learn's fit makes
# temporaries the size of its input (60,000 x 784 floats: 188 MB, in float64 twice that);
# partial_fit in chunks bounds them to this many rows (512: 3 MB each).
_FIT_CHUNK = 512


def _chunks(x: np.ndarray, rows: np.ndarray | None):
    """The training rows, `_FIT_CHUNK` at a time (copies of that size, never of all)."""
    count = len(x) if rows is None else len(rows)
    for start in range(0, count, _FIT_CHUNK):
        stop = start + _FIT_CHUNK
        yield x[start:stop] if rows is None else x[rows[start:stop]]


def _fitted(scaler, x: np.ndarray, rows: np.ndarray | None):
    if (len(x) if rows is None else len(rows)) <= _FIT_CHUNK:
        return scaler.fit(next(_chunks(x, rows)))  # one chunk: fit, exactly as on the whole
    for chunk in _chunks(x, rows):
        scaler.partial_fit(chunk)
    return scaler


def _largest(x: np.ndarray, rows: np.ndarray | None) -> float:
    maxima = [float(chunk.max()) for chunk in _chunks(x, rows) if chunk.size]
    return max(maxima) if maxima else 1.0
