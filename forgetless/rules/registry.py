"""The rule registry, derived from the ``ENTRY`` each rule file declares.

Adding a rule: a file ``forgetless/rules/<name>.py`` with its ``Rule`` subclass and
``ENTRY = RuleEntry(name, class, recipe)``, listed in :data:`_RULE_MODULES`;
``tests/rules/test_rule_registry.py`` fails while a rule file has no entry here.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

from forgetless.rules import (
    backprop,
    collaborative_ff,
    forward_forward,
    mono_forward,
    noprop,
    noprop_ct,
    noprop_fm,
)
from forgetless.rules.base import Rule
from forgetless.rules.entry import RuleEntry, RuleRecipe

_RULE_MODULES = (
    backprop,
    forward_forward,
    collaborative_ff,
    mono_forward,
    noprop,
    noprop_ct,
    noprop_fm,
)

RULES: MappingProxyType[str, RuleEntry] = MappingProxyType(
    {module.ENTRY.name: module.ENTRY for module in _RULE_MODULES}
)


def list_rules() -> list[str]:
    """Names accepted by :func:`build_rule`, sorted."""
    return sorted(RULES)


def rule_entry(name: str) -> RuleEntry:
    """The registry entry of rule ``name``.

    Raises:
        ValueError: ``name`` is not a registered rule.
    """
    if name not in RULES:
        raise ValueError(f"rule: unknown name {name!r}; known: {', '.join(list_rules())}")
    return RULES[name]


def recipe(name: str) -> RuleRecipe:
    """The recipe of rule ``name``; an empty one for a rule without (backprop).

    Raises:
        ValueError: ``name`` is not a registered rule.
    """
    return rule_entry(name).recipe or RuleRecipe()


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
    """Construct the rule ``name`` on a network of widths ``hidden`` with hidden ``activation``.

    Args:
        name: a registered rule (:func:`list_rules`).
        in_features, num_classes: input size and number of classes.
        hidden: hidden widths.
        activation, activation_params: the hidden activation (a registry name) and its options.
        **params: the rule's own constructor options (``theta``, ``predict_mode``, ``T``, ...).

    Raises:
        ValueError: an unknown ``name``, or options the rule does not take or refuses.
    """
    rule = rule_entry(name).rule
    try:
        return rule(
            in_features,
            num_classes,
            hidden=hidden,
            activation=activation,
            activation_params=activation_params,
            **params,
        )
    except TypeError as err:
        raise ValueError(f"rule {name!r}: bad parameters {sorted(params)}: {err}") from err
