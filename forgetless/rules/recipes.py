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

The recipes (measured on the embedded Split-MNIST sample, MLP 784-256-256-10, batch 64, seeds
0 to 2; commands and numbers in docs/recipes.md):

- ``forward_forward``, ``collaborative_ff``: the loeweX aids (``recipe="loewex"``: input norm,
  straight-through ReLU gradient, peer normalisation 0.03, normal init) and hard negative labels,
  Adam 1e-3, 150 steps per experience: the setting of the i.i.d. Fashion-MNIST benchmark of
  docs/rules.md. Forward-Forward learns slowly per step: 13 steps give LA 0.05.
- ``mono_forward``: Adam 1e-3, 40 steps.
- ``noprop`` (discrete time, T = 10): AdamW 1e-3 with weight decay 1.0, 130 steps. NoProp's own
  optimizer is AdamW 1e-3 with decay 1e-3; the stronger decay is this recipe's decision for
  continual learning. Each block's loss is the squared error of ``softmax(logits) · W_embed``,
  whose gradient vanishes when the softmax is sure of a wrong class. Adam keeps growing the
  logits of the classes of the first experience until that is so for every later class (the
  softmax saturates to one-hot in float32): with decay 1e-3 one seed in three never learned
  experiences 2 to 5 (LA 0.20). Decay 1.0 bounds the weights, hence the logits.
- ``noprop_ct``: ``weighting="uniform"`` (measured far better than the ELBO weighting, see
  :mod:`forgetless.rules.noprop_ct`), Adam 1e-3, 130 steps. ``noprop_fm``: Adam 1e-3, 130 steps.
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
