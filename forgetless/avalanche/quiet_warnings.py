"""Warning filters for third-party noise met through the Avalanche door.

Avalanche imports ``qpsolvers``, which warns on every import that no QP solver is installed
(GEM uses ``quadprog``, not qpsolvers). Avalanche 0.6's own MIR, GSS, CoPE and MER call their
storage policy's deprecated ``update`` at every experience (a ``DeprecationWarning`` per call,
not something a forgetless user can change). The filters are installed before Avalanche is
first imported (this module is the first thing the door's ``__init__`` imports).

Avalanche's ``deprecated`` decorator calls ``warnings.simplefilter("once", DeprecationWarning)``
itself before each warning, which puts its own filter ahead of any installed one, so a filter
cannot hide those (each process prints them once: many lines with ``launcher.jobs``).
:func:`avalanche_deprecations_hidden` records the warnings of a block instead and re-issues all
but Avalanche's own deprecation notices when the block ends.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager


def _avalanche_deprecation(caught: warnings.WarningMessage) -> bool:
    return (
        issubclass(caught.category, DeprecationWarning)
        and str(caught.message).startswith("Call to deprecated")
        and "avalanche" in caught.filename.replace("\\", "/").split("/")
    )


@contextmanager
def avalanche_deprecations_hidden() -> Iterator[None]:
    """Within the block, Avalanche's own deprecation notices are dropped; every other warning
    is issued again, under the filters in force, when the block ends."""
    with warnings.catch_warnings(record=True) as caught:
        yield
    for message in caught:
        if not _avalanche_deprecation(message):
            warnings.warn_explicit(
                message.message, message.category, message.filename, message.lineno
            )


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
