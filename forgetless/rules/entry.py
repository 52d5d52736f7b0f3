"""What a rule declares about itself: its registry entry (name, class, recipe).

Each rule file ends with ``ENTRY = RuleEntry(...)``; :mod:`forgetless.rules.registry` collects
them. The recipe is what ``forgetless compare`` trains the rule with unless the config overrides
it (``rule_params.<rule>``, ``rule_train.<rule>``); why each recipe is what it is, and what it
reaches, is in docs/recipes.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from forgetless.rules.base import Rule

#: The optimizer of most recipes: Adam, lr 1e-3, no weight decay.
ADAM = {"name": "adam", "lr": 1e-3, "weight_decay": 0.0}


@dataclass(frozen=True)
class RuleRecipe:
    """How a rule learns in a comparison.

    Args:
        params: constructor options (:func:`forgetless.rules.build_rule`).
        optimizer: ``name``, ``lr``, ``weight_decay`` (:func:`forgetless.optim.build_optimizer`);
            empty: the config's own ``optimizer`` section.
        min_steps: optimizer steps each experience gets at least (see :func:`epochs_for`).
    """

    params: dict[str, Any] = field(default_factory=dict)
    optimizer: dict[str, Any] = field(default_factory=dict)
    min_steps: int = 1


@dataclass(frozen=True)
class RuleEntry:
    """One rule in the registry.

    Args:
        name: the name ``build_rule``, ``rules=[...]`` and ``RuleCallback`` accept.
        rule: the :class:`~forgetless.rules.base.Rule` subclass it builds.
        recipe: its recipe; None trains with the config's ``optimizer`` and ``train`` sections
            (backprop, the baseline every other rule is compared with).
    """

    name: str
    rule: type[Rule]
    recipe: RuleRecipe | None = None


def epochs_for(min_steps: int, batches_per_epoch: int, epochs: int = 1) -> int:
    """Epochs per experience: at least ``epochs``, and enough for ``min_steps`` optimizer steps,
    ``max(epochs, ceil(min_steps / batches_per_epoch))``.

    Raises:
        ValueError: ``batches_per_epoch < 1``.
    """
    if batches_per_epoch < 1:
        raise ValueError(f"batches_per_epoch: expected an integer >= 1, got {batches_per_epoch}")
    return max(epochs, math.ceil(min_steps / batches_per_epoch))
