"""The one label of a grid cell, used by the app, the report and the Lightning door."""

from __future__ import annotations

from forgetless.rules.backprop import BACKPROP


def cell_label(rule: str, activation: str, strategy: str) -> str:
    """``rule/activation/strategy``, the rule left out for backprop: ``relu/naive``,
    ``mono_forward/relu/naive``."""
    prefix = "" if rule == BACKPROP else f"{rule}/"
    return f"{prefix}{activation}/{strategy}"
