"""Elephant activation and its learnable per-unit variant.

Papers: "Elephant Neural Networks: Born to Be a Continual Learner" (Lan & Mahmood, 2023) and
"Efficient Reinforcement Learning by Reducing Forgetting with Elephant Activation Functions"
(the 2025 follow-up that makes width and height trainable per unit).

    elephant(x; a, d) = 1 / (1 + |x / a|^d)                  a > 0 width, d >= 1 sharpness
    learnable:  y = h / (1 + |x / sigma|^d),  sigma = exp(log_sigma), h = exp(log_h) per unit

Numerics (decided here): ``|x/a|^d`` is never formed for ``|x| > a``. With r = |x| / a,
``r <= 1`` uses ``1 / (1 + r^d)`` and ``r > 1`` uses the algebraically equal
``q / (1 + q)`` with ``q = (a / |x|)^d``; each branch only ever sees numbers in [0, 1] (its
input is replaced by the width on the other side of the boundary before dividing), so there is no inf/inf, and
no 0 * inf in the backward pass even when the other branch is masked out. Hence
``elephant(+-1e30) == 0`` with gradient 0, and ``elephant(0) == 1`` with gradient 0 (for d = 1
the derivative jumps at 0; the gradient there is the subgradient 0). Half and bfloat16 inputs
are computed in float32 and cast back.

Default width: ``a = 1.0`` here, a scale-free choice that does not kill unnormalised
pre-activations at init (the pitfall of small widths); experiment presets pick their own width
from a sweep (the Hard ASH harness swept a in {0.02, 0.04, 0.08, 0.16} with d = 4 on
weight-normalised layers). Default sharpness d = 4.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from forgetless.kernels import names
from forgetless.kernels.dispatch import dispatch

from ._argument_checks import at_least, floating_input, normalize_dim, optional_count, positive
from ._lazy_per_channel import LazyPerChannel
from .hidden_layer import flag, normalize_input
from .reference_inputs import compute_dtype, per_channel


def _bump(magnitude: torch.Tensor, width: torch.Tensor | float, d: float) -> torch.Tensor:
    """1 / (1 + (magnitude / width)^d) without forming a power of a number above 1.

    ``torch.where`` (not clamp) picks each branch's safe input, so the derivative at
    ``|x| == width`` is the true one (clamp passes no gradient at its boundary).
    """
    inside = magnitude <= width
    if not isinstance(width, torch.Tensor):
        width = torch.tensor(width, dtype=magnitude.dtype, device=magnitude.device)
    p = (torch.where(inside, magnitude, width) / width).pow(d)
    q = (width / torch.where(inside, width, magnitude)).pow(d)
    return torch.where(inside, 1.0 / (1.0 + p), q / (1.0 + q))


def elephant_reference(x: torch.Tensor, a: float = 1.0, d: float = 4.0) -> torch.Tensor:
    """Reference elephant: ``1 / (1 + |x / a|^d)`` (pure PyTorch, autograd gives the gradient).

    The gradient is ``-(d / a) * sign(x) * |x/a|^(d-1) / (1 + |x/a|^d)^2``.
    """
    work = x.to(compute_dtype(x))
    return _bump(work.abs(), a, d).to(x.dtype)


def elephant(x: torch.Tensor, a: float = 1.0, d: float = 4.0) -> torch.Tensor:
    """Elephant activation ``1 / (1 + |x / a|^d)``; fused kernel when available.

    Raises ValueError unless a is finite and > 0 and d is finite and >= 1.
    """
    floating_input(names.ELEPHANT, x)
    a = positive(names.ELEPHANT, "a", a)
    d = at_least(names.ELEPHANT, "d", d, 1.0)
    return dispatch(names.ELEPHANT, elephant_reference, x, a, d)


class Elephant(nn.Module):
    """Elephant activation module (fixed a and d); see :func:`elephant`.

    ``input_norm=True`` applies it to the sample-standardised input, as the authors' code does
    with a LayerNorm (:mod:`forgetless.activations.hidden_layer`; the registry's default).
    """

    def __init__(self, a: float = 1.0, d: float = 4.0, input_norm: bool = False) -> None:
        super().__init__()
        self.a = positive("Elephant", "a", a)
        self.d = at_least("Elephant", "d", d, 1.0)
        self.input_norm = flag("Elephant", "input_norm", input_norm)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return elephant(normalize_input(x) if self.input_norm else x, self.a, self.d)

    def extra_repr(self) -> str:
        return f"a={self.a}, d={self.d}, input_norm={self.input_norm}"


def learnable_elephant_reference(
    x: torch.Tensor,
    log_sigma: torch.Tensor,
    log_h: torch.Tensor,
    d: float = 4.0,
    channel_dim: int = 1,
) -> torch.Tensor:
    """Reference learnable elephant: ``exp(log_h) / (1 + |x / exp(log_sigma)|^d)``.

    ``log_sigma`` and ``log_h`` hold one value per unit along ``channel_dim`` (or one value for
    all units). The computation runs in the promoted dtype of x and the parameters (>= float32).
    """
    dtype = compute_dtype(x, log_sigma, log_h)
    sigma = per_channel(names.LEARNABLE_ELEPHANT, "log_sigma", log_sigma, x, channel_dim)
    height = per_channel(names.LEARNABLE_ELEPHANT, "log_h", log_h, x, channel_dim)
    sigma = sigma.to(dtype).exp()
    height = height.to(dtype).exp()
    work = x.to(dtype)
    return (height * _bump(work.abs(), sigma, d)).to(x.dtype)


def learnable_elephant(
    x: torch.Tensor,
    log_sigma: torch.Tensor,
    log_h: torch.Tensor,
    d: float = 4.0,
    channel_dim: int = 1,
) -> torch.Tensor:
    """Learnable elephant ``h / (1 + |x / sigma|^d)`` per unit; fused kernel when available."""
    name = names.LEARNABLE_ELEPHANT
    floating_input(name, x)
    d = at_least(name, "d", d, 1.0)
    normalize_dim(name, "channel_dim", channel_dim, x.dim())
    return dispatch(name, learnable_elephant_reference, x, log_sigma, log_h, d, channel_dim)


class LearnableElephant(LazyPerChannel):
    """Elephant with trainable per-unit width sigma and height h (d fixed).

    Parameters ``log_sigma`` and ``log_h`` (shape ``(num_units,)``) start at ``log(sigma)`` and
    ``log(h)``; working in log space keeps sigma and h positive without a clamp. The authors put
    a LayerNorm before this activation (``input_norm=True``, the registry's default) and spread
    the preceding layer's biases evenly so the bumps cover the input range (not offered: it
    lowered LA in our measurement, docs/recipes.md).

    ``num_units=None`` infers the count from ``x.shape[channel_dim]`` on the first forward (see
    :mod:`forgetless.activations._lazy_per_channel`; build the optimizer after that, or let
    :func:`swap_activations` infer it from the preceding layer).
    """

    no_weight_decay = True

    def __init__(
        self,
        num_units: int | None,
        d: float = 4.0,
        sigma: float = 0.1,
        h: float = 1.0,
        channel_dim: int = 1,
        input_norm: bool = False,
    ) -> None:
        super().__init__()
        owner = "LearnableElephant"
        self.input_norm = flag(owner, "input_norm", input_norm)
        num_units = optional_count(owner, "num_units", num_units)
        self.d = at_least(owner, "d", d, 1.0)
        sigma = positive(owner, "sigma", sigma)
        h = positive(owner, "h", h)
        if isinstance(channel_dim, bool) or not isinstance(channel_dim, int):
            raise ValueError(f"{owner}: channel_dim must be an int, got {channel_dim!r}")
        self.channel_dim = channel_dim
        self._create_parameters(num_units, {"log_sigma": math.log(sigma), "log_h": math.log(h)})

    @property
    def num_units(self) -> int | None:
        """Number of units (None until inferred)."""
        return self.size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = normalize_input(x) if self.input_norm else x
        return learnable_elephant(x, self.log_sigma, self.log_h, self.d, self.channel_dim)

    def extra_repr(self) -> str:
        return (
            f"num_units={self.num_units}, d={self.d}, channel_dim={self.channel_dim}, "
            f"input_norm={self.input_norm}"
        )
