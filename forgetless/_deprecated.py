"""Old import paths kept for one release after the move to one core and two doors (0.2)."""

from __future__ import annotations

import warnings


def moved(old: str, new: str) -> None:
    """Warn once per import that module ``old`` now lives at ``new``."""
    warnings.warn(
        f"{old} moved to {new}; the old path will be removed in the next release",
        DeprecationWarning,
        stacklevel=3,
    )
