"""Build a torch optimizer from a config's ``optimizer`` section."""

from __future__ import annotations

from collections.abc import Iterable

import torch
from omegaconf import DictConfig


def build_optimizer(
    section: DictConfig, params: Iterable[torch.nn.Parameter]
) -> torch.optim.Optimizer:
    """sgd (momentum), adam, adamw or adagrad (initial accumulator) with ``lr`` and ``weight_decay``."""
    name, lr, wd = section.name, section.lr, section.weight_decay
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=section.momentum, weight_decay=wd)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd)
    if name == "adagrad":
        return torch.optim.Adagrad(
            params,
            lr=lr,
            weight_decay=wd,
            initial_accumulator_value=section.initial_accumulator_value,
        )
    raise ValueError(f"optimizer.name: expected one of sgd, adam, adamw, adagrad, got {name!r}")
