"""Resetting chosen hidden units of a :class:`~forgetless.plasticity.chains.UnitChain`, the step
continual backprop and ReDo share: fresh incoming weights from the layer's own initialisation
(``nn.Linear``'s ``U(−1/√fan_in, 1/√fan_in)``), incoming bias 0, outgoing weights 0, and the
optimizer's state of those entries zeroed (Adam's moments, Adagrad's sums, momentum buffers);
with ``steps`` the zeroed Adam entries are recorded for their per-entry bias correction
(:mod:`.adam_steps`)."""

from __future__ import annotations

import math

import torch
from torch.optim import Optimizer

from forgetless.plasticity.adam_steps import AdamEntrySteps
from forgetless.plasticity.chains import UnitChain


def _zero_state(
    optimizer: Optimizer | None,
    param: torch.Tensor,
    index: torch.Tensor,
    dim: int,
    steps: AdamEntrySteps | None,
) -> None:
    if optimizer is None or param not in optimizer.state:
        return
    for value in optimizer.state[param].values():
        if isinstance(value, torch.Tensor) and value.shape == param.shape:
            value.index_fill_(dim, index, 0.0)
    if steps is not None:
        steps.zeroed(optimizer, param, index, dim)


@torch.no_grad()
def reset_units(
    chain: UnitChain,
    units: torch.Tensor,
    optimizer: Optimizer | None = None,
    generator: torch.Generator | None = None,
    steps: AdamEntrySteps | None = None,
) -> None:
    """Re-initialise ``units`` (indices) of ``chain`` in place (see the module docstring).

    Raises:
        ValueError: an index outside ``[0, chain.width)``.
    """
    units = torch.as_tensor(units, dtype=torch.long, device=chain.incoming.weight.device)
    if units.numel() == 0:
        return
    if int(units.min()) < 0 or int(units.max()) >= chain.width:
        raise ValueError(f"units: expected indices in [0, {chain.width}), got {units.tolist()}")
    weight = chain.incoming.weight
    bound = 1.0 / math.sqrt(weight.shape[1])
    fresh = torch.empty(len(units), weight.shape[1], dtype=weight.dtype)
    fresh.uniform_(-bound, bound, generator=generator)
    weight[units] = fresh.to(weight.device)
    _zero_state(optimizer, weight, units, 0, steps)
    if chain.incoming.bias is not None:
        chain.incoming.bias[units] = 0.0
        _zero_state(optimizer, chain.incoming.bias, units, 0, steps)
    chain.outgoing.weight[:, units] = 0.0
    _zero_state(optimizer, chain.outgoing.weight, units, 1, steps)
