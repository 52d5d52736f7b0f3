"""Each rule's recipe: the constructor options, optimizer and amount of training it learns with.

A comparison is only meaningful when every cell learns what it is shown. A backprop-free rule
run at backprop's settings often does not: Forward-Forward with one epoch of Adam on 800 images
per experience reaches a learning accuracy (LA, mean of R[j, j]) of 0.05, NoProp 0.20. So
``forgetless compare`` trains every rule at its recipe below unless the config overrides it
(``rule_params.<rule>.<option>``, ``rule_train.<rule>.<setting>``). Backprop has no entry: it
trains with the config's own ``optimizer`` and ``train`` sections.

- ``params``: constructor options (:func:`forgetless.rules.build_rule`).
- ``optimizer``: ``name``, ``lr``, ``weight_decay`` (:func:`forgetless.rules.make_optimizer`).
- ``min_steps``: optimizer steps each experience gets at least: the epochs per experience are
  ``max(train.epochs, ceil(min_steps / batches per epoch))``. A step count, not an epoch count,
  because the data differ: on the embedded 800-image experiences at batch 64 (13 batches) 150
  steps are 12 epochs; on full Split-FashionMNIST (188 batches) one epoch already has more.

The recipes, with the learning accuracy measured on the embedded Split-MNIST sample (MLP
784-256-256-10, batch 64; ``forgetless compare preset=rules_split_mnist`` for seed 0, a plain loop
for the other seeds; docs/recipes.md):

- ``forward_forward``, ``collaborative_ff``: the loeweX aids (``recipe="loewex"``: input norm,
  straight-through ReLU gradient, peer normalisation 0.03, normal init) and hard negative labels,
  Adam 1e-3, 150 steps per experience (12 epochs): the setting of the i.i.d. Fashion-MNIST
  benchmark of docs/rules.md. LA 0.945 and 0.984 (seed 0); at 10 epochs FF gave 0.940, 0.946,
  0.926 on seeds 0, 1, 2. Forward-Forward learns slowly per step: 13 steps give LA 0.05. With a
  bounded or self-normalising activation the rule itself adapts the recipe: threshold scaled to
  the activation, straight-through only where it fits (:mod:`forgetless.rules.ff_threshold`).
- ``mono_forward``: Adam 1e-3, 40 steps (4 epochs): LA 0.976, 0.976, 0.980 on seeds 0, 1, 2.
- ``noprop`` (discrete time, T = 10): its own optimizer, AdamW 1e-3 with decay 1e-3, 40 steps, and
  ``mask_unseen=True`` (softmax and prediction over the classes seen so far; why, in
  :mod:`forgetless.rules.noprop`): LA 0.983, 0.983, 0.985 on seeds 0, 1, 2. Without the mask
  seed 0 never learned experiences 2 to 5 even at 130 steps (LA 0.20).
- ``noprop_ct``: ``weighting="uniform"`` (measured far better than the ELBO weighting, see
  :mod:`forgetless.rules.noprop_ct`), Adam 1e-3, 130 steps: LA 0.985 (seed 0).
  ``noprop_fm``: Adam 1e-3, 130 steps: LA 0.988 (seed 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class RuleRecipe:
    """Constructor options, optimizer settings and minimum steps per experience of one rule."""

    params: dict[str, Any] = field(default_factory=dict)
    optimizer: dict[str, Any] = field(default_factory=dict)
    min_steps: int = 1


_FF = {"recipe": "loewex", "negatives": "hard"}
_ADAM = {"name": "adam", "lr": 1e-3, "weight_decay": 0.0}

RECIPES: MappingProxyType[str, RuleRecipe] = MappingProxyType(
    {
        "forward_forward": RuleRecipe(dict(_FF), dict(_ADAM), 150),
        "collaborative_ff": RuleRecipe(dict(_FF), dict(_ADAM), 150),
        "mono_forward": RuleRecipe({}, dict(_ADAM), 40),
        "noprop": RuleRecipe(
            {"mask_unseen": True}, {"name": "adamw", "lr": 1e-3, "weight_decay": 1e-3}, 40
        ),
        "noprop_ct": RuleRecipe({"weighting": "uniform"}, dict(_ADAM), 130),
        "noprop_fm": RuleRecipe({}, dict(_ADAM), 130),
    }
)


def recipe(name: str) -> RuleRecipe:
    """The recipe of rule ``name`` (an empty one, for backprop or an unlisted rule)."""
    return RECIPES.get(name, RuleRecipe())


def epochs_for(min_steps: int, batches_per_epoch: int, epochs: int = 1) -> int:
    """Epochs per experience: at least ``epochs``, and enough for ``min_steps`` optimizer steps."""
    if batches_per_epoch < 1:
        raise ValueError(f"batches_per_epoch: expected an integer >= 1, got {batches_per_epoch}")
    return max(epochs, math.ceil(min_steps / batches_per_epoch))
