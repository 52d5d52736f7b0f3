"""torch.compile(fullgraph=True) traces the public functionals down to the Triton kernels."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("triton")

PROBE = Path(__file__).with_name("compile_trace_probe.py")


def test_fullgraph_trace_of_every_activation_forward_and_backward():
    # The interpreter cannot be traced, so this runs in a fresh process without it.
    env = {k: v for k, v in os.environ.items() if k != "TRITON_INTERPRET"}
    done = subprocess.run(
        [sys.executable, str(PROBE)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # One forward and one backward graph (no graph break), each with the 7 fused kernels.
    assert result == {"graphs": 2, "triton_kernels": [7, 7]}
