"""What each activation parameter means, next to its default (``forgetless activations --params``).

Defaults are read from the registered factory's signature (the one source of truth); this module
holds only the one-line meanings. A parameter without an entry is shown with its default alone.
"""

from __future__ import annotations

import inspect

from forgetless.kernels import names

from .registry import _REGISTRY, available_activations

_PER_CHANNEL = "per-channel parameters (None: inferred from the first input or the layer before)"
_CHANNEL_DIM = "the axis that holds the channels / units"
_ASH_STATS = "axes of the per-sample mean and std (None: every axis but the batch axis)"

MEANINGS: dict[str, dict[str, str]] = {
    names.ELEPHANT: {
        "a": "width of the bump: y = 1 / (1 + |x/a|^d)",
        "d": "sharpness (power) of the bump; larger d is flatter on top, steeper at |x| = a",
    },
    names.LEARNABLE_ELEPHANT: {
        "num_units": "number of units with their own width and height; " + _PER_CHANNEL,
        "d": "sharpness (power) of the bump, fixed",
        "sigma": "initial width σ (learned as log σ)",
        "h": "initial height h (learned as log h)",
        "channel_dim": _CHANNEL_DIM,
    },
    names.ASH: {
        "alpha": "slope of the soft threshold: y = x · sigmoid(alpha (x − μ − z_k σ))",
        "z_k": "threshold in standard deviations above the sample mean (2.3 keeps ~1 % of units)",
        "stat_dims": _ASH_STATS,
    },
    names.HARD_ASH: {
        "alpha": "slope of the gate: y = clip(x, 0, 2) · relu6(alpha (x − μ − z_k σ) + 3) / 6",
        "z_k": "threshold in standard deviations above the sample mean",
        "stat_dims": _ASH_STATS,
    },
    names.TEMPERED_SIGMOID: {
        "s": "scale: y = s · sigmoid(T x) − o",
        "T": "inverse temperature",
        "o": "offset (s = 2, T = 2, o = 1 is tanh)",
    },
    names.APA: {
        "num_parameters": "how many (κ, λ) pairs: 1 shared, or one per channel; " + _PER_CHANNEL,
        "kappa": "initial κ, the slope of the asymmetric sigmoid (learned)",
        "lam": "initial λ, the asymmetry (learned; λ = 1 is symmetric)",
        "channel_dim": _CHANNEL_DIM,
    },
    names.AGLU: {
        "num_parameters": "how many (κ, λ) pairs: 1 shared, or one per channel; " + _PER_CHANNEL,
        "kappa": "initial κ of the gate x · APA(x) (learned)",
        "lam": "initial λ of the gate (learned; κ = λ = 1 is SiLU)",
        "channel_dim": _CHANNEL_DIM,
    },
    "leaky_relu": {"negative_slope": "slope for x < 0"},
    "elu": {"alpha": "saturation value for x → −∞"},
    "celu": {"alpha": "saturation value for x → −∞"},
    "gelu": {"approximate": "'none' (exact erf) or 'tanh'"},
    "softplus": {"beta": "sharpness", "threshold": "above beta·x > threshold, y = x"},
}


def activation_parameters_help(name: str) -> list[tuple[str, str, str]]:
    """``(parameter, default, meaning)`` for every keyword parameter of activation ``name``."""
    if name not in _REGISTRY:
        raise ValueError(
            f"unknown activation {name!r}; known: {', '.join(available_activations())}"
        )
    meanings = MEANINGS.get(name, {})
    rows = []
    for parameter in inspect.signature(_REGISTRY[name]).parameters.values():
        if parameter.kind not in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
            continue
        default = "required" if parameter.default is parameter.empty else repr(parameter.default)
        rows.append((parameter.name, default, meanings.get(parameter.name, "")))
    return rows
