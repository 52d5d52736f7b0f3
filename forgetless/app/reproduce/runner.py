"""Run one entry in a temporary folder and compare what it measures with what it recorded.

The command runs in a fresh process with this interpreter, ``PYTHONPATH`` led by the checkout
that holds the imported ``forgetless`` (so the code measured is the code installed),
``OMP_NUM_THREADS=1`` unless set, and its working directory and outputs in a temporary folder
that is removed afterwards (never ``runs/``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from forgetless.app.reproduce.entry import Entry
from forgetless.app.reproduce.readers import read_values


def repository_root() -> Path:
    """The folder that holds the imported ``forgetless`` package (a checkout's root)."""
    import forgetless

    return Path(forgetless.__file__).resolve().parents[1]


@dataclass(frozen=True)
class Check:
    """One value: recorded, measured (None: not found), and whether it is within tolerance."""

    key: str
    recorded: float
    measured: float | None
    passed: bool


@dataclass(frozen=True)
class Outcome:
    """An entry's run: its checks, wall seconds, and why it produced nothing (``""``: it ran)."""

    entry: Entry
    checks: tuple[Check, ...]
    seconds: float
    failure: str = ""

    @property
    def passed(self) -> bool:
        return not self.failure and all(c.passed for c in self.checks)


def command_line(entry: Entry, out: Path, root: Path) -> list[str]:
    """The argv that runs ``entry``: ``forgetless`` / ``python`` become this interpreter,
    repository paths become absolute, compare runs write under ``out``."""
    argv: list[str] = []
    for i, word in enumerate(entry.command):
        if i == 0 and word == "forgetless":
            argv += [sys.executable, "-m", "forgetless"]
        elif i == 0 and word == "python":
            argv.append(sys.executable)
        elif (root / word).is_file() and "/" in word:
            argv.append(str(root / word))
        else:
            argv.append(word)
    if entry.is_compare:
        argv += [f"output_dir={out}", f"run_name={entry.name}", "progress=false"]
    return argv


def missing_script(entry: Entry, root: Path) -> str:
    """One line naming the repository file the command needs and this install lacks, or ``""``."""
    for word in entry.command[1:]:
        if word.endswith((".py", ".sh")) and not (root / word).is_file():
            return f"{word} is not here (it is in a checkout of the repository, not the package)"
    return ""


def run_entry(entry: Entry) -> Outcome:
    """Run ``entry`` and compare each value with its recorded number (``|Δ| ≤ tolerance``)."""
    root = repository_root()
    missing = missing_script(entry, root)
    if missing:
        return Outcome(entry, (), 0.0, missing)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("MPLBACKEND", "Agg")
    with tempfile.TemporaryDirectory(prefix=f"forgetless-reproduce-{entry.name}-") as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        done = subprocess.run(
            command_line(entry, out, root),
            cwd=out,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return Outcome(entry, (), seconds, f"exit code {done.returncode}: {last}")
        measured = read_values(entry, done.stdout, out / entry.name)
    checks = tuple(
        Check(
            v.key,
            v.recorded,
            measured[v.key],
            measured[v.key] is not None
            and abs(measured[v.key] - v.recorded) <= entry.tolerance + 1e-12,
        )
        for v in entry.values
    )
    return Outcome(entry, checks, seconds)
