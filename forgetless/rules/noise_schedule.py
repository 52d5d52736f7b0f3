"""The discrete cosine noise schedule of NoProp, indexed in the direction of inference.

From Li, Teh & Pascanu (2025), "NoProp: Training Neural Networks without Back-propagation or
Forward-propagation". Step t = 0 is pure noise and t = T the (almost) clean label embedding:
``z_t ~ N(√ᾱ_t · u_y, (1 − ᾱ_t) I)`` with ``ᾱ`` **increasing** in t: the cosine schedule
of Nichol & Dhariwal read backwards,

    ᾱ_t = cos²(π/2 · (1 − t/T + s) / (1 + s)),   s = 0.008,

so ``ᾱ_0 = 0`` exactly (z_0 ~ N(0, I), and KL(q(z_0|y) ‖ N(0, I)) = 0) and ``ᾱ_T = 1 − 1.6e-4``;
``ᾱ`` is clamped to ``[0, 1 − 1e-4]`` so ``SNR(t) = ᾱ_t / (1 − ᾱ_t)`` stays finite.

The inference step t (z_{t−1} → z_t) is the Gaussian posterior of this process given the clean
embedding u: ``z_t = a_t · u + b_t · z_{t−1} + √c_t · ε`` with ``β_t = 1 − ᾱ_{t−1} / ᾱ_t``,
``a_t = √ᾱ_t · β_t / (1 − ᾱ_{t−1})``, ``b_t = √(ᾱ_{t−1} / ᾱ_t) · (1 − ᾱ_t) / (1 − ᾱ_{t−1})``,
``c_t = (1 − ᾱ_t) · β_t / (1 − ᾱ_{t−1})``; at t = 1 this is exactly q(z_1 | u).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import Tensor

MAX_ALPHA_BAR = 1.0 - 1e-4


def cosine_alpha_bar(num_steps: int, offset: float = 0.008) -> Tensor:
    """``[ᾱ_0, …, ᾱ_T]`` (float64), increasing from 0 to nearly 1."""
    if not isinstance(num_steps, int) or num_steps < 1:
        raise ValueError(f"T (num_steps) must be an int >= 1, got {num_steps!r}")
    if not offset >= 0:
        raise ValueError(f"offset must be >= 0, got {offset!r}")
    t = torch.arange(num_steps + 1, dtype=torch.float64)
    phase = (1.0 - t / num_steps + offset) / (1.0 + offset) * (math.pi / 2)
    alpha_bar = torch.cos(phase).pow(2).clamp(0.0, MAX_ALPHA_BAR)
    alpha_bar[0] = 0.0
    return alpha_bar


def snr(alpha_bar: Tensor) -> Tensor:
    """``SNR(t) = ᾱ_t / (1 − ᾱ_t)``."""
    return alpha_bar / (1.0 - alpha_bar)


def posterior_coefficients(alpha_bar: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """``(a, b, c)``, each ``[T]`` for steps t = 1..T (index t − 1), as in the module docstring."""
    prev, cur = alpha_bar[:-1], alpha_bar[1:]
    beta = 1.0 - prev / cur
    a = cur.sqrt() * beta / (1.0 - prev)
    b = (prev / cur).sqrt() * (1.0 - cur) / (1.0 - prev)
    c = (1.0 - cur) * beta / (1.0 - prev)
    return a, b, c


def prior_kl(u: Tensor, alpha_bar_0: Tensor) -> Tensor:
    """Per-sample ``KL(N(√ᾱ_0 u, (1 − ᾱ_0) I) ‖ N(0, I))`` for embeddings ``u`` ``[N, d]``:
    ``½ (ᾱ_0 ‖u‖² + d ((1 − ᾱ_0) − 1 − ln(1 − ᾱ_0)))`` (0 when ᾱ_0 = 0)."""
    d = u.shape[1]
    return 0.5 * (alpha_bar_0 * u.pow(2).sum(1) + d * (-alpha_bar_0 - torch.log1p(-alpha_bar_0)))


def run_posterior_chain(
    denoise: Callable[[int, Tensor], Tensor],
    coefficients: tuple[Tensor, Tensor, Tensor],
    like: Tensor,
    dim: int,
    mode: str,
) -> Tensor:
    """The inference chain ``z_k = a_k û_k(z_{k−1}) + b_k z_{k−1} (+ √c_k ε)``, k = 1..K.

    ``denoise(k, z)`` returns step k's clean-embedding estimate (k counted from 1);
    ``coefficients`` are ``(a, b, c)`` of :func:`posterior_coefficients`. ``mode="deterministic"``
    starts at the prior mean ``z_0 = 0`` and adds no noise; ``"stochastic"`` starts at
    ``z_0 ~ N(0, I)`` and adds it. ``like`` gives the batch size, dtype and device.
    """
    a, b, c = (coef.to(like.dtype) for coef in coefficients)
    shape = (like.shape[0], dim)
    z = like.new_zeros(shape) if mode == "deterministic" else like.new_empty(shape).normal_()
    for k in range(a.shape[0]):
        z_next = a[k] * denoise(k + 1, z) + b[k] * z
        if mode == "stochastic":
            z_next = z_next + c[k].sqrt() * torch.randn_like(z)
        z = z_next
    return z
