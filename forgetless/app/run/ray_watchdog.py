"""The watchdog of a local Ray instance: when the main process is gone, kill what is left of its
Ray session (Linux).

Run as a script, ``python -I ray_watchdog.py PARENT_PID SESSION_DIR``, by
:mod:`forgetless.app.run.ray_launcher` right after ``ray.init`` (standard library only: it
starts in milliseconds and imports nothing of the project). It polls the parent every
:data:`POLL_SECONDS`; a line on its stdin (``ray.shutdown()`` ended normally) makes it exit at
once without touching anything. Only once the parent pid has exited (a zombie counts as exited)
does it act: it SIGKILLs every process of the session, until none is left or
:data:`KILL_SECONDS` have passed. A process belongs to the session when it holds a file open
under ``SESSION_DIR`` or names it on its command line (GCS, raylet, dashboard, agents and
workers all keep their logs there; the directory's name holds the session's start time and the
pid that started it, so no other session matches). End of file on stdin alone (the parent
closed its pipe, or died) only makes it stop reading: it acts on the parent's pid, never on the
pipe.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import time

POLL_SECONDS = 0.25  # how often the parent is looked at
KILL_SECONDS = 10.0  # how long the session's processes are killed again while some are left


def _start_time(pid: int) -> str | None:
    """Field 22 of ``/proc/PID/stat`` (start time in clock ticks); None once the process has
    exited (gone or a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            fields = file.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] in ("Z", "X") else fields[19]


def belongs_to(pid: int, session_dir: str) -> bool:
    """Whether process ``pid`` holds a file open under ``session_dir`` or names it on its
    command line (False for a process that cannot be read)."""
    prefix = session_dir.rstrip("/") + "/"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            arguments = file.read()
        if any(prefix[:-1].encode() + end in arguments for end in (b"/", b"\0")):
            return True
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}").startswith(prefix):
                    return True
            except OSError:
                continue
    except OSError:
        return False
    return False


def session_processes(session_dir: str) -> list[int]:
    """Pids of the live processes of the session (see :func:`belongs_to`), this one excluded."""
    me = os.getpid()
    pids = (int(name) for name in os.listdir("/proc") if name.isdigit())
    return [pid for pid in pids if pid != me and belongs_to(pid, session_dir)]


def kill_session(session_dir: str) -> None:
    """SIGKILL the session's processes until none is left or :data:`KILL_SECONDS` have passed
    (a dying process may still have started another)."""
    deadline = time.monotonic() + KILL_SECONDS
    while time.monotonic() < deadline:
        left = [pid for pid in session_processes(session_dir) if _start_time(pid) is not None]
        if not left:
            return
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                continue
        time.sleep(0.1)


def watch(parent: int, session_dir: str) -> None:
    """Wait until ``parent`` has exited, then :func:`kill_session`; return at once, touching
    nothing, when a line arrives on stdin."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is the parent's to handle
    started = _start_time(parent)
    reading = True
    while started is not None and _start_time(parent) == started:
        if not reading:
            time.sleep(POLL_SECONDS)
            continue
        ready, _, _ = select.select([sys.stdin.buffer], [], [], POLL_SECONDS)
        if ready:
            if os.read(sys.stdin.fileno(), 64):
                return  # the parent shut Ray down itself
            reading = False  # end of file: from now on only the parent's pid counts
    kill_session(os.path.realpath(session_dir))


if __name__ == "__main__":
    watch(int(sys.argv[1]), sys.argv[2])
