"""Backpropagation as a rule: end-to-end cross-entropy, one backward pass, one step.

Rumelhart, Hinton & Williams, "Learning representations by back-propagating errors". Loss
``CE(softmax(logits), y)``; every layer's gradient comes from that one loss. The network is
:class:`forgetless.models.MLP`, the one ``forgetless compare`` trains for backprop, built with the
hidden activation in place of its ReLU modules; ``backbone="cnn"`` is
:class:`~forgetless.rules.conv_encoder.ConvEncoder` (NoProp's per-block image backbone) with
``hidden[-1]`` features, then a linear head. It is here so that every other rule is compared
with backprop on the same network, data and loop.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from forgetless.models import MLP
from forgetless.rules.activation import make_activation
from forgetless.rules.base import Rule
from forgetless.rules.conv_encoder import ConvEncoder, check_backbone
from forgetless.rules.entry import RuleEntry
from forgetless.rules.layers import check_hidden

#: The name of backprop in the registry, the config's ``rules`` and the cell labels.
BACKPROP = "backprop"


def backprop_mlp(
    in_features: int,
    hidden: Sequence[int],
    num_classes: int,
    activation: str = "relu",
    activation_params: dict | None = None,
) -> MLP:
    """:class:`forgetless.models.MLP` with ``activation`` after every hidden layer.

    The linear layers are initialised in the order the compare path's MLP initialises them (no
    registry activation draws random numbers when it is built).
    """
    network = MLP(in_features, check_hidden(hidden), num_classes)
    for index, module in enumerate(network.features):
        if isinstance(module, nn.ReLU):
            network.features[index] = make_activation(activation, **(activation_params or {}))
    return network


class BackpropRule(Rule):
    """A network trained end to end by backpropagation.

    Args:
        in_features, num_classes: input size and number of classes.
        hidden: hidden widths (``backbone="cnn"``: ``hidden[-1]`` is the encoder's output).
        activation, activation_params: the hidden activation (a registry name) and its options.
        backbone: ``"mlp"`` or ``"cnn"``.
        image_shape: ``(channels, height, width)`` of the flat input, for ``backbone="cnn"``.
        cnn_channels: the two conv stages' channels, for ``backbone="cnn"``.

    Raises:
        ValueError: a bad width, backbone, image shape or activation.
    """

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
            self.network = nn.Sequential(encoder, nn.Linear(self.hidden[-1], num_classes))
        else:
            self.network = backprop_mlp(in_features, self.hidden, num_classes, activation, params)

    def logits(self, x: Tensor) -> Tensor:
        return self.network(self.flatten_input(x))

    def train_step(
        self, x: Tensor, y: Tensor, optimizer: torch.optim.Optimizer
    ) -> dict[str, float]:
        y = self.check_targets(x, y)
        loss = F.cross_entropy(self.logits(x), y)
        return {"loss": self.local_update(loss, optimizer)}


ENTRY = RuleEntry(BACKPROP, BackpropRule)
