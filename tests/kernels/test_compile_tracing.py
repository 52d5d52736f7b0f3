"""torch.compile(fullgraph=True) traces the public functionals down to the Triton kernels.

Also the one CPU check that the kernels pass Triton's real compiler front end (the interpreter
runs them as Python and would not notice, e.g., a non-constexpr global).
"""

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
    # One forward and one backward graph (no graph break), each with the 7 fused kernels, the
    # two per-row variants and the long-row ASH kernel.
    assert result == {"graphs": 2, "triton_kernels": [10, 10]}
    # torch analysed every kernel, in the configurations the launchers use, by compiling it to
    # Triton IR for sm_90: a kernel that Triton's compiler rejects would be reported here.
    assert "identify_accessed_tensors" not in done.stderr, done.stderr[-3000:]
