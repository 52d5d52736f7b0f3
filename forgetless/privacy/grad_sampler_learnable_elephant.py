"""Opacus per-example gradients for the learnable elephant's log σ and log h.

Papers: "Elephant Neural Networks: Born to Be a Continual Learner" (Lan & Mahmood, 2023) and its
2025 follow-up "Efficient Reinforcement Learning by Reducing Forgetting with Elephant Activation
Functions". ``y = h · b``, ``b = 1 / (1 + |x / σ|^d)``, ``σ = exp(log σ)``, ``h = exp(log h)``:

    ∂y/∂log h = y
    ∂y/∂log σ = h · d · b · (1 − b)        (= d·t/(1+t)² · h with t = |x/σ|^d; finite everywhere)

With ``input_norm`` the module applies this to its sample-standardised input, which has no
parameter, so the derivatives are taken at that input.
``b`` comes from the reference activation with ``log h = 0`` (its overflow-safe form), so the
derivatives are finite for every finite input. Per-example gradient: ``Σ g · ∂y/∂θ`` over the
example's positions of each unit. Computed in float64, cast back to the parameter's dtype.

Named by the spec of :class:`~forgetless.activations.learnable_elephant.LearnableElephant`;
registered when :mod:`forgetless.privacy` is imported.
"""

from __future__ import annotations

import torch
from torch import nn

from forgetless.activations.learnable_elephant import (
    NAME,
    LearnableElephant,
    learnable_elephant_reference,
)
from forgetless.activations.reference_inputs import normalize_input, per_channel

from ._per_sample_sum import per_sample_sum


def elephant_parameter_derivatives(
    x: torch.Tensor, log_sigma: torch.Tensor, log_h: torch.Tensor, d: float, channel_dim: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Elementwise ``(∂y/∂log σ, ∂y/∂log h)`` in float64."""
    z = x.detach().to(torch.float64)
    log_sigma = log_sigma.detach().to(torch.float64)
    bump = learnable_elephant_reference(z, log_sigma, torch.zeros_like(log_sigma), d, channel_dim)
    height = per_channel(NAME, "log_h", log_h.detach(), z, channel_dim)
    y = height.to(torch.float64).exp() * bump
    return d * y * (1.0 - bump), y


def compute_learnable_elephant_grad_sample(
    layer: LearnableElephant, activations: list[torch.Tensor], backprops: torch.Tensor
) -> dict[nn.Parameter, torch.Tensor]:
    """Opacus grad sampler: ``{log_sigma: (B, units), log_h: (B, units)}``."""
    x = normalize_input(activations[0]) if layer.input_norm else activations[0]
    d_sigma, d_h = elephant_parameter_derivatives(
        x, layer.log_sigma, layer.log_h, layer.d, layer.channel_dim
    )
    g = backprops.detach().to(torch.float64)
    samples: dict[nn.Parameter, torch.Tensor] = {}
    for param, derivative in ((layer.log_sigma, d_sigma), (layer.log_h, d_h)):
        if param.requires_grad:
            summed = per_sample_sum(g * derivative, param, layer.channel_dim)
            samples[param] = summed.to(param.dtype)
    return samples
