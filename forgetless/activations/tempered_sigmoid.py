"""Tempered sigmoid activation.

Paper: "Tempered Sigmoid Activations for Deep Learning with Differential Privacy"
(Papernot et al., AAAI 2021).

    phi(x; s, T, o) = s * sigmoid(T * x) - o        s scale, T inverse temperature, o offset

Defaults (s, T, o) = (2, 2, 1) give tanh; (1, 1, 0) gives the logistic sigmoid. Bounded outputs
keep per-example gradient norms small under DP-SGD clipping. The hyperparameters are fixed.

Computed through the identity ``s * sigmoid(T x) - o = (s / 2) * tanh(T x / 2) + (s / 2 - o)``,
which is exact in real arithmetic and avoids the cancellation of ``2 * sigmoid(2x) - 1`` near 0:
with the defaults it evaluates ``torch.tanh(x)`` bit for bit. Decided: s > 0 and T > 0 (a
negative s or T only mirrors the curve, and 0 makes it constant), o any finite number.
"""

from __future__ import annotations

import torch
from torch import nn

from forgetless.kernels import names
from forgetless.kernels.dispatch import dispatch

from ._argument_checks import as_finite_float, floating_input, positive
from .reference_inputs import compute_dtype


def tempered_sigmoid_reference(
    x: torch.Tensor, s: float = 2.0, T: float = 2.0, o: float = 1.0
) -> torch.Tensor:
    """Reference tempered sigmoid ``s * sigmoid(T * x) - o`` (via the tanh identity)."""
    work = x.to(compute_dtype(x))
    half = s / 2.0
    return (half * torch.tanh(work * (T / 2.0)) + (half - o)).to(x.dtype)


def _checked(owner: str, s: float, T: float, o: float) -> tuple[float, float, float]:
    return positive(owner, "s", s), positive(owner, "T", T), as_finite_float(owner, "o", o)


def tempered_sigmoid(
    x: torch.Tensor, s: float = 2.0, T: float = 2.0, o: float = 1.0
) -> torch.Tensor:
    """Tempered sigmoid; s and T must be finite and > 0, o finite. Fused kernel when available."""
    floating_input(names.TEMPERED_SIGMOID, x)
    s, T, o = _checked(names.TEMPERED_SIGMOID, s, T, o)
    return dispatch(names.TEMPERED_SIGMOID, tempered_sigmoid_reference, x, s, T, o)


class TemperedSigmoid(nn.Module):
    """Tempered sigmoid module (fixed s, T, o; defaults = tanh); see :func:`tempered_sigmoid`."""

    def __init__(self, s: float = 2.0, T: float = 2.0, o: float = 1.0) -> None:
        super().__init__()
        self.s, self.T, self.o = _checked("TemperedSigmoid", s, T, o)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return tempered_sigmoid(x, self.s, self.T, self.o)

    def extra_repr(self) -> str:
        return f"s={self.s}, T={self.T}, o={self.o}"
