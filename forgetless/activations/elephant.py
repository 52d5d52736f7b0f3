"""Elephant activation.

Paper: "Elephant Neural Networks: Born to Be a Continual Learner" (Lan & Mahmood, 2023).

    elephant(x; a, d) = 1 / (1 + |x / a|^d)                  a > 0 width, d >= 1 sharpness

The gradient is ``-(d / a) · sign(x) · |x/a|^(d-1) / (1 + |x/a|^d)^2``. ``|x/a|^d`` is never
formed for ``|x| > a`` (:func:`bump`), so ``elephant(±1e30) == 0`` with gradient 0 and
``elephant(0) == 1`` with gradient 0; half and bfloat16 inputs are computed in float32 and cast
back. The numerics and the choice of defaults: docs/activations.md.
"""

from __future__ import annotations

import torch
from torch import nn

from forgetless.checks import at_least, flag, floating_input, positive
from forgetless.kernels.dispatch import dispatch

from .inactive import near
from .reference_inputs import compute_dtype, normalize_input
from .spec import INPUT_NORM, ActivationSpec

NAME = "elephant"


def bump(magnitude: torch.Tensor, width: torch.Tensor | float, d: float) -> torch.Tensor:
    """``1 / (1 + (magnitude / width)^d)`` without forming a power of a number above 1.

    ``r <= 1`` (r = magnitude / width) uses ``1 / (1 + r^d)``, ``r > 1`` the equal
    ``q / (1 + q)`` with ``q = (width / magnitude)^d``. ``torch.where`` (not clamp) picks each
    branch's safe input, so the derivative at ``|x| == width`` is the true one (clamp passes no
    gradient at its boundary).
    """
    inside = magnitude <= width
    if not isinstance(width, torch.Tensor):
        width = torch.tensor(width, dtype=magnitude.dtype, device=magnitude.device)
    p = (torch.where(inside, magnitude, width) / width).pow(d)
    q = (width / torch.where(inside, width, magnitude)).pow(d)
    return torch.where(inside, 1.0 / (1.0 + p), q / (1.0 + q))


def elephant_reference(x: torch.Tensor, a: float = 1.0, d: float = 4.0) -> torch.Tensor:
    """Reference elephant: ``1 / (1 + |x / a|^d)`` (pure PyTorch, autograd gives the gradient).

    Args:
        x: the input, any floating dtype (half and bfloat16 computed in float32).
        a: the width (> 0).
        d: the sharpness (>= 1).
    """
    work = x.to(compute_dtype(x))
    return bump(work.abs(), a, d).to(x.dtype)


def elephant(x: torch.Tensor, a: float = 1.0, d: float = 4.0) -> torch.Tensor:
    """Elephant activation ``1 / (1 + |x / a|^d)``; fused kernel when available.

    Args:
        x: a floating-point tensor.
        a: the width, finite and > 0.
        d: the sharpness, finite and >= 1.

    Raises:
        ValueError: if x is not a floating tensor, a is not finite and > 0 or d is not finite
            and >= 1.
    """
    floating_input(NAME, x)
    a = positive(NAME, "a", a)
    d = at_least(NAME, "d", d, 1.0)
    return dispatch(NAME, elephant_reference, x, a, d)


class Elephant(nn.Module):
    """Elephant activation module (fixed a and d); see :func:`elephant`.

    Args:
        a: the width, finite and > 0.
        d: the sharpness, finite and >= 1.
        input_norm: apply it to the sample-standardised input
            (:func:`~forgetless.activations.reference_inputs.normalize_input`), as the authors'
            code does with a LayerNorm; the registry's default.

    Raises:
        ValueError: for a value out of range or an ``input_norm`` that is not a bool.
    """

    def __init__(self, a: float = 1.0, d: float = 4.0, input_norm: bool = False) -> None:
        super().__init__()
        self.a = positive("Elephant", "a", a)
        self.d = at_least("Elephant", "d", d, 1.0)
        self.input_norm = flag("Elephant", "input_norm", input_norm)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return elephant(normalize_input(x, NAME) if self.input_norm else x, self.a, self.d)

    def extra_repr(self) -> str:
        return f"a={self.a}, d={self.d}, input_norm={self.input_norm}"


def _registry_factory(a: float = 0.5, d: float = 4.0, input_norm: bool = True) -> nn.Module:
    return Elephant(a=a, d=d, input_norm=input_norm)


SPECS = (
    ActivationSpec(
        name=NAME,
        reference=elephant_reference,
        functional=elephant,
        module=Elephant,
        inactive=near((0.0,)),
        factory=_registry_factory,
        meanings={
            "a": "width of the bump: y = 1 / (1 + |x/a|^d)",
            "d": "sharpness (power) of the bump; larger d is flatter on top, steeper at |x| = a",
            "input_norm": INPUT_NORM,
        },
        fused="forgetless.kernels.elephant:fused_elephant",
        examples=({"a": 0.02, "d": 4.0}, {"a": 1.0, "d": 1.0}),
        paper_defaults={"d": 4.0, "input_norm": False},
    ),
)
