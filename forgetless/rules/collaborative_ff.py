"""Collaborative Forward-Forward: each layer's objective also sees the other layers' goodness.

From Lorberbom, Gat, Adi, Schwing & Hazan, "Layer Collaboration in the Forward-Forward
Algorithm": ``p_i = σ(G_i + γ_i − θ)`` where ``γ_i`` is the goodness of the other layers computed
without gradient, so layer i still learns only from its own loss.

Layers are updated one at a time, so ``γ_i`` comes from one no-grad pass of the whole
network at the start of the step (the weights before this step's updates). To keep every layer on
the scale of its own threshold, the logit of layer i is ``Σ_j (G_j − θ_j)`` with gradient only
through ``G_i``, i.e. ``γ_i = Σ_{j≠i} (G_j − θ_j)`` added to plain FF's ``G_i − θ_i``. Everything
else (labels, normalisation, the linear head) is :class:`ForwardForwardRule`'s, except that
goodness prediction sums the goodness of **all** layers, first included: the collaborative
objective trains exactly that total (each layer's logit is ``Σ_j G_j − θ_j``), so layers 2..L
alone are not what it makes discriminative.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from forgetless.rules.entry import RuleEntry
from forgetless.rules.forward_forward import RECIPE, ForwardForwardRule, goodness


class CollaborativeForwardForwardRule(ForwardForwardRule):
    """Forward-Forward whose per-layer logits add the other layers' detached goodness.

    ``collaboration`` (w ≥ 0, default 1 = the paper's objective) weighs the other layers' term,
    ``logit_i = (G_i − θ_i) + w · Σ_{j≠i} (G_j − θ_j)``; w = 0 is plain Forward-Forward training.
    Goodness prediction then scores ``Σ_i G_i`` over all layers whatever w.

    Args:
        collaboration: w (a number >= 0); every other argument is
            :class:`~forgetless.rules.forward_forward.ForwardForwardRule`'s.

    Raises:
        ValueError: ``collaboration`` is not a number >= 0, or a Forward-Forward option is bad.
    """

    def __init__(self, *args: Any, collaboration: float = 1.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(collaboration, bool) or not collaboration >= 0:
            raise ValueError(f"collaboration must be a number >= 0, got {collaboration!r}")
        self.collaboration = float(collaboration)

    @property
    def first_goodness_layer(self) -> int:
        """Goodness prediction uses every layer (the sum the collaborative objective trains)."""
        return 0

    @torch.no_grad()
    def goodness_offsets(self, h0: Tensor) -> list[Tensor]:
        margins = [
            goodness(h, self.reduction) - theta
            for h, theta in zip(self.activities(h0), self.thetas, strict=True)
        ]
        total = torch.stack(margins).sum(dim=0)
        return [self.collaboration * (total - m) for m in margins]


ENTRY = RuleEntry("collaborative_ff", CollaborativeForwardForwardRule, RECIPE)
