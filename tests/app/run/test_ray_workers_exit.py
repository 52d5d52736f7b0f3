"""Ray's processes die with the main process (SIGKILL included), and a SIGKILL of one Ray actor
fails only the cell it was running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from grid_helpers import GRID, TINY, run
from test_resume import processes_with, wait_for

from forgetless.app.run.cell import run_cell

pytest.importorskip("ray")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def dies_on_seed_0(cfg, cell, scenario, on_experience):
    """Like ``run_cell``, but the Ray actor running the cell of seed 0 is SIGKILLed."""
    if cell.seed == 0:
        os.kill(os.getpid(), signal.SIGKILL)
    return run_cell(cfg, cell, scenario, on_experience)


def running_cells(marker: str) -> list[int]:
    """Pids of the Ray actors of the run marked ``marker`` that are running a cell."""
    found = []
    for pid in processes_with(marker):
        try:
            if Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"ray::CellActor.run"):
                found.append(pid)
        except OSError:
            continue
    return found


def test_sigkill_of_the_main_process_leaves_no_ray_process(tmp_path):
    marker = str(uuid.uuid4())
    env = {**os.environ, "FORGETLESS_TEST_RUN": marker}
    command = [sys.executable, "-m", "forgetless.app.cli", "compare", *GRID, "train.epochs=20"]
    args = [f"output_dir={tmp_path}", "run_name=k", "launcher.kind=ray", "launcher.jobs=2"]
    child = subprocess.Popen([*command, *args], env=env, stderr=subprocess.DEVNULL)
    wait_for(lambda: len(running_cells(marker)) == 2 or child.poll() is not None, 300)
    assert child.poll() is None, "the run ended before it could be killed"
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL
    wait_for(lambda: processes_with(marker) == [], timeout=30)


def test_sigkill_of_one_ray_actor_fails_only_its_cell(tmp_path, monkeypatch):
    here = str(Path(__file__).parent)  # Ray's workers must import dies_on_seed_0
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([here, os.environ.get("PYTHONPATH", "")]))
    grid = [*TINY, "activations=[relu]", "seeds=[0,1,2,3]"]  # its slot gets more cells after 0
    data = run(tmp_path, "a", *grid, "launcher.kind=ray", "launcher.jobs=2", runner=dies_on_seed_0)
    failed = [(c["activation"], c["seed"]) for c in data["cells"] if c["error"] is not None]
    assert failed == [("relu", 0)]
    assert len(data["cells"]) == 4
