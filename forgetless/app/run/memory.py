"""Peak memory of a block of work: CUDA allocator peak on GPU, sampled resident set size on CPU.

On CPU the libraries give the current resident set size (``psutil``, a base requirement) and
the process's lifetime peak (``ru_maxrss``, ``VmHWM``), but no peak that can be reset at the
start of a block; so a thread samples ``psutil.Process().memory_info().rss``. On CUDA, torch's
allocator keeps a resettable peak.
"""

from __future__ import annotations

import threading
import time

import psutil
import torch


def _rss_bytes(process: psutil.Process) -> int:
    return int(process.memory_info().rss)


class PeakMemory:
    """Context manager; ``peak_mb`` afterwards.

    On CUDA it is ``torch.cuda.max_memory_allocated`` over the block (reset at entry). On CPU a
    background thread samples the process's resident set size every ``interval`` seconds and
    ``peak_mb`` is the highest sample (the whole process, the data included, not only tensors).
    """

    def __init__(self, device: str = "cpu", interval: float = 0.005) -> None:
        self.cuda = device.startswith("cuda")
        self.interval = interval
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._peak = 0
        self._process = psutil.Process()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self._peak = max(self._peak, _rss_bytes(self._process))
            time.sleep(self.interval)

    def __enter__(self) -> PeakMemory:
        if self.cuda:
            torch.cuda.reset_peak_memory_stats()
        else:
            self._peak = _rss_bytes(self._process)
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.cuda:
            self.peak_mb = torch.cuda.max_memory_allocated() / 2**20
        else:
            self._stop.set()
            assert self._thread is not None
            self._thread.join()
            self._peak = max(self._peak, _rss_bytes(self._process))
            self.peak_mb = self._peak / 2**20
