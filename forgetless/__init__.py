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
    """Run a comparison grid like ``forgetless compare``; return its results.

    Args:
        preset: a preset name (``forgetless presets``); None: ``split_mnist``.
        overrides: ``"key=value"`` strings exactly as on the command line, applied last.
        **keys: top-level config keys; a section is a dict (``train={"epochs": 2}``). Numpy
            scalars and arrays are accepted where a number or a list is.

    Returns:
        The contents of the run's ``results.json`` (``config``, ``environment``, ``cells``: one
        record per cell and seed, ...) plus ``rows`` (mean ± std over the seeds per row, see
        :func:`forgetless.app.api.rows`; e.g. ``results["rows"][0]["acc"]["mean"]``) and
        ``run_dir`` (the run folder).

    Raises:
        MissingExtraError: the Avalanche door's framework is not installed (an ImportError and a
            ConfigError, one line naming the extra), before anything is written.
        ConfigError: a bad value, in one line naming its key, before anything is written.
    """
    from forgetless.app.api import compare as run

    return run(preset, overrides, **keys)
