"""Tempered sigmoid activation.

Paper: "Tempered Sigmoid Activations for Deep Learning with Differential Privacy"
(Papernot et al., AAAI 2021).

    phi(x; s, T, o) = s * sigmoid(T * x) - o        s scale, T inverse temperature, o offset

Defaults (s, T, o) = (2, 2, 1) give tanh; (1, 1, 0) gives the logistic sigmoid. Bounded outputs
keep per-example gradient norms small under DP-SGD clipping. The hyperparameters are fixed.

Computed through the identity ``s * sigmoid(T x) - o = (s / 2) * tanh(T x / 2) + (s / 2 - o)``,
which is exact in real arithmetic and avoids the cancellation of ``2 * sigmoid(2x) - 1`` near 0:
with the defaults it evaluates ``torch.tanh(x)`` bit for bit. s > 0 and T > 0, o any finite
number (why: docs/activations.md).
"""

from __future__ import annotations

import torch
from torch import nn

from forgetless.checks import as_finite_float, floating_input, positive
from forgetless.kernels.dispatch import dispatch

from .inactive import BAND, near
from .reference_inputs import compute_dtype
from .spec import ActivationSpec

NAME = "tempered_sigmoid"


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
    """Tempered sigmoid ``s * sigmoid(T * x) - o``; fused kernel when available.

    Args:
        x: a floating-point tensor.
        s: the scale, finite and > 0.
        T: the inverse temperature, finite and > 0.
        o: the offset, finite.

    Raises:
        ValueError: if x is not a floating tensor or a value is out of range.
    """
    floating_input(NAME, x)
    s, T, o = _checked(NAME, s, T, o)
    return dispatch(NAME, tempered_sigmoid_reference, x, s, T, o)


class TemperedSigmoid(nn.Module):
    """Tempered sigmoid module (fixed s, T, o; defaults = tanh); see :func:`tempered_sigmoid`.

    Args: s, T, o as :func:`tempered_sigmoid`. Raises: ValueError for a value out of range.
    """

    def __init__(self, s: float = 2.0, T: float = 2.0, o: float = 1.0) -> None:
        super().__init__()
        self.s, self.T, self.o = _checked("TemperedSigmoid", s, T, o)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return tempered_sigmoid(x, self.s, self.T, self.o)

    def extra_repr(self) -> str:
        return f"s={self.s}, T={self.T}, o={self.o}"


def _limits(module: nn.Module) -> tuple[float, float]:
    """The tempered sigmoid flattens towards −o and s − o."""
    return (-module.o, module.s - module.o)


def _band(module: nn.Module) -> float:
    """The tanh band (|f| > 0.99) scaled by the half-range s / 2 (equal at s = 2, o = 1)."""
    return BAND * module.s / 2.0


SPECS = (
    ActivationSpec(
        name=NAME,
        reference=tempered_sigmoid_reference,
        functional=tempered_sigmoid,
        module=TemperedSigmoid,
        inactive=near(_limits, _band),
        factory=TemperedSigmoid,
        meanings={
            "s": "scale: y = s · sigmoid(T x) − o",
            "T": "inverse temperature",
            "o": "offset (s = 2, T = 2, o = 1 is tanh)",
        },
        fused="forgetless.kernels.tempered_sigmoid:fused_tempered_sigmoid",
        paper_defaults={"s": 2.0, "T": 2.0, "o": 1.0},
    ),
)
