"""Data augmentation: training images moved, turned, scaled and slanted a little, at random.

Each image is changed anew every time a batch takes it.

A model trained on about 1,100 digits learns those digits' exact placement and slant; a
digit drawn on the Predict tab's canvas is placed and slanted differently and is misread
(tests/benchmarks/drawn_digits.py). Random small changes to the training images teach the
model that such changes do not alter the class. Only the training part is changed: the
validation and test parts stay as they are, so their figures still measure real data.

One affine map per image, drawn from a generator seeded by the experiment, applied on the
device with torch's `affine_grid` / `grid_sample` (torchvision's RandomAffine does the same,
but torchvision is not a dependency).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from workbench.config import AugmentationConfig


class ImageAugmentation:
    """Applies random affine changes to a batch of flattened raw images."""

    def __init__(
        self,
        config: AugmentationConfig,
        image_shape: tuple[int, int, int],
        seed: int,
    ) -> None:
        self.config = config
        self.image_shape = image_shape
        # Its own generator, so that augmenting changes neither the weights' start nor the
        # batch order: a run with and without augmentation differs in the images alone.
        self.generator = torch.Generator().manual_seed(seed + 0xA06)

    def thetas(self, count: int) -> torch.Tensor:
        """`count` random 2x3 affine matrices in `affine_grid`'s normalised coordinates."""
        c = self.config
        # Uniform in [-1, 1]: rotation, shear, zoom, shift x, shift y.
        u = torch.rand(count, 5, generator=self.generator) * 2 - 1
        angle = u[:, 0] * math.radians(c.rotation)
        shear = u[:, 1] * math.radians(c.shear)
        scale = 1 + u[:, 2] * c.zoom
        # The grid maps each output pixel to where it is read from, so dividing by the scale
        # enlarges the digit for a scale above 1. Coordinates run from -1 to 1: a shift of a
        # fraction f of the image is 2f.
        cos, sin, slant = torch.cos(angle), torch.sin(angle), torch.tan(shear)
        theta = torch.empty(count, 2, 3)
        theta[:, 0, 0] = cos / scale
        theta[:, 0, 1] = (-sin + slant * cos) / scale
        theta[:, 1, 0] = sin / scale
        theta[:, 1, 1] = (cos + slant * sin) / scale
        theta[:, 0, 2] = u[:, 3] * 2 * c.shift
        theta[:, 1, 2] = u[:, 4] * 2 * c.shift
        return theta

    def __call__(self, rows: torch.Tensor) -> torch.Tensor:
        """The batch (rows of raw pixel values, float) with each image changed."""
        count = rows.shape[0]
        images = rows.reshape(count, *self.image_shape)
        theta = self.thetas(count).to(device=rows.device, dtype=rows.dtype)
        grid = F.affine_grid(theta, list(images.shape), align_corners=False)
        # "border" repeats the edge pixels into the uncovered corner: the background, for
        # digits and for most photographs, rather than a black band.
        moved = F.grid_sample(
            images, grid, mode="bilinear", padding_mode="border", align_corners=False
        )
        return moved.reshape(count, -1)
