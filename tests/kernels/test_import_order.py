"""On a GPU machine every fused kernel is imported up front once the activations are registered,
whatever is imported first."""

import subprocess
import sys

import pytest

pytest.importorskip("triton")

SCRIPT = """
import importlib, torch
torch.cuda.is_available = lambda: True  # what dispatch sees on a GPU machine
importlib.import_module({first!r})
import forgetless.activations  # registers the specs' fused kernels, then preloads them
import forgetless.kernels.dispatch as dispatch
print(sorted(name for name, fn in dispatch._LOADED.items() if fn is not None))
"""


@pytest.mark.parametrize(
    "first", ["forgetless.activations", "forgetless.kernels.ash", "forgetless.kernels.dispatch"]
)
def test_preload_finds_every_kernel_without_import_cycles(first):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(first=first)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = done.stdout.strip().splitlines()[-1]
    from forgetless.activations import activation_specs

    expected = sorted(spec.name for spec in activation_specs() if spec.fused is not None)
    assert len(expected) >= 7 and loaded == str(expected)
