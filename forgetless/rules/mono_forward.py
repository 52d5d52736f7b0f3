"""Mono-Forward: each layer learns from its own class projection and cross-entropy.

From Gong, Li & Abdulla (2025), "Mono-Forward: Backpropagation-Free Algorithm for Efficient
Neural Network Training Harnessing Local Errors". Layer i computes
``a_i = act(W_i · sg(a_{i-1}) + b_i)`` (``sg`` = stop-gradient: the input is detached) and local
class scores ``G_i = a_i M_iᵀ`` with its own projection ``M_i ∈ R^{C × n_i}``; its loss is
``CE(softmax(G_i), y)``, and only ``W_i, b_i, M_i`` learn from it. One forward pass, no negatives.
Layers are updated one after the other inside a step (forward, backward, optimizer step, then the
next layer), so only one layer's graph is alive at a time.

Prediction: ``predict_mode="last"`` (default, the paper's) scores with the last layer's
``G_L``; ``predict_mode="sum"`` sums ``G_i`` over all layers (an ensemble of the local heads). The
last layer's projection plays the role of backprop's output layer, so the network is the same as
:class:`~forgetless.rules.backprop.BackpropRule`'s plus one ``M_i`` per earlier layer.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from forgetless.checks import one_of
from forgetless.rules.base import Rule
from forgetless.rules.entry import ADAM, RuleEntry, RuleRecipe
from forgetless.rules.layers import check_hidden, dense_stack

PREDICT_MODES = ("last", "sum")


class MonoForwardRule(Rule):
    """MLP whose layers learn from local cross-entropy through their own projections ``M_i``.

    Args:
        in_features, num_classes: input size and number of classes.
        hidden, activation, activation_params: the hidden widths and activation (registry name).
        predict_mode: ``"last"`` (``G_L``) or ``"sum"`` (``Σ_i G_i``).

    Raises:
        ValueError: an unknown ``predict_mode`` or bad widths.
    """

    def __init__(
        self,
        in_features: int,
        num_classes: int,
        hidden: Sequence[int] = (256, 256),
        activation: str = "relu",
        activation_params: dict | None = None,
        predict_mode: str = "last",
    ) -> None:
        super().__init__(in_features, num_classes)
        one_of("predict_mode", predict_mode, PREDICT_MODES)
        self.hidden = check_hidden(hidden)
        self.predict_mode = predict_mode
        self.layers = dense_stack(in_features, self.hidden, activation, activation_params or {})
        self.projections = nn.ModuleList(
            nn.Linear(width, num_classes, bias=False) for width in self.hidden
        )

    def layer_scores(self, x: Tensor) -> list[Tensor]:
        """``[G_1, …, G_L]`` for inputs ``x``, each ``[N, C]``."""
        h = self.flatten_input(x)
        scores = []
        for layer, projection in zip(self.layers, self.projections, strict=True):
            h = layer(h)
            scores.append(projection(h))
        return scores

    def logits(self, x: Tensor) -> Tensor:
        scores = self.layer_scores(x)
        return scores[-1] if self.predict_mode == "last" else torch.stack(scores).sum(dim=0)

    def train_step(
        self, x: Tensor, y: Tensor, optimizer: torch.optim.Optimizer
    ) -> dict[str, float]:
        y = self.check_targets(x, y)
        h = self.flatten_input(x).detach()
        losses = {}
        for i, (layer, projection) in enumerate(zip(self.layers, self.projections, strict=True)):
            a = layer(h.detach())
            loss = F.cross_entropy(projection(a), y)
            losses[f"loss_layer{i + 1}"] = self.local_update(loss, optimizer)
            h = a.detach()
        losses["loss"] = sum(losses.values())
        return losses


ENTRY = RuleEntry("mono_forward", MonoForwardRule, RuleRecipe({}, dict(ADAM), 40))
