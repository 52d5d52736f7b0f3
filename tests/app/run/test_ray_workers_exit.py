"""A local Ray instance dies with the main process (SIGKILL included), its watchdog acts only
once the main process is gone and only on its own session, and a SIGKILL of one Ray actor fails
only the cell it was running. Every Ray driver here is a `forgetless compare` subprocess."""

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
from grid_helpers import TINY
from test_resume import processes_with, wait_for

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

HOLD = "import sys, time; f = open(sys.argv[1], 'w'); print('ok', flush=True); time.sleep(120)"


def _holding(path: Path) -> subprocess.Popen:
    """A process that holds ``path`` open (a stand-in for a process of a Ray session)."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE)
    assert process.stdout.readline() == b"ok\n"
    return process


def _parent(session: Path, then: str) -> subprocess.Popen:
    """A process that starts the launcher's watchdog on ``session``, prints the watchdog's pid,
    runs ``then`` and sleeps."""
    code = (
        "import sys, time\n"
        "from forgetless.app.run import ray_launcher as r\n"
        "r._start_watchdog(sys.argv[1])\n"
        "print(r._WATCHDOGS[-1].pid, flush=True)\n"
        f"{then}\n"
        "print('done', flush=True)\n"
        "time.sleep(120)\n"
    )
    return subprocess.Popen([sys.executable, "-c", code, str(session)], stdout=subprocess.PIPE)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_the_watchdog_kills_its_session_only_once_its_parent_is_gone(tmp_path):
    session, other = tmp_path / "session_1", tmp_path / "session_12"  # a name it starts
    session.mkdir()
    other.mkdir()
    ours, theirs = _holding(session / "raylet.out"), _holding(other / "raylet.out")
    parent = _parent(session, "r._WATCHDOGS[-1].stdin.close()")  # end of file: not a signal
    try:
        watchdog = int(parent.stdout.readline())
        assert parent.stdout.readline() == b"done\n"
        time.sleep(1.0)  # many polls of a live parent
        assert _alive(ours.pid) and _alive(watchdog)
        parent.send_signal(signal.SIGKILL)
        assert ours.wait(timeout=30) == -signal.SIGKILL
        wait_for(lambda: not _alive(watchdog), timeout=30)
        assert theirs.poll() is None
    finally:
        for process in (parent, ours, theirs):
            process.kill()
            process.wait()


def test_the_watchdog_exits_quietly_after_a_normal_shutdown(tmp_path):
    ours = _holding(tmp_path / "raylet.out")
    parent = _parent(tmp_path, "r._stop_watchdog()")
    try:
        watchdog = int(parent.stdout.readline())
        assert parent.stdout.readline() == b"done\n"  # _stop_watchdog reaped it
        assert not _alive(watchdog)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        time.sleep(0.5)
        assert ours.poll() is None
    finally:
        for process in (parent, ours):
            process.kill()
            process.wait()


def _compare(tmp_path, marker: str, *overrides: str) -> subprocess.Popen:
    """`forgetless compare` with Ray (two actors), its processes marked with ``marker``."""
    env = {**os.environ, "FORGETLESS_TEST_RUN": marker}
    command = [sys.executable, "-m", "forgetless.app.cli", "compare", *TINY, *overrides]
    args = [f"output_dir={tmp_path}", "run_name=r", "launcher.kind=ray", "launcher.jobs=2"]
    return subprocess.Popen([*command, *args], env=env, stderr=subprocess.PIPE, text=True)


def _running_cells(marker: str) -> list[int]:
    """Pids of the run's Ray actors that are running a cell."""
    found = []
    for pid in processes_with(marker):
        try:
            if Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"ray::CellActor.run"):
                found.append(pid)
        except OSError:
            continue
    return found


def _when_both_actors_run(child: subprocess.Popen, marker: str) -> list[int]:
    wait_for(lambda: len(_running_cells(marker)) == 2 or child.poll() is not None, 300)
    assert child.poll() is None, child.stderr.read()
    return _running_cells(marker)


def test_sigkill_of_the_main_process_leaves_no_ray_process(tmp_path):
    pytest.importorskip("ray")
    marker = str(uuid.uuid4())
    child = _compare(tmp_path, marker, "activations=[relu]", "seeds=[0,1]", "train.epochs=50")
    _when_both_actors_run(child, marker)
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL
    wait_for(lambda: processes_with(marker) == [], timeout=30)  # the watchdog included


def test_sigkill_of_one_ray_actor_fails_only_its_cell(tmp_path):
    pytest.importorskip("ray")
    marker = str(uuid.uuid4())
    # two actors, four cells: the killed actor's slot gets the next cell
    child = _compare(tmp_path, marker, "activations=[relu]", "seeds=[0,1,2,3]", "train.epochs=6")
    os.kill(_when_both_actors_run(child, marker)[0], signal.SIGKILL)
    child.wait(timeout=300)
    cells = json.loads((tmp_path / "r" / "results.json").read_text())["cells"]
    failed = [c["error"] for c in cells if c["error"] is not None]
    assert len(cells) == 4 and len(failed) == 1, failed
    assert failed[0].startswith("ActorDiedError"), failed
    wait_for(lambda: processes_with(marker) == [], timeout=30)  # a normal end leaves none
