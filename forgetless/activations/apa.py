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

Decisions:

* lam is kept positive inside the reference by ``lam_eff = lam + (lam.clamp_min(1e-4) - lam)
  .detach()``: the value is at least ``LAM_MIN = 1e-4`` (one of the authors' clamps) while the
  gradient still reaches lam, so an optimizer can move lam back up.
* Deterministic init kappa = 1, lam = 1 (APA starts as the sigmoid, AGLU as SiLU); a
  non-positive lam init is rejected.
* kappa and lam are one scalar (``num_parameters=1``) or one per channel along
  ``channel_dim``; ``num_parameters=None`` infers the channel count on the first forward (see
  :mod:`forgetless.activations._lazy_per_channel`).
* The modules set ``no_weight_decay = True``; :func:`forgetless.activations.activation_parameters`
  collects their parameters so they can go in a weight-decay-free optimizer group.
* The reference computes in float64 for float16, bfloat16 and float32 inputs and casts back.
  In float32 the backward pass of ``x * APA(x)`` forms ``x * p / lam`` (up to 1e4 * |x|) before
  it is multiplied by ``sigmoid(-u) = 0``, which overflows to inf * 0 = NaN for |x| near the
  float32 maximum; in float64 every float32 input and parameter is safe and the gradient stays
  exact. (A fused float32 kernel has to order the analytic gradient so that it multiplies by
  ``sigmoid(-u)`` before by x.)
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from forgetless.kernels import names
from forgetless.kernels.dispatch import dispatch

from ._argument_checks import (
    as_finite_float,
    floating_input,
    normalize_dim,
    optional_count,
    positive,
)
from ._lazy_per_channel import LazyPerChannel
from .hidden_layer import flag
from .reference_inputs import compute_dtype, per_channel

LAM_MIN = 1e-4
# The gate is computed in float64 (see the module docstring, last point).
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
    kappa = per_channel(names.APA, "kappa", kappa, x, channel_dim).to(dtype)
    lam = per_channel(names.APA, "lam", lam, x, channel_dim).to(dtype)
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
    """APA gate (output in [0, 1]); kappa, lam scalars or per-channel tensors. Fused if possible."""
    _check_call(names.APA, x, kappa, lam, channel_dim)
    return dispatch(names.APA, apa_reference, x, kappa, lam, channel_dim)


def aglu(
    x: torch.Tensor,
    kappa: torch.Tensor | float = 1.0,
    lam: torch.Tensor | float = 1.0,
    channel_dim: int = 1,
) -> torch.Tensor:
    """AGLU ``x * APA(x)``; kappa, lam scalars or per-channel tensors. Fused if possible."""
    _check_call(names.AGLU, x, kappa, lam, channel_dim)
    return dispatch(names.AGLU, aglu_reference, x, kappa, lam, channel_dim)


class APABase(LazyPerChannel):
    """What APA and AGLU share: learnable kappa, lam (one value, or one per channel)."""

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

    ``centered=True`` returns ``2 · APA(x) − 1`` (a hidden activation centred on 0; the
    registry's default, :mod:`forgetless.activations.hidden_layer`).
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
