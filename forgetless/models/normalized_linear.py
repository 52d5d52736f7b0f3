"""A linear layer whose weight rows are centred and L2-normalised at every forward.

``W_eff[i] = (W[i] - mean(W[i])) / ||W[i] - mean(W[i])||``, so each hidden unit's pre-activation is
a zero-mean unit-norm projection of the input. This is the weight treatment of the recipe in
"Hard ASH: Sparsity and the right optimizer make a continual learner" (Keskinen, 2024); it keeps
pre-activations at a known scale, which is also what makes elephant's width ``a`` meaningful.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F


class CenteredNormalizedLinear(nn.Linear):
    """``nn.Linear`` with each weight row centred and L2-normalised before use (He-normal init)."""

    eps = 1e-12

    def reset_parameters(self) -> None:
        nn.init.normal_(self.weight, 0.0, math.sqrt(2.0 / self.in_features))
        if self.bias is not None:
            nn.init.zeros_(self.bias)

    def effective_weight(self) -> torch.Tensor:
        centred = self.weight - self.weight.mean(dim=1, keepdim=True)
        return centred / centred.norm(dim=1, keepdim=True).clamp_min(self.eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.effective_weight(), self.bias)
