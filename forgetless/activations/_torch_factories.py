"""Factories for the ordinary torch activations offered by the registry, with checked params.

Each factory is registered under its own function name. In-place variants are not offered: a
swapped-in activation must not overwrite its input.
"""

from __future__ import annotations

from torch import nn

from ._argument_checks import as_finite_float, positive


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


TORCH_FACTORIES = {
    factory.__name__: factory
    for factory in (
        relu,
        relu6,
        leaky_relu,
        elu,
        celu,
        selu,
        gelu,
        silu,
        mish,
        hardswish,
        softplus,
        tanh,
        sigmoid,
        identity,
    )
}
