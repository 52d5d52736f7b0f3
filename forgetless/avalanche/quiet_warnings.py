"""Warning filters for third-party noise met through the Avalanche door.

Avalanche imports ``qpsolvers``, which warns on every import that no QP solver is installed; only
GEM-style strategies need one, and forgetless uses none of them. The filter is installed before
Avalanche is first imported (this module is the first thing the door's ``__init__`` imports).
"""

from __future__ import annotations

import warnings


def install() -> None:
    """Silence the warnings listed in this module's docstring (idempotent)."""
    warnings.filterwarnings("ignore", message="no QP solver found", category=UserWarning)


install()
