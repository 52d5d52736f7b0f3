"""Warning filters for third-party noise met through the Avalanche door.

Avalanche imports ``qpsolvers``, which warns on every import that no QP solver is installed
(GEM uses ``quadprog``, not qpsolvers). Avalanche 0.6's own MIR, GSS, CoPE and MER call their
storage policy's deprecated ``update`` at every experience (a ``DeprecationWarning`` per call,
not something a forgetless user can change). The filters are installed before Avalanche is
first imported (this module is the first thing the door's ``__init__`` imports).
"""

from __future__ import annotations

import warnings


def install() -> None:
    """Silence the warnings listed in this module's docstring (idempotent)."""
    warnings.filterwarnings("ignore", message="no QP solver found", category=UserWarning)
    warnings.filterwarnings(
        "ignore",
        message="Call to deprecated function update",
        category=DeprecationWarning,
        module=r"avalanche\.",
    )


install()
