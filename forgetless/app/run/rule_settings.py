"""The settings one rule trains with in a comparison: its recipe, then the config's overrides.

Precedence, lowest first: the shared ``optimizer`` and ``train`` sections; the rule's recipe
(its registry entry, :mod:`forgetless.rules.entry`); ``rule_params.<rule>`` (constructor
options) and ``rule_train.<rule>`` (epochs, optimizer, lr, weight_decay, momentum). Backprop has
no recipe, so it trains with the shared sections unless ``rule_train.backprop`` says otherwise
(its network is the ``model`` section's; ``rule_params.backprop`` is refused by validation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from omegaconf import DictConfig, OmegaConf

from forgetless.rules import epochs_for, recipe
from forgetless.scenarios import Scenario

_OPTIMIZER_KEYS = {"optimizer": "name", "lr": "lr", "weight_decay": "weight_decay"}


@dataclass(frozen=True)
class RuleSettings:
    """Constructor options, optimizer section (``name``, ``lr``, ...) and epochs per experience."""

    params: dict[str, Any]
    optimizer: dict[str, Any]
    epochs: int

    def record(self) -> dict[str, Any]:
        """What results.json stores as the cell's ``training``."""
        return {"epochs": self.epochs, "optimizer": dict(self.optimizer), "params": self.params}


def _overrides(cfg: DictConfig, rule: str) -> dict[str, Any]:
    if rule not in cfg.rule_train:
        return {}
    section = OmegaConf.to_container(cfg.rule_train[rule])
    return {key: value for key, value in section.items() if value is not None}


def rule_settings(cfg: DictConfig, rule: str, scenario: Scenario) -> RuleSettings:
    """The merged settings of ``rule`` for ``cfg`` on ``scenario`` (see the module docstring).

    Raises:
        ValueError: ``rule`` is not a registered rule.
    """
    base = recipe(rule)
    user_params = cfg.rule_params[rule] if rule in cfg.rule_params else {}
    params = {**base.params, **OmegaConf.to_container(OmegaConf.create(dict(user_params)))}
    optimizer = {**OmegaConf.to_container(cfg.optimizer), **base.optimizer}
    override = _overrides(cfg, rule)
    for key, target in (*_OPTIMIZER_KEYS.items(), ("momentum", "momentum")):
        if key in override:
            optimizer[target] = override[key]
    if "epochs" in override:
        epochs = override["epochs"]
    elif cfg.scenario.streaming:
        epochs = 1  # one pass, whatever the recipe
    else:
        smallest = min(len(d) for d in scenario.train)
        epochs = epochs_for(
            base.min_steps, math.ceil(smallest / cfg.train.batch_size), cfg.train.epochs
        )
    return RuleSettings(params=params, optimizer=optimizer, epochs=int(epochs))
