"""Objects named by ``"package.module:attribute"`` strings, imported only when asked for.

The registries (:mod:`forgetless.scenario_specs`, :mod:`forgetless.strategy_specs`) name their
builders and framework classes this way, so reading a registry imports nothing heavy.
"""

from __future__ import annotations

import importlib
from typing import Any


def resolve(path: str) -> Any:
    """The object named by ``"package.module:attribute"``, imported now.

    Args:
        path: the module's dotted name, a colon, the attribute's name.

    Raises:
        ValueError: ``path`` has no ``:``.
        ImportError, AttributeError: the module or the attribute does not exist.
    """
    module, sep, attribute = path.partition(":")
    if not sep:
        raise ValueError(f"path: expected 'module:attribute', got {path!r}")
    return getattr(importlib.import_module(module), attribute)
