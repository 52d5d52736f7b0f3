"""DDP on 2 CPU processes (gloo) gives the accuracy matrix of one process on the same data.

Why they can agree: the datamodule shards a seeded per-epoch permutation so that at every step
the 2 ranks' batches of 4 together are exactly the single process's batch of 8 (and gradients
are averaged), and evaluation shards are unpadded, so summed counts are one process's counts.
The only difference is the floating-point order of the gradient sum, bounded here: weights
agree to 1e-5 and the matrix may differ by at most one test sample per cell (in practice it is
identical).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def _run(devices: int, out: Path, *extra: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(HERE), "OMP_NUM_THREADS": "1"}
    run = subprocess.run(
        [sys.executable, str(HERE / "ddp_continual_run.py"), str(devices), str(out), *extra],
        env=env,
        cwd=out.parent,
        timeout=240,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(out.read_text())


def test_two_cpu_processes_agree_with_one(tmp_path):
    # Mono-Forward through RuleCallback: exercises the sharded data, the globally summed
    # accuracy matrix and the rule's per-layer gradient averaging (DDP's hooks switched off).
    # Plain backprop (Lightning's own DDP gradient sync) is the same run without the rule:
    # `python ddp_continual_run.py 2 out.json` (not repeated here to keep the suite short).
    one = _run(1, tmp_path / "one.json", "mono_forward")
    two = _run(2, tmp_path / "two.json", "mono_forward")
    per_sample = 1 / 7  # the smallest shard-independent step: one sample of 15 is < 1/7
    for row_one, row_two in zip(one["matrix"], two["matrix"], strict=True):
        assert row_two == pytest.approx(row_one, abs=per_sample / 2)
    assert two["baseline"] == pytest.approx(one["baseline"], abs=1e-12)
    for w_one, w_two in zip(one["weights"], two["weights"], strict=True):
        assert w_two == pytest.approx(w_one, abs=1e-5)
