import time

import psutil
import torch

from forgetless.app.run.memory import PeakMemory


def test_peak_memory_samples_an_allocation_freed_inside_the_block():
    process = psutil.Process()
    before = process.memory_info().rss / 2**20
    with PeakMemory("cpu", interval=0.001) as memory:
        block = torch.ones(64 * 2**20 // 4)  # 64 MiB, touched
        time.sleep(0.05)  # the sampling thread runs
        del block  # a large block is unmapped at once: the RSS drops again
    after = process.memory_info().rss / 2**20
    assert memory.peak_mb >= before + 48
    assert memory.peak_mb >= after + 48
