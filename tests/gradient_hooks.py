"""Record the gradients that reach modules' outputs (tests of swapped activations)."""

from __future__ import annotations

from torch import nn


def gradients_seen(modules: list[nn.Module]) -> list[float]:
    """Hook ``modules`` so that |gradient| reaching each output is recorded; return the list."""
    seen: list[float] = []

    def forward_hook(module, args, output):
        output.register_hook(lambda grad: seen.append(float(grad.abs().sum())))

    for module in modules:
        module.register_forward_hook(forward_hook)
    return seen
