"""Which parameters belong to activations, so they can be kept out of weight decay.

Learnable activation modules carry the class attribute ``no_weight_decay = True``
(LearnableElephant, APA, AGLU; users' own modules may set it too) and their parameters get
``weight_decay=0`` (why: docs/activations.md, "Weight decay")::

    torch.optim.AdamW(weight_decay_groups(model, 1e-3), lr=1e-3)
"""

from __future__ import annotations

from typing import Any

from torch import nn
from torch.nn.parameter import is_lazy

from forgetless.checks import at_least


def activation_parameters(model: nn.Module) -> list[nn.Parameter]:
    """Parameters of every submodule whose class sets ``no_weight_decay = True``.

    Raises ``ValueError`` if one is still lazily sized (run one forward pass first).
    """
    found: list[nn.Parameter] = []
    seen: set[int] = set()
    for name, module in model.named_modules():
        if not getattr(type(module), "no_weight_decay", False):
            continue
        for param_name, param in module.named_parameters(recurse=False):
            if is_lazy(param):
                where = f"{name}.{param_name}" if name else param_name
                raise ValueError(
                    f"activation_parameters: {where} is not sized yet; run one forward pass "
                    "(or swap_activations with a preceding layer) before building the optimizer"
                )
            if id(param) not in seen:
                seen.add(id(param))
                found.append(param)
    return found


def weight_decay_groups(model: nn.Module, weight_decay: float) -> list[dict[str, Any]]:
    """Optimizer parameter groups: everything with ``weight_decay``, activations with 0."""
    weight_decay = at_least("weight_decay_groups", "weight_decay", weight_decay, 0.0)
    activation = activation_parameters(model)
    excluded = {id(p) for p in activation}
    rest = [p for p in model.parameters() if id(p) not in excluded]
    groups = []
    if rest:
        groups.append({"params": rest, "weight_decay": weight_decay})
    if activation:
        groups.append({"params": activation, "weight_decay": 0.0})
    return groups
