"""forgetless: sparse and adaptive activations and backprop-free training rules for continual learning.

One core and two sealed doors (see ``docs/architecture.md``):

- the core, plain PyTorch: :mod:`forgetless.activations`, :mod:`forgetless.kernels`,
  :mod:`forgetless.rules`, :mod:`forgetless.scenarios`, :mod:`forgetless.metrics`,
  :mod:`forgetless.models`, :mod:`forgetless.privacy`, :mod:`forgetless.report`;
- the Avalanche door :mod:`forgetless.avalanche` and the Lightning door :mod:`forgetless.lightning`,
  each importing only its own framework;
- the app :mod:`forgetless.app` (the ``forgetless`` command, its configs, the comparison runner).

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
