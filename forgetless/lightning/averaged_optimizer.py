"""An optimizer front that averages gradients over processes before each step.

A rule's ``train_step`` steps the optimizer once per layer with only that layer's gradients set
(see :mod:`forgetless.rules.base`); under DDP, DDP's own gradient hooks cannot serve these local
backward passes (they run outside DDP's forward/backward pairing), so :class:`RuleCallback` turns
DDP's synchronisation off for the batch and hands the rule this front instead: ``step()``
all-reduces (sums, then divides by the world size) every gradient that is set, in one flat
buffer, then steps. Every rank holds the same set of gradients at each step (same network, same
rule), so the collectives line up.
"""

from __future__ import annotations

import torch
import torch.distributed as dist


class AveragedOptimizer:
    """``zero_grad`` / ``step`` of ``optimizer`` with gradients averaged over ``world_size``."""

    def __init__(
        self, optimizer: object, params: list[torch.nn.Parameter], world_size: int
    ) -> None:
        self.optimizer = optimizer
        self.params = params
        self.world_size = world_size

    def zero_grad(self, set_to_none: bool = True) -> None:
        self.optimizer.zero_grad(set_to_none=set_to_none)

    def step(self) -> None:
        if self.world_size > 1:
            grads = [p.grad for p in self.params if p.grad is not None]
            if grads:
                flat = torch.cat([g.reshape(-1) for g in grads])
                dist.all_reduce(flat)
                flat /= self.world_size
                offset = 0
                for g in grads:
                    g.copy_(flat[offset : offset + g.numel()].view_as(g))
                    offset += g.numel()
        self.optimizer.step()
