"""forgetless.rules: how a network learns from a batch (backprop and backprop-free rules)."""

from forgetless.rules.backprop import BackpropRule
from forgetless.rules.base import Rule
from forgetless.rules.collaborative_ff import CollaborativeForwardForwardRule
from forgetless.rules.factory import build_rule, list_rules, make_optimizer
from forgetless.rules.forward_forward import ForwardForwardRule
from forgetless.rules.mono_forward import MonoForwardRule
from forgetless.rules.noprop import NoPropDTRule
from forgetless.rules.noprop_ct import NoPropCTRule
from forgetless.rules.noprop_fm import NoPropFMRule

__all__ = [
    "BackpropRule",
    "CollaborativeForwardForwardRule",
    "ForwardForwardRule",
    "MonoForwardRule",
    "NoPropCTRule",
    "NoPropDTRule",
    "NoPropFMRule",
    "Rule",
    "build_rule",
    "list_rules",
    "make_optimizer",
]
