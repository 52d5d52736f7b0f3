"""forgetless.rules: how a network learns from a batch (backprop and backprop-free rules).

Each rule is one file declaring its ``ENTRY`` (:class:`~forgetless.rules.entry.RuleEntry`: name,
class, recipe); :mod:`forgetless.rules.registry` is derived from them. A rule is trained by one
optimizer from :func:`forgetless.optim.build_optimizer`.
"""

from forgetless.rules.backprop import BACKPROP, BackpropRule
from forgetless.rules.base import Rule
from forgetless.rules.collaborative_ff import CollaborativeForwardForwardRule
from forgetless.rules.entry import RuleEntry, RuleRecipe, epochs_for
from forgetless.rules.forward_forward import ForwardForwardRule
from forgetless.rules.mono_forward import MonoForwardRule
from forgetless.rules.noprop import NoPropDTRule
from forgetless.rules.noprop_ct import NoPropCTRule
from forgetless.rules.noprop_fm import NoPropFMRule
from forgetless.rules.registry import RULES, build_rule, list_rules, recipe, rule_entry

__all__ = [
    "BACKPROP",
    "RULES",
    "BackpropRule",
    "CollaborativeForwardForwardRule",
    "ForwardForwardRule",
    "MonoForwardRule",
    "NoPropCTRule",
    "NoPropDTRule",
    "NoPropFMRule",
    "Rule",
    "RuleEntry",
    "RuleRecipe",
    "build_rule",
    "epochs_for",
    "list_rules",
    "recipe",
    "rule_entry",
]
