"""What a run did to its inputs before the model saw them, kept so new data gets the same.

Normalisation is fitted on the training part only (scikit-learn's scalers) and stored as one
affine map `x * multiplier + offset` per feature, which training, evaluation and prediction
all apply through `Preprocessing.apply`: the same arithmetic everywhere, so a prediction from
the command line and one from the window are bit for bit the same.

It also keeps the raw value range of the training images (`pixel_min`..`pixel_max`: 0..16
for scikit-learn's digits, 0..255 for MNIST, 0..1 for images stored as floats), so a picture
from a file or the drawing canvas is put in the units the model learnt from before it is
normalised (`Preprocessing.pixels_to_raw`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np

# How far above the training mean a drawn pixel may be, in standard deviations (see
# `Preprocessing.usual_ceiling`). Measured with tests/benchmarks/drawn_digits.py on six
# trained MLPs: drawings read right 0.754 without a ceiling, 0.828 at 3, 0.832 at 2, 0.834 at
# 1.5. The same ceiling on the held-out test digits lowered no model's accuracy at 3 (two
# rose by 0.003 and 0.006; at 2 two fell by 0.003), so 3 costs the data's own digits nothing.
USUAL_DEVIATIONS = 3.0


@dataclass(frozen=True)
class Preprocessing:
    """The inputs a model takes and how raw features become them."""

    normalize: str  # "standard", "scale" or "none", as in the experiment's [data] section
    n_features: int
    class_names: tuple[str, ...]
    image_shape: tuple[int, int, int] | None  # (channels, height, width) for image data
    # The raw value range of the training data's pixels, black to white: 0..16 for
    # scikit-learn's digits, 0..255 for MNIST, 0..1 for floats (see `_pixel_range`). A drawn
    # digit's ink (0..1) and an image file's pixels (0..255) are mapped onto it. Files saved
    # before pixel_min existed load with 0, what every image dataset then had.
    pixel_max: float = 1.0
    pixel_min: float = 0.0
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
        pixel_min, pixel_max = _pixel_range(x_train, rows)
        return cls(
            normalize=normalize,
            n_features=int(x_train.shape[1]),
            class_names=tuple(class_names),
            image_shape=image_shape,
            pixel_max=pixel_max,
            pixel_min=pixel_min,
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

    def pixels_to_raw(self, pixels: np.ndarray, full_scale: float = 255.0) -> np.ndarray:
        """Pixels from black (0) to white (`full_scale`) in the training data's raw units.

        A PNG's 0..255 become 0..16 for a model trained on scikit-learn's digits, stay 0..255
        for MNIST and become 0..1 for images stored as floats: the model's normalisation was
        fitted on those units, and pixels in others are confidently misread.

        Args:
            pixels: Any shape, values in 0..`full_scale`.
            full_scale: The value of white in `pixels` (255 for 8-bit images, 1 for ink).

        Returns:
            float32 values in `pixel_min`..`pixel_max`, the shape of `pixels`.
        """
        span = (self.pixel_max - self.pixel_min) / full_scale
        # In float64, then float32: 255 * (255 / 255) is 255 exactly, as training read it.
        raw = np.asarray(pixels, dtype=np.float64) * span + self.pixel_min
        return raw.astype(np.float32)

    def usual_ceiling(self, deviations: float = USUAL_DEVIATIONS) -> np.ndarray | None:
        """Per feature, the highest raw value the training data makes usual, or None.

        "standard": the training mean plus `deviations` standard deviations; "scale": the
        training maximum (what the scaler maps to 1); "none": no record, so None. A drawn
        digit's ink where the training digits (almost) never have ink (the outer columns of
        scikit-learn's 8x8 digits: standard deviation 0 to 0.2 of 16) would otherwise be
        dozens of deviations out and outvote every other pixel.
        """
        if self.multiplier is None or self.offset is None:
            return None
        # z = raw * multiplier + offset, so raw = (z - offset) / multiplier.
        z_top = deviations if self.normalize == "standard" else 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            ceiling = (z_top - self.offset.astype(np.float64)) / self.multiplier
        # A feature the scaler did not spread (multiplier 0 or inf) gets no ceiling.
        return np.where(np.isfinite(ceiling), ceiling, np.inf).astype(np.float32)

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
                    "pixel_min": self.pixel_min,
                }
            )
        }

    @classmethod
    def from_stored(cls, metadata: dict[str, str], arrays: dict[str, np.ndarray]) -> Preprocessing:
        """The inverse of `metadata()` and `arrays()`; KeyError / ValueError when damaged.

        Every value is checked, as a hand-edited file is read: a wrong type or a vector of the
        wrong length would otherwise surface later as a traceback or as silently wrong
        numbers. A ValueError names the field.
        """
        info = json.loads(metadata["preprocessing"])
        if not isinstance(info, dict):
            raise ValueError("preprocessing: not a table of settings")
        normalize = info.get("normalize")
        if normalize not in ("standard", "scale", "none"):
            raise ValueError(f"preprocessing.normalize: {normalize!r} is not standard/scale/none")
        n_features = _positive_int(info.get("n_features"), "preprocessing.n_features")
        names = info.get("class_names")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise ValueError("preprocessing.class_names: not a list of class names")
        shape = info.get("image_shape")
        if shape is not None:
            if not isinstance(shape, list) or len(shape) != 3:
                raise ValueError(f"preprocessing.image_shape: {shape!r} is not [C, H, W]")
            shape = tuple(_positive_int(v, "preprocessing.image_shape") for v in shape)
        pixel_max = _finite(info.get("pixel_max", 1.0), "preprocessing.pixel_max")
        pixel_min = _finite(info.get("pixel_min", 0.0), "preprocessing.pixel_min")
        if pixel_max <= pixel_min:
            raise ValueError(f"preprocessing: pixel_max {pixel_max} is not above {pixel_min}")
        multiplier = arrays.get("preprocessing.multiplier")
        offset = arrays.get("preprocessing.offset")
        if normalize != "none" and (multiplier is None or offset is None):
            raise ValueError("the normalisation statistics are missing")
        return cls(
            normalize=normalize,
            n_features=n_features,
            class_names=tuple(names),
            image_shape=shape,  # type: ignore[arg-type]
            pixel_max=pixel_max,
            pixel_min=pixel_min,
            multiplier=_vector(multiplier, n_features, "preprocessing.multiplier"),
            offset=_vector(offset, n_features, "preprocessing.offset"),
        )


def _positive_int(value: object, field: str) -> int:
    # bool is an int to Python, but `true` is no count of features.
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{field}: {value!r} is not a positive whole number")
    return value


def _finite(value: object, field: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"{field}: {value!r} is not a finite number")
    return float(value)


def _vector(values: np.ndarray | None, n_features: int, field: str) -> np.ndarray | None:
    """One finite float32 per feature: what `apply` multiplies or adds, feature by feature.

    A shorter vector would raise inside NumPy, and a one-value vector would broadcast to every
    feature without a word; an integer or NaN one would not be the scaler that was fitted.
    """
    if values is None:
        return None
    if values.dtype.kind != "f":
        raise ValueError(f"{field}: dtype {values.dtype}, not floating point")
    if values.shape != (n_features,):
        raise ValueError(f"{field}: shape {values.shape}, but the model has {n_features} features")
    if not np.isfinite(values).all():
        raise ValueError(f"{field}: holds NaN or infinite values")
    return values.astype(np.float32, copy=False)


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


# 8-bit pixels whose brightest training value is above this are taken to span 0..255: a
# set of dim images (brightest 250) still has white at 255, as a new picture has.
_EIGHT_BIT_FLOOR = 128


def _pixel_range(x: np.ndarray, rows: np.ndarray | None) -> tuple[float, float]:
    """The nominal range of the training values, black to white, from what they hold.

    The observed range is rounded out to the range the data's format has: bytes and whole
    numbers above 128 up to 255 span 0..255 (images), values within 0..1 span 0..1 (images as
    floats), within -1..1 span -1..1; otherwise the observed range, from 0 when nothing is
    negative (scikit-learn's digits: 0..16). One pass over the training rows, a chunk at a
    time.
    """
    low, high, whole = np.inf, -np.inf, True
    for chunk in _chunks(x, rows):
        if not chunk.size:
            continue
        low, high = min(low, float(chunk.min())), max(high, float(chunk.max()))
        whole = whole and (chunk.dtype.kind in "biu" or bool(np.all(np.mod(chunk, 1) == 0)))
    if not np.isfinite(low) or not np.isfinite(high):
        return 0.0, 1.0
    if x.dtype == np.uint8 or (whole and low >= 0 and _EIGHT_BIT_FLOOR < high <= 255):
        return 0.0, 255.0
    if 0 <= low and high <= 1:
        return 0.0, 1.0
    if -1 <= low < 0 and high <= 1:
        return -1.0, 1.0
    if low >= 0:
        return 0.0, high if high > 0 else 1.0
    return low, high if high > low else low + 1.0
