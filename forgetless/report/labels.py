"""The one label of a grid cell, used by the app, the report and the Lightning door."""

from __future__ import annotations

# The backprop rule's name (= forgetless.rules.BACKPROP, checked by tests/rules/test_rule_registry.py),
# written here because importing forgetless.rules would load every rule into the report.
BACKPROP = "backprop"


def cell_label(rule: str, activation: str, strategy: str) -> str:
    """``rule/activation/strategy``, the rule left out for backprop: ``relu/naive``,
    ``mono_forward/relu/naive``."""
    prefix = "" if rule == BACKPROP else f"{rule}/"
    return f"{prefix}{activation}/{strategy}"
