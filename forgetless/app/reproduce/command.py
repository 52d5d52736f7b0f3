"""``forgetless reproduce``: ``--list`` prints the entries; ``NAME...`` and ``--quick`` run them
and print recorded against measured, PASS / FAIL per value.

Exit codes: 0 every value passed, 1 any FAIL (or a command that failed), 2 an unknown name or
nothing to run (one line).
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Sequence

from forgetless.app.reproduce.entries import ENTRIES
from forgetless.app.reproduce.entry import Entry
from forgetless.app.reproduce.runner import Outcome, run_entry

EXIT_FAILED = 1
EXIT_USAGE = 2


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def list_lines(entries: Sequence[Entry] = ENTRIES) -> list[str]:
    """One block per entry: name, expected time, quick or not, what it checks, the command."""
    lines = []
    for e in entries:
        flag = "quick" if e.quick else "slow"
        needs = f"; needs {e.needs}" if e.needs else ""
        lines.append(
            f"{e.name}  ~{_minutes(e.seconds)}  {flag}  {len(e.values)} values, "
            f"tolerance {e.tolerance:g}{needs}"
        )
        lines.append(f"    {e.checks} ({e.source})")
        lines.append(f"    {shlex.join(e.command)}")
    return lines


def select(names: Sequence[str], quick: bool) -> list[Entry]:
    """The entries named, then (with ``quick``) every quick one, each once, in table order.

    Raises:
        KeyError: a name that is no entry (the message names it).
    """
    by_name = {e.name: e for e in ENTRIES}
    for name in names:
        if name not in by_name:
            raise KeyError(f"unknown entry {name!r} (forgetless reproduce --list names them)")
    return [e for e in ENTRIES if e.name in names or (quick and e.quick)]


def _format(value: float | None) -> str:
    return "not found" if value is None else f"{value:.4f}"


def report_lines(outcome: Outcome) -> list[str]:
    """Recorded against measured, one line per value, then the entry's verdict."""
    e = outcome.entry
    if outcome.failure:
        return [f"{e.name}: FAIL ({outcome.failure})"]
    lines = []
    for c in outcome.checks:
        verdict = "PASS" if c.passed else "FAIL"
        gap = "" if c.measured is None else f"  |Δ| {abs(c.measured - c.recorded):.4f}"
        lines.append(
            f"  {c.key:<48} recorded {c.recorded:>8g}  measured {_format(c.measured):>9}"
            f"{gap}  {verdict}"
        )
    passed = sum(c.passed for c in outcome.checks)
    verdict = "PASS" if outcome.passed else "FAIL"
    lines.append(
        f"{e.name}: {verdict} ({passed} of {len(outcome.checks)} values within "
        f"{e.tolerance:g}) in {outcome.seconds:.1f} s (expected ~{_minutes(e.seconds)})"
    )
    return lines


def main(names: Sequence[str], quick: bool, show_list: bool) -> int:
    """Run the ``reproduce`` subcommand; returns its exit code."""
    if show_list:
        print("\n".join(list_lines()))
        return 0
    try:
        entries = select(names, quick)
    except KeyError as error:
        print(f"forgetless: error: {error.args[0]}", file=sys.stderr)
        return EXIT_USAGE
    if not entries:
        print("forgetless: error: name entries to run, or give --quick or --list", file=sys.stderr)
        return EXIT_USAGE
    failed = []
    for entry in entries:
        print(f"{entry.name}: {shlex.join(entry.command)}", flush=True)
        if entry.timing:
            load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
            print(f"  load average {load} (a timing ratio: the machine's load moves it)")
        outcome = run_entry(entry)
        print("\n".join(report_lines(outcome)), flush=True)
        if not outcome.passed:
            failed.append(entry.name)
    if failed:
        print(f"FAIL: {', '.join(failed)} ({len(failed)} of {len(entries)} entries)")
        return EXIT_FAILED
    print(f"PASS: all {len(entries)} entries")
    return 0
