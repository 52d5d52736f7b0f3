"""Training aids of the Forward-Forward reproduction closest to Hinton's (loeweX/Forward-Forward).

From Hinton (2022), "The Forward-Forward Algorithm: Some Preliminary Investigations" (section on
peer normalisation) and the public reproduction whose recipe METHODS.md quotes:

- **straight-through activation gradient**: the forward pass is ``act(a)``, the backward pass
  treats the activation as the identity, ``∂act(a)/∂a := 1``. With ReLU the goodness gradient
  ``2y`` is 0 wherever the unit is off anyway; what changes is the peer-normalisation gradient,
  which then reaches units that are off (a dead unit is pushed back on).
- **peer normalisation**: each layer keeps an exponential running mean ``m_j`` of every unit's
  activity over the positive samples, ``m ← μ · m.detach() + (1 − μ) · mean_batch(y_pos)``
  (μ = 0.9, ``m`` starts at 0.5), and adds ``w · mean_j (mean(m) − m_j)²`` to its loss
  (w = 0.03 in the recipe), which pushes all units to be active about equally often.
- **normal initialisation**: ``W ~ N(0, 1/out_features)``, ``b = 0``.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn

from forgetless.checks import one_of

PEER_START = 0.5
INITS = ("torch", "normal")
#: The aids when neither an argument nor a recipe sets them: all off.
AID_DEFAULTS = {
    "input_norm": False,
    "straight_through": False,
    "peer_normalization": 0.0,
    "init": "torch",
}
#: The loeweX/Forward-Forward settings selected by ``recipe="loewex"``
#: (with Forward-Forward's defaults: sum goodness, θ = width, label value 1).
LOEWEX_RECIPE = {
    "input_norm": True,
    "straight_through": True,
    "peer_normalization": 0.03,
    "init": "normal",
}


def chosen_aids(
    recipe: str | None,
    input_norm: bool | None,
    straight_through: bool | None,
    peer_normalization: float | None,
    init: str | None,
) -> tuple[bool, bool, float, str]:
    """``(input_norm, straight_through, peer_normalization, init)``: each argument that is not
    None, else the recipe's value, else off (:data:`AID_DEFAULTS`).

    Raises:
        ValueError: ``recipe`` is not None or ``"loewex"``, ``init`` is unknown or
            ``peer_normalization < 0``.
    """
    if recipe not in (None, "loewex"):
        raise ValueError(f"recipe must be None or 'loewex', got {recipe!r}")
    base = {**AID_DEFAULTS, **(LOEWEX_RECIPE if recipe == "loewex" else {})}
    given = (input_norm, straight_through, peer_normalization, init)
    chosen = [base[key] if value is None else value for key, value in zip(base, given, strict=True)]
    one_of("init", chosen[3], INITS)
    if not chosen[2] >= 0:
        raise ValueError(f"peer_normalization must be >= 0, got {chosen[2]!r}")
    return chosen[0], chosen[1], chosen[2], chosen[3]


def straight_through(pre: Tensor, activation: nn.Module) -> Tensor:
    """``activation(pre)`` in the forward pass, gradient passed through unchanged to ``pre``."""
    return pre + (activation(pre) - pre).detach()


class PeerNormalisation(nn.Module):
    """Running mean activity of every unit of every layer, and the peer-normalisation loss."""

    def __init__(self, widths: Sequence[int], momentum: float = 0.9) -> None:
        super().__init__()
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"peer_momentum must lie in [0, 1), got {momentum!r}")
        self.momentum = float(momentum)
        for i, width in enumerate(widths):
            self.register_buffer(f"mean_{i}", torch.full((int(width),), PEER_START))

    def loss(self, layer: int, positive_activity: Tensor) -> Tensor:
        """``mean_j (mean(m) − m_j)²`` after updating layer ``layer``'s running means ``m`` with
        this batch's positive activities ``[N, width]`` (the gradient flows through the batch
        mean only; the stored running mean is detached)."""
        name = f"mean_{layer}"
        previous: Tensor = getattr(self, name)
        current = previous * self.momentum + positive_activity.mean(dim=0) * (1 - self.momentum)
        setattr(self, name, current.detach())
        return (current.mean() - current).pow(2).mean()


def normal_init_(layers: nn.ModuleList) -> None:
    """``W ~ N(0, 1/out_features)``, ``b = 0`` for the first (linear) module of every layer."""
    for layer in layers:
        linear = layer[0]
        nn.init.normal_(linear.weight, mean=0.0, std=linear.weight.shape[0] ** -0.5)
        nn.init.zeros_(linear.bias)
