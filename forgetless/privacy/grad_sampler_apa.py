"""Opacus per-example gradients for APA and AGLU's learnable κ and λ.

Paper: "Adaptive Parametric Activation" (Alexandridis et al., ECCV 2024). With
``u = κ z − ln λ``, ``p = APA(z) = exp(logsigmoid(u) / λ)`` and ``s = sigmoid(u)``:

    ∂p/∂κ = (z / λ) · p · (1 − s)
    ∂p/∂λ = −p · (logsigmoid(u) + 1 − s) / λ²          (both terms: the exact gradient)
    AGLU y = z · p:   ∂y/∂κ = z · ∂p/∂κ,   ∂y/∂λ = z · ∂p/∂λ
    centred APA y = 2p − 1:   twice ∂p/∂κ and ∂p/∂λ

The per-example gradient of a parameter is ``Σ g · ∂y/∂θ`` over the example's elements (and,
for per-channel parameters, over every position of its channel), g being the gradient that
reaches the layer's output (Opacus passes it already scaled for a mean-reduced loss). As in
:mod:`forgetless.activations.apa`, λ enters through ``λ_eff = max(λ, 1e-4)`` with the gradient
passed straight through, and the computation runs in float64 (cast back to the parameter's dtype).

Named by the specs of :class:`~forgetless.activations.apa.APA` and
:class:`~forgetless.activations.apa.AGLU`; registered when :mod:`forgetless.privacy` is imported.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from forgetless.activations.apa import AGLU, APA_NAME, LAM_MIN
from forgetless.activations.apa import APABase as APAModule
from forgetless.activations.reference_inputs import per_channel

from ._per_sample_sum import per_sample_sum


def apa_parameter_derivatives(
    x: torch.Tensor, kappa: torch.Tensor, lam: torch.Tensor, channel_dim: int, times_input: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    """Elementwise ``(∂y/∂κ, ∂y/∂λ)`` in float64 for APA (``times_input=False``) or AGLU."""
    z = x.detach().to(torch.float64)
    k = per_channel(APA_NAME, "kappa", kappa.detach(), z, channel_dim).to(torch.float64)
    lam_eff = per_channel(APA_NAME, "lam", lam.detach(), z, channel_dim).to(torch.float64)
    lam_eff = lam_eff.clamp_min(LAM_MIN)
    u = k * z - torch.log(lam_eff)
    log_s = F.logsigmoid(u)
    p = torch.exp(log_s / lam_eff)
    one_minus_s = torch.sigmoid(-u)
    d_kappa = (z / lam_eff) * p * one_minus_s
    d_lam = -p * (log_s + one_minus_s) / lam_eff**2
    if times_input:
        d_kappa, d_lam = z * d_kappa, z * d_lam
    return d_kappa, d_lam


def compute_apa_grad_sample(
    layer: APAModule, activations: list[torch.Tensor], backprops: torch.Tensor
) -> dict[nn.Parameter, torch.Tensor]:
    """Opacus grad sampler: ``{κ: (B, *κ.shape), λ: (B, *λ.shape)}`` for APA or AGLU."""
    x = activations[0]
    d_kappa, d_lam = apa_parameter_derivatives(
        x, layer.kappa, layer.lam, layer.channel_dim, times_input=isinstance(layer, AGLU)
    )
    g = backprops.detach().to(torch.float64)
    if getattr(layer, "centered", False):  # y = 2 · APA(x) − 1
        g = 2.0 * g
    samples: dict[nn.Parameter, torch.Tensor] = {}
    for param, derivative in ((layer.kappa, d_kappa), (layer.lam, d_lam)):
        if param.requires_grad:
            summed = per_sample_sum(g * derivative, param, layer.channel_dim)
            samples[param] = summed.to(param.dtype)
    return samples
