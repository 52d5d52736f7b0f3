"""A run folder fills cell by cell; a killed run resumes to the cells an uninterrupted run gives."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from grid_helpers import GRID, computed, fails_on_elephant, run

from forgetless.app.cli import main
from forgetless.app.configs import ConfigError
from forgetless.app.run.cell_store import load_run_config


def processes_with(marker: str) -> list[int]:
    """Pids of live processes whose environment holds ``marker`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def wait_for(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_then_resume_gives_the_uninterrupted_cells(in_process, tmp_path):
    marker = f"FORGETLESS_TEST_RUN={uuid.uuid4()}"
    env = {**os.environ, marker.split("=")[0]: marker.split("=")[1]}
    command = [sys.executable, "-m", "forgetless.app.cli", "compare", *GRID]
    args = [f"output_dir={tmp_path}", "run_name=killed", "launcher.jobs=2"]
    child = subprocess.Popen([*command, *args], env=env, stderr=subprocess.DEVNULL)
    cells = tmp_path / "killed" / "cells"
    wait_for(lambda: cells.is_dir() and any(cells.glob("*.json")) or child.poll() is not None)
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL, "the run ended before it could be killed"
    saved = list(cells.glob("*.json"))
    assert 1 <= len(saved) < 4 and not (tmp_path / "killed" / "results.json").exists()
    assert all(json.loads(p.read_text())["error"] is None for p in saved)  # none half-written
    wait_for(lambda: processes_with(marker) == [], timeout=30)  # no worker outlives the run

    assert main(["compare", f"resume={tmp_path / 'killed'}", "launcher.jobs=1"]) == 0
    resumed = json.loads((tmp_path / "killed" / "results.json").read_text())
    assert computed(resumed) == computed(in_process)


def test_resume_reruns_only_failed_or_missing_cells(tmp_path):
    first = run(tmp_path, "r", runner=fails_on_elephant)
    assert [c["error"] is not None for c in first["cells"]] == [False, False, False, True]
    folder = tmp_path / "r"
    (folder / "cells" / "backprop__relu__naive__seed1.json").unlink()  # as if killed mid-cell
    assert main(["compare", f"resume={folder}"]) == 0
    again = json.loads((folder / "results.json").read_text())
    assert all(c["error"] is None for c in again["cells"])
    assert not (folder / "errors.log").exists()
    # cells that had a good record were not run again: same measured time, to the last digit
    kept = [0, 2]
    assert [again["cells"][i]["train_seconds"] for i in kept] == [
        first["cells"][i]["train_seconds"] for i in kept
    ]
    assert again["cells"][3]["accuracy_matrix"] != first["cells"][3]["accuracy_matrix"]


def test_resume_accepts_launcher_keys_only(tmp_path, capsys):
    run(tmp_path, "done")
    cfg = load_run_config(tmp_path / "done", ["launcher.jobs=3", "progress=true"])
    assert cfg.launcher.jobs == 3 and list(cfg.activations) == ["relu", "elephant"]
    with pytest.raises(ConfigError, match=r"^activations: cannot change when resuming"):
        load_run_config(tmp_path / "done", ["activations=[relu]"])
    code = main(["compare", f"resume={tmp_path}"])
    assert code == 2 and "config.yaml not found" in capsys.readouterr().err


def test_existing_run_folder_points_to_resume(tmp_path, capsys):
    (tmp_path / "taken").mkdir()
    code = main(["compare", *GRID, f"output_dir={tmp_path}", "run_name=taken"])
    assert code == 2 and f"resume={tmp_path / 'taken'}" in capsys.readouterr().err
