"""The one optimizer builder: every path (the app's cells, the rules, the doors) builds its torch
optimizer here.

A model's parameters go into :func:`forgetless.activations.weight_decay_groups`: learnable
activation parameters (APA/AGLU's κ, λ; learnable elephant's σ, h) get no weight decay, every
other parameter gets ``weight_decay``. A model without such parameters gets one group holding
``model.parameters()`` in order, the same optimizer as ``torch.optim.X(model.parameters(), ...)``.
"""

from __future__ import annotations

import torch
from torch import nn

from forgetless.activations import weight_decay_groups

OPTIMIZERS = ("sgd", "adam", "adamw", "adagrad")


def build_optimizer(
    model: nn.Module,
    name: str = "adam",
    *,
    lr: float = 1e-3,
    weight_decay: float = 0.0,
    momentum: float = 0.9,
    initial_accumulator_value: float = 0.0,
) -> torch.optim.Optimizer:
    """One torch optimizer over ``model``'s parameters.

    Args:
        model: the network; its activations' own parameters are kept out of weight decay.
        name: ``sgd`` (with ``momentum``), ``adam``, ``adamw`` or ``adagrad`` (with
            ``initial_accumulator_value``).
        lr: learning rate, > 0.
        weight_decay: L2 penalty (``adamw``: decoupled decay), >= 0.
        momentum: SGD's momentum (other optimizers ignore it).
        initial_accumulator_value: Adagrad's starting sum of squares (others ignore it).

    Raises:
        ValueError: an unknown ``name``, ``lr <= 0`` or ``weight_decay < 0``.
    """
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer: unknown name {name!r}; known: {', '.join(OPTIMIZERS)}")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr!r}")
    if not weight_decay >= 0:
        raise ValueError(f"weight_decay must be >= 0, got {weight_decay!r}")
    params = weight_decay_groups(model, weight_decay)
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    return torch.optim.Adagrad(
        params,
        lr=lr,
        weight_decay=weight_decay,
        initial_accumulator_value=initial_accumulator_value,
    )
