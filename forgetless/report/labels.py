"""The one label of a grid cell, used by the app, the report and the Lightning door."""

from __future__ import annotations

# The backprop rule's name (= forgetless.rules.BACKPROP, checked by tests/rules/test_rule_registry.py),
# written here because importing forgetless.rules would load every rule into the report.
BACKPROP = "backprop"


NO_HEAD = "none"  # the network's own output layer
REFERENCE = "reference"  # activation, rule and strategy of a reference head's cell


def cell_label(rule: str, activation: str, strategy: str, head: str = NO_HEAD) -> str:
    """``rule/activation/strategy``, the rule left out for backprop: ``relu/naive``,
    ``mono_forward/relu/naive``; a head is appended (``relu/naive/slda``); a reference head's
    cell is its head's name (``slda_pixels``)."""
    if rule == REFERENCE:
        return head
    prefix = "" if rule == BACKPROP else f"{rule}/"
    suffix = "" if head == NO_HEAD else f"/{head}"
    return f"{prefix}{activation}/{strategy}{suffix}"
