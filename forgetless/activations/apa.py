"""APA (Adaptive Parametric Activation) and AGLU.

Paper: "Adaptive Parametric Activation" (Alexandridis et al., ECCV 2024).

    APA(z; kappa, lam) = (lam * exp(-kappa * z) + 1)^(-1 / lam)
                       = exp(logsigmoid(kappa * z - ln lam) / lam)      (the stable form used)
    AGLU(z)            = z * APA(z)

kappa = lam = 1 gives the logistic sigmoid (AGLU = SiLU); lam -> 0 the Gumbel CDF
``exp(-exp(-kappa z))``; kappa ~ 1.702, lam = 1 approximates GELU's gate.

Gradients: autograd of the reference is the exact gradient, including both terms of
``dp/dlam = -p * (logsigmoid(u) + 1 - sigmoid(u)) / lam^2`` (u = kappa z - ln lam); the
authors' custom backward keeps only the second term, which is wrong (a test shows it).

lam enters as ``lam_eff = max(lam, LAM_MIN = 1e-4)`` with the gradient passed straight through;
kappa and lam are one scalar or one per channel along ``channel_dim`` (``num_parameters=None``
infers the count on the first forward); the modules set ``no_weight_decay = True``; the
references compute in float64. Why each of these: docs/activations.md ("APA and AGLU").
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from forgetless.checks import (
    as_finite_float,
    flag,
    floating_input,
    normalize_dim,
    optional_count,
    positive,
)
from forgetless.kernels.dispatch import dispatch

from ._lazy_per_channel import LazyPerChannel
from .inactive import near
from .reference_inputs import compute_dtype, per_channel
from .spec import CHANNEL_DIM, PER_CHANNEL, ActivationSpec

APA_NAME = "apa"
AGLU_NAME = "aglu"

LAM_MIN = 1e-4
# The gate is computed in float64 (docs/activations.md, "APA and AGLU").
_WIDE = torch.empty((), dtype=torch.float64)


def _as_param_tensor(value: torch.Tensor | float, like: torch.Tensor) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        return value
    return torch.tensor(float(value), device=like.device)


def _gate(
    x: torch.Tensor, kappa: torch.Tensor | float, lam: torch.Tensor | float, channel_dim: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """(APA(x) in the compute dtype, x in the compute dtype)."""
    kappa = _as_param_tensor(kappa, x)
    lam = _as_param_tensor(lam, x)
    dtype = compute_dtype(x, kappa, lam, _WIDE)
    kappa = per_channel(APA_NAME, "kappa", kappa, x, channel_dim).to(dtype)
    lam = per_channel(APA_NAME, "lam", lam, x, channel_dim).to(dtype)
    lam_eff = lam + (lam.clamp_min(LAM_MIN) - lam).detach()
    work = x.to(dtype)
    return torch.exp(F.logsigmoid(kappa * work - torch.log(lam_eff)) / lam_eff), work


def apa_reference(
    x: torch.Tensor,
    kappa: torch.Tensor | float,
    lam: torch.Tensor | float,
    channel_dim: int = 1,
) -> torch.Tensor:
    """Reference APA ``exp(logsigmoid(kappa x - ln lam) / lam)`` with lam clamped >= 1e-4."""
    gate, _ = _gate(x, kappa, lam, channel_dim)
    return gate.to(x.dtype)


def aglu_reference(
    x: torch.Tensor,
    kappa: torch.Tensor | float,
    lam: torch.Tensor | float,
    channel_dim: int = 1,
) -> torch.Tensor:
    """Reference AGLU ``x * APA(x)``; 0 where the gate is 0, also at x = ±inf (the limit)."""
    gate, work = _gate(x, kappa, lam, channel_dim)
    # The gate reaches 0 only where it decays exponentially (x -> -inf for kappa > 0), so the
    # product's limit is 0; without this, -inf * 0 would be NaN.
    work = torch.where(gate == 0, torch.zeros_like(work), work)
    return (work * gate).to(x.dtype)


def _check_call(owner: str, x: torch.Tensor, kappa: object, lam: object, channel_dim: int) -> None:
    floating_input(owner, x)
    for name, value in (("kappa", kappa), ("lam", lam)):
        if not isinstance(value, torch.Tensor):
            as_finite_float(owner, name, value)
    if any(isinstance(v, torch.Tensor) and v.numel() > 1 for v in (kappa, lam)):
        normalize_dim(owner, "channel_dim", channel_dim, x.dim())


def apa(
    x: torch.Tensor,
    kappa: torch.Tensor | float = 1.0,
    lam: torch.Tensor | float = 1.0,
    channel_dim: int = 1,
) -> torch.Tensor:
    """APA gate ``(lam · exp(-kappa x) + 1)^(-1/lam)`` (in [0, 1]); fused kernel when available.

    Args:
        x: a floating-point tensor.
        kappa: the slope, a finite number or a tensor (one value, or one per channel).
        lam: the asymmetry (> 0; clamped at 1e-4 inside), a number or a tensor like kappa.
        channel_dim: the axis of x that per-channel tensors run along.

    Raises:
        ValueError: if x is not a floating tensor, a number is not finite, or channel_dim is not
            an axis of x while a parameter is per channel.
    """
    _check_call(APA_NAME, x, kappa, lam, channel_dim)
    return dispatch(APA_NAME, apa_reference, x, kappa, lam, channel_dim)


def aglu(
    x: torch.Tensor,
    kappa: torch.Tensor | float = 1.0,
    lam: torch.Tensor | float = 1.0,
    channel_dim: int = 1,
) -> torch.Tensor:
    """AGLU ``x * APA(x)``; fused kernel when available. Args and Raises: as :func:`apa`."""
    _check_call(AGLU_NAME, x, kappa, lam, channel_dim)
    return dispatch(AGLU_NAME, aglu_reference, x, kappa, lam, channel_dim)


class APABase(LazyPerChannel):
    """What APA and AGLU share: learnable kappa, lam (one value, or one per channel).

    Args:
        num_parameters: how many (kappa, lam) pairs: 1 shared, one per channel, or None to
            infer the channel count on the first forward.
        kappa: the initial kappa, finite.
        lam: the initial lam, finite and > 0.
        channel_dim: the axis that holds the channels.

    Raises:
        ValueError: for a value out of range or of the wrong type.
    """

    no_weight_decay = True

    def __init__(
        self,
        num_parameters: int | None = 1,
        kappa: float = 1.0,
        lam: float = 1.0,
        channel_dim: int = 1,
    ) -> None:
        super().__init__()
        owner = self._get_name()
        num_parameters = optional_count(owner, "num_parameters", num_parameters)
        kappa = as_finite_float(owner, "kappa", kappa)
        lam = positive(owner, "lam", lam)
        if isinstance(channel_dim, bool) or not isinstance(channel_dim, int):
            raise ValueError(f"{owner}: channel_dim must be an int, got {channel_dim!r}")
        self.channel_dim = channel_dim
        self._create_parameters(num_parameters, {"kappa": kappa, "lam": lam})

    @property
    def num_parameters(self) -> int | None:
        """Number of kappa/lam values (1 = shared; None until inferred)."""
        return self.size

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}, channel_dim={self.channel_dim}"


class APA(APABase):
    """APA gate with learnable kappa, lam (init 1, 1 = sigmoid); see :func:`apa`.

    Args: as :class:`APABase`, and ``centered``: return ``2 · APA(x) − 1`` (a hidden activation
    centred on 0, ``tanh(x / 2)`` at init; the registry's default).
    """

    def __init__(
        self,
        num_parameters: int | None = 1,
        kappa: float = 1.0,
        lam: float = 1.0,
        channel_dim: int = 1,
        centered: bool = False,
    ) -> None:
        super().__init__(num_parameters, kappa, lam, channel_dim)
        self.centered = flag("APA", "centered", centered)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate = apa(x, self.kappa, self.lam, self.channel_dim)
        return 2.0 * gate - 1.0 if self.centered else gate

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, centered={self.centered}"


class AGLU(APABase):
    """AGLU ``x * APA(x)`` with learnable kappa, lam (init 1, 1 = SiLU); see :func:`aglu`."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return aglu(x, self.kappa, self.lam, self.channel_dim)


def _apa_factory(
    num_parameters: int | None = 1,
    kappa: float = 1.0,
    lam: float = 1.0,
    channel_dim: int = 1,
    centered: bool = True,
) -> nn.Module:
    return APA(num_parameters, kappa=kappa, lam=lam, channel_dim=channel_dim, centered=centered)


_PAIRS = "how many (κ, λ) pairs: 1 shared, or one per channel; " + PER_CHANNEL
_GRAD_SAMPLE = "forgetless.privacy.grad_sampler_apa:compute_apa_grad_sample"


def _apa_limits(module: nn.Module) -> tuple[float, float]:
    """APA's gate flattens towards 0 and 1 (centred: −1 and 1)."""
    return (-1.0, 1.0) if module.centered else (0.0, 1.0)


SPECS = (
    ActivationSpec(
        name=APA_NAME,
        reference=apa_reference,
        functional=apa,
        module=APA,
        inactive=near(_apa_limits),
        factory=_apa_factory,
        meanings={
            "num_parameters": _PAIRS,
            "kappa": "initial κ, the slope of the asymmetric sigmoid (learned)",
            "lam": "initial λ, the asymmetry (learned; λ = 1 is symmetric)",
            "channel_dim": CHANNEL_DIM,
            "centered": "return 2 · APA(x) − 1, centred on 0 (tanh(x / 2) at init)",
        },
        fused="forgetless.kernels.apa:fused_apa",
        per_sample_gradient=_GRAD_SAMPLE,
        examples=({"num_parameters": 4, "kappa": 1.0, "lam": 1e-4},),
        paper_defaults={"centered": False},
    ),
    ActivationSpec(
        name=AGLU_NAME,
        reference=aglu_reference,
        functional=aglu,
        module=AGLU,
        inactive=near((0.0,)),
        factory=AGLU,
        meanings={
            "num_parameters": _PAIRS,
            "kappa": "initial κ of the gate x · APA(x) (learned)",
            "lam": "initial λ of the gate (learned; κ = λ = 1 is SiLU)",
            "channel_dim": CHANNEL_DIM,
        },
        fused="forgetless.kernels.apa:fused_aglu",
        per_sample_gradient=_GRAD_SAMPLE,
        examples=({"num_parameters": 4}, {"num_parameters": 1, "kappa": 2.0, "lam": 0.3}),
    ),
)
