"""forgetless: sparse and adaptive activations and backprop-free training rules for continual learning.

One core (plain PyTorch), the Avalanche and Lightning doors, and the app; the layout and the
import rules: ``docs/architecture.md``.

``forgetless.compare(preset=..., **overrides)`` runs a comparison from Python and returns what
``results.json`` holds (see :mod:`forgetless.app.api`); ``python -m forgetless`` is the command.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.2.0"
__all__ = ["__version__", "compare"]


def compare(preset: str | None = None, overrides: Any = (), **keys: Any) -> dict:
    """Run ``forgetless compare`` from Python; see :func:`forgetless.app.api.compare`."""
    from forgetless.app.api import compare as run

    return run(preset, overrides, **keys)
