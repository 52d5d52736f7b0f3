"""A small image encoder shared by the rules that offer a convolutional backbone.

Two conv(3×3, padding 1) → activation → max-pool(2) stages (``channels``, default 32 then 64),
flattened,
then Linear → activation to ``width`` features. Used per block by NoProp (``backbone="cnn"``) and
as the whole feature extractor of backprop's CNN (``backbone="cnn"``), so the two are compared on
the same image backbone. The input arrives flat and is reshaped to ``image_shape``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from torch import Tensor, nn

from forgetless.checks import one_of
from forgetless.rules.activation import make_activation

BACKBONES = ("mlp", "cnn")


def check_backbone(backbone: str, image_shape: Sequence[int] | None, in_features: int) -> None:
    """Raise a ``ValueError`` naming the field unless ``backbone`` is known and, for ``"cnn"``,
    ``image_shape`` holds exactly ``in_features`` values."""
    one_of("backbone", backbone, BACKBONES)
    if backbone == "cnn" and (image_shape is None or math.prod(image_shape) != in_features):
        raise ValueError(
            f"image_shape must be given for backbone='cnn' and hold in_features="
            f"{in_features} values, got {image_shape!r}"
        )


def check_channels(channels: Sequence[int]) -> tuple[int, int]:
    """``channels`` as two positive ints (the two conv stages), or a ``ValueError`` naming it."""
    values = tuple(channels) if isinstance(channels, Sequence) else ()
    if len(values) != 2 or any(
        isinstance(c, bool) or not isinstance(c, int) or c < 1 for c in values
    ):
        raise ValueError(f"cnn_channels must be two positive ints, got {channels!r}")
    return values[0], values[1]


class ConvEncoder(nn.Module):
    """Two conv(3×3, pad 1) → act → max-pool(2) stages, flattened, then Linear → act."""

    def __init__(
        self,
        image_shape: Sequence[int],
        width: int,
        activation: str,
        activation_params: dict,
        channels: Sequence[int] = (32, 64),
    ) -> None:
        super().__init__()
        first, second = check_channels(channels)
        if len(image_shape) != 3 or any(int(s) < 1 for s in image_shape):
            raise ValueError(f"image_shape must be (channels, height, width), got {image_shape}")
        channels, height, wide = (int(s) for s in image_shape)
        if height < 4 or wide < 4:
            raise ValueError(f"image_shape: height and width must be >= 4, got {image_shape}")
        self.image_shape = (channels, height, wide)
        self.net = nn.Sequential(
            nn.Conv2d(channels, first, 3, padding=1),
            make_activation(activation, **activation_params),
            nn.MaxPool2d(2),
            nn.Conv2d(first, second, 3, padding=1),
            make_activation(activation, **activation_params),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(second * (height // 4) * (wide // 4), width),
            make_activation(activation, **activation_params),
        )

    def forward(self, x_flat: Tensor) -> Tensor:
        return self.net(x_flat.reshape(x_flat.shape[0], *self.image_shape))
