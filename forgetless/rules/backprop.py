"""Backpropagation as a rule: end-to-end cross-entropy, one backward pass, one step.

Network: ``x → [Linear → activation] × L → Linear → logits``; with ``backbone="cnn"`` the dense
layers are replaced by :class:`~forgetless.rules.conv_encoder.ConvEncoder` (the per-block image
backbone of NoProp's ``backbone="cnn"``) with ``hidden[-1]`` output features. Loss:
``CE(softmax(logits), y)``, gradients of every layer from the one loss (Rumelhart, Hinton &
Williams, "Learning representations by back-propagating errors"). It is here so that every other
rule is compared with backprop on the same network, data and loop.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from forgetless.rules.base import Rule
from forgetless.rules.conv_encoder import ConvEncoder, check_backbone
from forgetless.rules.layers import check_hidden, dense_stack


class BackpropRule(Rule):
    """MLP trained end to end by backpropagation."""

    def __init__(
        self,
        in_features: int,
        num_classes: int,
        hidden: Sequence[int] = (256, 256),
        activation: str = "relu",
        activation_params: dict | None = None,
        backbone: str = "mlp",
        image_shape: Sequence[int] | None = None,
        cnn_channels: Sequence[int] = (32, 64),
    ) -> None:
        super().__init__(in_features, num_classes)
        check_backbone(backbone, image_shape, in_features)
        self.hidden = check_hidden(hidden)
        params = activation_params or {}
        if backbone == "cnn":
            encoder = ConvEncoder(image_shape, self.hidden[-1], activation, params, cnn_channels)
            self.layers = nn.ModuleList([encoder])
        else:
            self.layers = dense_stack(in_features, self.hidden, activation, params)
        self.head = nn.Linear(self.hidden[-1], num_classes)

    def logits(self, x: Tensor) -> Tensor:
        h = self.flatten_input(x)
        for layer in self.layers:
            h = layer(h)
        return self.head(h)

    def train_step(
        self, x: Tensor, y: Tensor, optimizer: torch.optim.Optimizer
    ) -> dict[str, float]:
        y = self.check_targets(x, y)
        loss = F.cross_entropy(self.logits(x), y)
        return {"loss": self.local_update(loss, optimizer)}
