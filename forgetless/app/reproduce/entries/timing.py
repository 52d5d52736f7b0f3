"""Time ratios: the swap's overhead (README) and the launchers (docs/scaling.md)."""

from __future__ import annotations

from forgetless.app.reproduce.entries.common import RATIO
from forgetless.app.reproduce.entry import Entry, Value

OVERHEAD = Entry(
    name="overhead",
    checks="one cell through forgetless vs written directly on Avalanche: time ratio, same R",
    source="README.md#measured-results",
    command=("python", "benchmarks/overhead.py", "--repeats", "5"),
    values=(
        Value("forgetless / avalanche", 0.93, r"ratio forgetless / avalanche = ([0-9.]+)"),
        Value("identical accuracy matrices", 1.0, r"identical accuracy matrices: (True|False)"),
    ),
    reader="pattern",
    tolerance=RATIO,
    seconds=30,
    quick=False,
    timing=True,
    needs="a quiet machine (load average below 1)",
)

LAUNCHERS = Entry(
    name="launchers",
    checks="grid time of jobs=2 / jobs=1 and Ray jobs=2 / local jobs=2, medians of 5 rounds",
    source="docs/scaling.md#measured",
    command=("env", "ROUNDS=1 2 3 4 5", "bash", "benchmarks/launchers.sh"),
    values=(
        Value("jobs=2 / jobs=1 (grid)", 0.635, r"median \| ([0-9.]+) \|"),
        Value("ray / jobs=2 (grid)", 1.137, r"median \| [0-9.]+ \| [0-9.]+ \| ([0-9.]+) \|"),
    ),
    reader="pattern",
    tolerance=RATIO,
    seconds=300,
    quick=False,
    timing=True,
    needs="a quiet machine with 2 free cores, the [ray] extra, .venv/bin/forgetless (make)",
)
