"""Learnable elephant: the elephant bump with a trainable width and height per unit.

Paper: "Efficient Reinforcement Learning by Reducing Forgetting with Elephant Activation
Functions" (the 2025 follow-up of "Elephant Neural Networks: Born to Be a Continual Learner",
Lan & Mahmood, 2023).

    y = h / (1 + |x / sigma|^d),   sigma = exp(log_sigma), h = exp(log_h) per unit, d fixed

Working in log space keeps sigma and h positive without a clamp; the bump is the elephant's
overflow-safe :func:`~forgetless.activations.elephant.bump`.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from forgetless.checks import (
    at_least,
    flag,
    floating_input,
    normalize_dim,
    optional_count,
    positive,
)
from forgetless.kernels.dispatch import dispatch

from ._lazy_per_channel import LazyPerChannel
from .elephant import bump
from .inactive import near
from .reference_inputs import compute_dtype, normalize_input, per_channel
from .spec import CHANNEL_DIM, INPUT_NORM, PER_CHANNEL, ActivationSpec

NAME = "learnable_elephant"


def learnable_elephant_reference(
    x: torch.Tensor,
    log_sigma: torch.Tensor,
    log_h: torch.Tensor,
    d: float = 4.0,
    channel_dim: int = 1,
) -> torch.Tensor:
    """Reference learnable elephant: ``exp(log_h) / (1 + |x / exp(log_sigma)|^d)``.

    Args:
        x: the input.
        log_sigma: log widths, one per unit along ``channel_dim`` (or one for all units).
        log_h: log heights, shaped like ``log_sigma``.
        d: the sharpness (>= 1).
        channel_dim: the axis of x that holds the units.

    The computation runs in the promoted dtype of x and the parameters (>= float32).

    Raises:
        ValueError: if a parameter's length does not match the units along ``channel_dim``.
    """
    dtype = compute_dtype(x, log_sigma, log_h)
    sigma = per_channel(NAME, "log_sigma", log_sigma, x, channel_dim)
    height = per_channel(NAME, "log_h", log_h, x, channel_dim)
    sigma = sigma.to(dtype).exp()
    height = height.to(dtype).exp()
    work = x.to(dtype)
    return (height * bump(work.abs(), sigma, d)).to(x.dtype)


def learnable_elephant(
    x: torch.Tensor,
    log_sigma: torch.Tensor,
    log_h: torch.Tensor,
    d: float = 4.0,
    channel_dim: int = 1,
) -> torch.Tensor:
    """Learnable elephant ``h / (1 + |x / sigma|^d)`` per unit; fused kernel when available.

    Args: as :func:`learnable_elephant_reference`.

    Raises:
        ValueError: if x is not a floating tensor, d is not finite and >= 1 or channel_dim is
            not an axis of x.
    """
    floating_input(NAME, x)
    d = at_least(NAME, "d", d, 1.0)
    normalize_dim(NAME, "channel_dim", channel_dim, x.dim())
    return dispatch(NAME, learnable_elephant_reference, x, log_sigma, log_h, d, channel_dim)


class LearnableElephant(LazyPerChannel):
    """Elephant with trainable per-unit width sigma and height h (d fixed).

    Parameters ``log_sigma`` and ``log_h`` (shape ``(num_units,)``) start at ``log(sigma)`` and
    ``log(h)``.

    Args:
        num_units: the number of units, or None to infer it from ``x.shape[channel_dim]`` on
            the first forward (:mod:`forgetless.activations._lazy_per_channel`; build the
            optimizer after that, or let :func:`swap_activations` infer it).
        d: the sharpness, finite and >= 1.
        sigma: the initial width, > 0.
        h: the initial height, > 0.
        channel_dim: the axis that holds the units.
        input_norm: apply it to the sample-standardised input (the authors' LayerNorm; the
            registry's default).

    Raises:
        ValueError: for a value out of range or of the wrong type.
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

    def _as_rows(self, x: torch.Tensor) -> torch.Tensor:
        """``x``, or a 1-D ``x`` as one sample ``(1, units)`` when ``channel_dim`` is not one of
        its axes (the default 1); a 0-d ``x`` is refused (no units)."""
        if x.dim() == 0:
            raise ValueError(
                f"{NAME}: expected x of shape (batch, units, ...) or (units,), got a 0-d tensor"
            )
        if x.dim() == 1 and self.channel_dim not in (0, -1):
            return x.unsqueeze(0)
        return x

    def initialize_parameters(self, x: torch.Tensor, *args: object, **kwargs: object) -> None:
        super().initialize_parameters(self._as_rows(x), *args, **kwargs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = self._as_rows(x)
        one_sample = rows is not x
        rows = normalize_input(rows, NAME) if self.input_norm else rows
        y = learnable_elephant(rows, self.log_sigma, self.log_h, self.d, self.channel_dim)
        return y.squeeze(0) if one_sample else y

    def extra_repr(self) -> str:
        return (
            f"num_units={self.num_units}, d={self.d}, channel_dim={self.channel_dim}, "
            f"input_norm={self.input_norm}"
        )


def _registry_factory(
    num_units: int | None = None,
    d: float = 4.0,
    sigma: float = 0.5,
    h: float = 1.0,
    channel_dim: int = 1,
    input_norm: bool = True,
) -> nn.Module:
    return LearnableElephant(
        num_units, d=d, sigma=sigma, h=h, channel_dim=channel_dim, input_norm=input_norm
    )


SPECS = (
    ActivationSpec(
        name=NAME,
        reference=learnable_elephant_reference,
        functional=learnable_elephant,
        module=LearnableElephant,
        inactive=near((0.0,)),
        factory=_registry_factory,
        meanings={
            "num_units": "number of units with their own width and height; " + PER_CHANNEL,
            "d": "sharpness (power) of the bump, fixed",
            "sigma": "initial width σ (learned as log σ)",
            "h": "initial height h (learned as log h)",
            "channel_dim": CHANNEL_DIM,
            "input_norm": INPUT_NORM,
        },
        fused="forgetless.kernels.learnable_elephant:fused_learnable_elephant",
        per_sample_gradient=(
            "forgetless.privacy.grad_sampler_learnable_elephant:"
            "compute_learnable_elephant_grad_sample"
        ),
        examples=({"num_units": 4, "sigma": 0.1},),
        paper_defaults={"d": 4.0, "sigma": 0.1, "h": 1.0, "input_norm": True},
    ),
)
