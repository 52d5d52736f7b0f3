"""The ordinary torch activations offered by the registry: factories with checked parameters.

Each factory is registered under its own function name (its spec in ``SPECS`` below; the
reference and the functional are torch's own function). In-place variants are not offered: a
swapped-in activation must not overwrite its input.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from forgetless.checks import as_finite_float, positive

from .inactive import InactiveTest, exactly, near, never
from .spec import ActivationSpec


def relu() -> nn.Module:
    return nn.ReLU()


def relu6() -> nn.Module:
    return nn.ReLU6()


def leaky_relu(negative_slope: float = 0.01) -> nn.Module:
    return nn.LeakyReLU(as_finite_float("leaky_relu", "negative_slope", negative_slope))


def elu(alpha: float = 1.0) -> nn.Module:
    return nn.ELU(positive("elu", "alpha", alpha))


def celu(alpha: float = 1.0) -> nn.Module:
    return nn.CELU(positive("celu", "alpha", alpha))


def selu() -> nn.Module:
    return nn.SELU()


def gelu(approximate: str = "none") -> nn.Module:
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return nn.GELU(approximate=approximate)


def silu() -> nn.Module:
    return nn.SiLU()


def mish() -> nn.Module:
    return nn.Mish()


def hardswish() -> nn.Module:
    return nn.Hardswish()


def softplus(beta: float = 1.0, threshold: float = 20.0) -> nn.Module:
    return nn.Softplus(
        positive("softplus", "beta", beta), positive("softplus", "threshold", threshold)
    )


def tanh() -> nn.Module:
    return nn.Tanh()


def sigmoid() -> nn.Module:
    return nn.Sigmoid()


def identity() -> nn.Module:
    return nn.Identity()


def _identity(x: torch.Tensor) -> torch.Tensor:
    return x


_NEGATIVE_SATURATION = {"alpha": "saturation value for x → −∞"}

# factory -> (module class, torch's function, meaning of each factory parameter); the factory's
# name is the registry name.
_TORCH = {
    relu: (nn.ReLU, F.relu, {}),
    relu6: (nn.ReLU6, F.relu6, {}),
    leaky_relu: (nn.LeakyReLU, F.leaky_relu, {"negative_slope": "slope for x < 0"}),
    elu: (nn.ELU, F.elu, _NEGATIVE_SATURATION),
    celu: (nn.CELU, F.celu, _NEGATIVE_SATURATION),
    selu: (nn.SELU, F.selu, {}),
    gelu: (nn.GELU, F.gelu, {"approximate": "'none' (exact erf) or 'tanh'"}),
    silu: (nn.SiLU, F.silu, {}),
    mish: (nn.Mish, F.mish, {}),
    hardswish: (nn.Hardswish, F.hardswish, {}),
    softplus: (
        nn.Softplus,
        F.softplus,
        {"beta": "sharpness", "threshold": "above beta·x > threshold, y = x"},
    ),
    tanh: (nn.Tanh, torch.tanh, {}),
    sigmoid: (nn.Sigmoid, torch.sigmoid, {}),
    identity: (nn.Identity, _identity, {}),
}

_SELU_LIMIT = -1.0507009873554805 * 1.6732632423543772  # SELU's scale · alpha


def _negative_saturation(module: nn.Module) -> tuple[float]:
    return (-module.alpha,)


# factory -> where its output is flat (exactly 0, ReLU's form, unless listed): docs/plasticity.md.
_INACTIVE: dict[object, InactiveTest] = {
    relu6: exactly(0.0, 6.0),
    leaky_relu: never,
    elu: near(_negative_saturation, lambda m: 0.01 * m.alpha),
    celu: near(_negative_saturation, lambda m: 0.01 * m.alpha),
    selu: near((_SELU_LIMIT,), 0.01 * -_SELU_LIMIT),
    gelu: near((0.0,)),
    silu: near((0.0,)),
    mish: near((0.0,)),
    softplus: near((0.0,)),
    tanh: near((-1.0, 1.0)),
    sigmoid: near((0.0, 1.0)),
    identity: never,
}

SPECS = tuple(
    ActivationSpec(
        name=factory.__name__,
        reference=function,
        functional=function,
        module=module,
        factory=factory,
        meanings=meanings,
        **({"inactive": _INACTIVE[factory]} if factory in _INACTIVE else {}),
    )
    for factory, (module, function, meanings) in _TORCH.items()
)
