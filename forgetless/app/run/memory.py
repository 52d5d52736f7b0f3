"""Peak memory of a block of work: CUDA allocator peak on GPU, sampled resident set size on CPU."""

from __future__ import annotations

import os
import threading
import time

import torch

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * _PAGE
    except OSError:  # not Linux: fall back to the lifetime peak
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


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

    def _sample(self) -> None:
        while not self._stop.is_set():
            self._peak = max(self._peak, _rss_bytes())
            time.sleep(self.interval)

    def __enter__(self) -> PeakMemory:
        if self.cuda:
            torch.cuda.reset_peak_memory_stats()
        else:
            self._peak = _rss_bytes()
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
            self._peak = max(self._peak, _rss_bytes())
            self.peak_mb = self._peak / 2**20
