"""The plain formulas a user would write for each activation: the honest torch.compile baseline.

The project's references (:mod:`forgetless.activations`) are definitions built for exactness
(float64 statistics for ASH, overflow-safe forms, argument checks), and ``torch.compile`` of
them is slower than ``torch.compile`` of the short formula someone would type into a model.
A fused kernel has to beat the latter. Each function here takes the same positional arguments
as the benchmark's cases (tensors first, then the constants) and computes in the input dtype,
as written by hand; the per-row statistics of ASH / Hard ASH are over the last dim (the
benchmark's rows), the per-channel parameters along dim 1.

    elephant            1 / (1 + |x / a|^d)                      (Lan & Mahmood, 2023)
    learnable elephant  h / (1 + |x / σ|^d), σ = e^log_sigma, h = e^log_h
    tempered sigmoid    s · sigmoid(T·x) − o                      (Papernot et al., 2021)
    ASH                 x · sigmoid(α(x − μ − z_k σ))             (Lee et al., 2022)
    Hard ASH            clamp(x, 0, 2) · relu6(α(x − μ − z_k σ) + 3) / 6   (Keskinen, 2024)
    APA                 exp(logsigmoid(κx − ln λ) / λ), λ ≥ 1e-4  (Alexandridis et al., 2024)
    AGLU                x · APA(x)
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F


def _power(t: torch.Tensor, d: float) -> torch.Tensor:
    """|t|^d, by squaring for the default d = 4 (what a careful user writes)."""
    if d == 4.0:
        square = t * t
        return square * square
    return t.abs().pow(d)


def elephant(x: torch.Tensor, a: float, d: float) -> torch.Tensor:
    return 1.0 / (1.0 + _power(x * (1.0 / a), d))


def learnable_elephant(
    x: torch.Tensor, log_sigma: torch.Tensor, log_h: torch.Tensor, d: float, channel_dim: int
) -> torch.Tensor:
    return log_h.exp() / (1.0 + _power(x * (-log_sigma).exp(), d))


def tempered_sigmoid(x: torch.Tensor, s: float, T: float, o: float) -> torch.Tensor:
    return s * torch.sigmoid(T * x) - o


def _threshold(x: torch.Tensor, alpha: float, z_k: float) -> torch.Tensor:
    var, mu = torch.var_mean(x, dim=-1, keepdim=True, correction=0)
    return alpha * (x - mu - z_k * var.sqrt())


def ash(x: torch.Tensor, alpha: float, z_k: float, stat_dims=None) -> torch.Tensor:
    return x * torch.sigmoid(_threshold(x, alpha, z_k))


def hard_ash(x: torch.Tensor, alpha: float, z_k: float, stat_dims=None) -> torch.Tensor:
    return x.clamp(0.0, 2.0) * F.relu6(_threshold(x, alpha, z_k) + 3.0) / 6.0


def apa(x: torch.Tensor, kappa: torch.Tensor, lam: torch.Tensor, channel_dim: int = 1):
    lam = lam.clamp_min(1e-4)
    return torch.exp(F.logsigmoid(kappa * x - lam.log()) / lam)


def aglu(x: torch.Tensor, kappa: torch.Tensor, lam: torch.Tensor, channel_dim: int = 1):
    return x * apa(x, kappa, lam, channel_dim)


PLAIN: dict[str, Callable[..., torch.Tensor]] = {
    "elephant": elephant,
    "learnable_elephant": learnable_elephant,
    "tempered_sigmoid": tempered_sigmoid,
    "ash": ash,
    "hard_ash": hard_ash,
    "apa": apa,
    "aglu": aglu,
}
