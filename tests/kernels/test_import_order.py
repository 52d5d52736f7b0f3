"""On a GPU machine every fused kernel is imported up front, whatever is imported first."""

import subprocess
import sys

import pytest

pytest.importorskip("triton")

SCRIPT = """
import importlib, torch
torch.cuda.is_available = lambda: True  # what dispatch sees on a GPU machine
importlib.import_module({first!r})
import forgetless.kernels.dispatch as dispatch
print(sorted(name for name, fn in dispatch._LOADED.items() if fn is not None))
"""


@pytest.mark.parametrize("first", ["forgetless.activations", "forgetless.kernels.ash"])
def test_preload_finds_every_kernel_without_import_cycles(first):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(first=first)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = done.stdout.strip().splitlines()[-1]
    expected = ["aglu", "apa", "ash", "elephant", "hard_ash", "learnable_elephant"]
    assert loaded == str(sorted([*expected, "tempered_sigmoid"]))
