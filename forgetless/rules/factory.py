"""Build a rule by name, and the one optimizer that trains it.

``build_rule(name, *, in_features, num_classes, hidden, activation, **params)`` with names
``backprop``, ``forward_forward``, ``collaborative_ff``, ``mono_forward``, ``noprop`` (NoProp-DT),
``noprop_ct`` (NoProp continuous time), ``noprop_fm`` (NoProp flow matching); ``params``
go to the rule's constructor (e.g. ``theta``, ``predict_mode``, ``T``, ``eta``, ``inference``).

Decision (optimizers): a rule is trained by one ordinary torch optimizer over all its parameters;
layer-wise rules step it once per layer with only that layer's gradients set (see
:mod:`forgetless.rules.base`). :func:`make_optimizer` builds it: ``sgd`` (lr, momentum,
weight_decay), ``adam`` or ``adamw`` (lr, weight_decay). Default: Adam, lr 1e-3. Learnable
activation parameters (APA/AGLU's κ, λ; learnable elephant's σ, h) are excluded from weight decay.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from forgetless.rules.backprop import BackpropRule
from forgetless.rules.base import Rule
from forgetless.rules.collaborative_ff import CollaborativeForwardForwardRule
from forgetless.rules.forward_forward import ForwardForwardRule
from forgetless.rules.mono_forward import MonoForwardRule
from forgetless.rules.noprop import NoPropDTRule
from forgetless.rules.noprop_ct import NoPropCTRule
from forgetless.rules.noprop_fm import NoPropFMRule

RULES: dict[str, Callable[..., Rule]] = {
    "backprop": BackpropRule,
    "forward_forward": ForwardForwardRule,
    "collaborative_ff": CollaborativeForwardForwardRule,
    "mono_forward": MonoForwardRule,
    "noprop": NoPropDTRule,
    "noprop_ct": NoPropCTRule,
    "noprop_fm": NoPropFMRule,
}

OPTIMIZERS = ("sgd", "adam", "adamw")


def list_rules() -> list[str]:
    """Names accepted by :func:`build_rule`."""
    return sorted(RULES)


def build_rule(
    name: str,
    *,
    in_features: int,
    num_classes: int,
    hidden: Sequence[int] = (256, 256),
    activation: str = "relu",
    activation_params: dict | None = None,
    **params: object,
) -> Rule:
    """Construct the rule ``name`` on an MLP of widths ``hidden`` with hidden ``activation``."""
    if name not in RULES:
        raise ValueError(f"rule: unknown name {name!r}; known: {', '.join(list_rules())}")
    try:
        return RULES[name](
            in_features,
            num_classes,
            hidden=hidden,
            activation=activation,
            activation_params=activation_params,
            **params,
        )
    except TypeError as err:
        raise ValueError(f"rule {name!r}: bad parameters {sorted(params)}: {err}") from err


def parameter_groups(rule: Rule, weight_decay: float) -> list[dict]:
    """All of ``rule``'s parameters with ``weight_decay``, except the activations' own (κ, λ, σ …).

    Those get no weight decay (``forgetless.activations.weight_decay_groups``) when the
    activations package is importable; otherwise one group holds everything.
    """
    try:
        from forgetless.activations import weight_decay_groups
    except ImportError:
        return [{"params": list(rule.parameters()), "weight_decay": weight_decay}]
    return weight_decay_groups(rule, weight_decay)


def make_optimizer(
    rule: Rule,
    name: str = "adam",
    *,
    lr: float = 1e-3,
    weight_decay: float = 0.0,
    momentum: float = 0.9,
) -> torch.optim.Optimizer:
    """One optimizer over ``rule.parameters()`` (``sgd``, ``adam`` or ``adamw``)."""
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer: unknown name {name!r}; known: {', '.join(OPTIMIZERS)}")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr!r}")
    if not weight_decay >= 0:
        raise ValueError(f"weight_decay must be >= 0, got {weight_decay!r}")
    params = parameter_groups(rule, weight_decay)
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
