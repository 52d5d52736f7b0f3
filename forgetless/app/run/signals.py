"""SIGTERM handled like SIGINT while a comparison runs.

Python turns SIGINT into ``KeyboardInterrupt``, so the run's ``except BaseException`` removes
the unfinished (hidden, temporary) run folder; SIGTERM (``kill``, a job scheduler's stop) would
otherwise end the process at once and leave that folder behind. Inside
:func:`sigterm_as_interrupt`, SIGTERM raises :class:`Terminated` (a ``KeyboardInterrupt``), so
both signals clean up the same way.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Terminated(KeyboardInterrupt):
    """Raised in the main thread when the process receives SIGTERM."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated(f"received signal {signal.Signals(signum).name}")


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated`; the previous handler is restored
    after. Outside the main thread (where handlers cannot be set) this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
