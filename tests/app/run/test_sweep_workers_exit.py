"""A jobs=2 sweep's fork server and workers die with it (SIGKILL), and a SIGTERM prints only the
one-line message (no resource-tracker warning about leaked semaphores)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid

import pytest
from test_resume import processes_with, wait_for

SWEEP = [
    "scenario.n_experiences=2",
    "model.hidden=[16]",
    "train.epochs=3",
    "progress=false",
    "strategies=[naive]",
    "activations=[relu]",
    "launcher.jobs=2",
    "--grid",
    "optimizer.lr=[0.05,0.1]",
    "--seeds",
    "0",
]


def _start(tmp_path, marker: str) -> subprocess.Popen:
    env = {**os.environ, "FORGETLESS_TEST_RUN": marker}
    command = [sys.executable, "-m", "forgetless.app.cli", "sweep", *SWEEP]
    args = [f"output_dir={tmp_path}", "run_name=s"]
    child = subprocess.Popen([*command, *args], env=env, stderr=subprocess.PIPE, text=True)
    points = tmp_path / "s" / "points"
    # both points have started their cells: the workers are busy
    wait_for(lambda: len(list(points.glob("*/cells"))) == 2 or child.poll() is not None, 300)
    assert child.poll() is None, child.stderr.read()
    return child


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_of_a_sweep_leaves_no_worker(tmp_path):
    marker = str(uuid.uuid4())
    child = _start(tmp_path, marker)
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL
    wait_for(lambda: processes_with(marker) == [], timeout=30)


def test_sigterm_of_a_sweep_prints_one_line(tmp_path):
    child = _start(tmp_path, str(uuid.uuid4()))
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=120) == 143
    err = child.stderr.read().strip()
    assert err.startswith("forgetless: stopped by SIGTERM; finished points are kept in "), err
    assert "\n" not in err and "leaked" not in err
