"""What a run needs beyond the base install: the extra of the door its cells go through.

``pip install forgetless`` gives the core, the config checks and the listings; ``compare`` and
``sweep`` train through the Avalanche door, and ``privacy.enabled`` through Opacus. Each is looked
for with :func:`importlib.util.find_spec`, never imported (validating a config loads no
framework), so a missing one is one line naming the extra, before anything is written.
"""

from __future__ import annotations

import importlib.util

from forgetless.app.configs.load import ConfigError


class MissingExtraError(ConfigError, ImportError):
    """A run needs an extra that is not installed (one line naming the extra and the module).

    Both a :class:`ConfigError` (the command line exits with code 2) and an :class:`ImportError`.
    """


def installed(module: str) -> bool:
    """True when top-level ``module`` can be imported (found, not imported)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # an import hook refusing it, or a broken entry
        return False


def require(module: str, extra: str, who: str, why: str) -> None:
    """Raise :class:`MissingExtraError` unless ``module`` is installed.

    Args:
        module: the top-level module the extra provides (``"avalanche"``).
        extra: its extra in setup.cfg (``"avalanche"``).
        who: what needs it, the start of the message (``"forgetless compare"``).
        why: what it does with it (``"runs its cells through the Avalanche door"``).

    Raises:
        MissingExtraError: ``"<who> <why>; install it with pip install 'forgetless[<extra>]'
            (missing module: <module>)"``.
    """
    if not installed(module):
        raise MissingExtraError(
            f"{who} {why}; install it with pip install 'forgetless[{extra}]' "
            f"(missing module: {module})"
        )


def require_avalanche_door(who: str) -> None:
    """Raise :class:`MissingExtraError` unless the Avalanche door's framework is installed.

    Args:
        who: the command or function that runs cells (``"forgetless compare"``).
    """
    require("avalanche", "avalanche", who, "runs its cells through the Avalanche door")
