"""What Forward-Forward needs to know about its hidden activation: its goodness scale and whether
the straight-through gradient is a fair stand-in for its own.

Hinton (2022), "The Forward-Forward Algorithm: Some Preliminary Investigations", sets the
threshold of a ReLU layer to its number of units, ``θ = n``: the goodness ``G = Σ_j y_j²`` of a
layer whose units have ``E[y²] = 1``. That scale belongs to ReLU. A bounded activation cannot
reach it (tanh and the elephant never exceed 1 per unit, so ``G < n`` for every input), and an
activation that standardises its own input (the registry's elephant, ASH and Hard ASH) keeps
``G`` well below it whatever the layer does. The logit ``G − θ`` then stays far below 0 for every
input: negatives get no gradient (``σ(G − θ) ≈ 0``) and the layer learns nothing useful.

What this module computes:

- **threshold** (:func:`goodness_scale`): ``θ = θ_ReLU · ρ(φ)`` with
  ``ρ(φ) = E[φ(√2 z)²] / E[relu(√2 z)²]``, ``z ~ N(0, 1)``, both means taken over the same
  deterministic grid of standard-normal quantiles laid out in rows of the layer's width (so a
  per-sample normalisation inside φ sees a normal row, and per-channel parameters fit).
  ``√2 z`` is ReLU's operating point of Hinton's θ (``E[relu(√2 z)²] = 1``), so ρ = 1 exactly
  for ReLU and its θ = width is unchanged; for another activation θ is the goodness its layer
  has at that same operating point, which it can reach from both sides. ``φ`` is a fresh module
  of the layer's activation with its initial parameters (its values at the registry defaults:
  docs/rules.md, "Forward-Forward options").
- **straight-through** (:func:`straight_through_fits`): the identity gradient of the loeweX
  recipe stands in for ``φ'`` only where ``φ`` acts unit by unit and never decreases, so that it
  has the sign of ``φ'`` (ReLU, tanh, leaky ReLU, ...). For the elephant (a bump: ``φ' < 0`` for
  positive input) it pushes goodness the wrong way; for an activation that standardises its
  input (elephant, ASH, Hard ASH at the registry defaults) a shift of every pre-activation,
  which is what it asks for, changes nothing. Both are checked on a reference row.
"""

from __future__ import annotations

from typing import Any

import torch

from forgetless.rules.activation import make_activation

GRID_ROWS = 64


@torch.no_grad()
def _normal_rows(width: int) -> torch.Tensor:
    """``GRID_ROWS × width`` standard-normal quantiles in a fixed shuffled order."""
    count = GRID_ROWS * width
    quantiles = torch.special.ndtri((torch.arange(count, dtype=torch.float64) + 0.5) / count)
    order = torch.randperm(count, generator=torch.Generator().manual_seed(0))
    return quantiles[order].reshape(GRID_ROWS, width).float()


@torch.no_grad()
def goodness_scale(activation: str, params: dict[str, Any], width: int) -> float:
    """``ρ(φ) = E[φ(√2 z)²] / E[relu(√2 z)²]`` on the reference grid (see the module docstring)
    for a fresh ``make_activation(activation, **params)`` in a layer of ``width`` units.

    Computed on the CPU whatever the surrounding default device (a rule may be built on the meta
    device to count its parameters)."""
    with torch.device("cpu"):
        pre = (2.0**0.5) * _normal_rows(width)
        relu = torch.relu(pre).pow(2).mean()
        value = make_activation(activation, **params)(pre).float().pow(2).mean()
        rho = float(value / relu)
    if not 0 < rho < float("inf"):
        raise ValueError(
            f"Forward-Forward: activation {activation!r} has a mean square of {rho!r} relative "
            "to ReLU on standard-normal input, no usable goodness scale; pass theta explicitly"
        )
    return rho


@torch.no_grad()
def straight_through_fits(activation: str, params: dict[str, Any], width: int) -> bool:
    """True when a fresh ``make_activation(activation, **params)`` acts unit by unit and is
    non-decreasing on a reference row of ``width`` values from −4 to 4 (on the CPU)."""
    with torch.device("cpu"):
        phi = make_activation(activation, **params)
        row = torch.linspace(-4.0, 4.0, width).unsqueeze(0)
        out = phi(row)
        if not bool((out.diff(dim=1) >= -1e-6).all()):
            return False
        changed = row.clone()
        changed[:, 1::2] = 2.0 * changed[:, 1::2] + 1.0
        return bool(torch.allclose(phi(changed)[:, ::2], out[:, ::2], atol=1e-6))
