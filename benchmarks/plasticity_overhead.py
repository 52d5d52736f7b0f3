"""Overhead of the plasticity monitors (``monitors.plasticity``) on the plasticity stream.

The same cell of ``preset=plasticity`` (ReLU, naive; ``--experiences`` tasks of its Permuted-MNIST
stream, default 20) runs with the monitors at the default interval (every 100 iterations and
after each experience, probe of 1,000 inputs) and without, alternating ``--repeats`` times
(default 3) after one warm-up each, in one process. Two measures of the overhead:

- **inside**: the time spent in ``PlasticityMonitor.measure`` (timed around each call) as a
  fraction of the monitored cell's wall time (``run_cell``: training and evaluation), median
  over the repeats. Both are measured in the same run, so other jobs on the machine slow them
  alike: this is the number to read on a loaded machine.
- **side by side**: median wall time with monitors / without − 1 (needs a quiet machine).

The target is an overhead of at most 10 %, judged on "inside"; the script also checks that both
sides' accuracy matrices are identical (monitoring must not change the training).

    .venv/bin/python benchmarks/plasticity_overhead.py [--repeats 3] [--experiences 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import torch

from forgetless.app.configs import load_config
from forgetless.app.run.cell import Cell, run_cell
from forgetless.app.run.scenario_builder import build_scenario
from forgetless.plasticity import PlasticityMonitor

TARGET = 0.10


class _Timed:
    """Wraps ``PlasticityMonitor.measure`` to add up the seconds spent in it."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self._measure = PlasticityMonitor.measure

    def __enter__(self) -> _Timed:
        timed = self

        def measure(monitor: PlasticityMonitor) -> dict[str, float]:
            start = time.perf_counter()
            try:
                return timed._measure(monitor)
            finally:
                timed.seconds += time.perf_counter() - start
                timed.calls += 1

        PlasticityMonitor.measure = measure
        return self

    def __exit__(self, *exc: object) -> None:
        PlasticityMonitor.measure = self._measure


def _matrix(record: dict) -> torch.Tensor:
    return torch.tensor(record["accuracy_matrix"], dtype=torch.float64).nan_to_num(-1.0)


def main(argv: list[str] | None = None) -> bool:
    """Time both sides, print both overheads; return whether "inside" is on target and the
    matrices are identical."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--experiences", type=int, default=20)
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error(f"--repeats: expected at least 1, got {args.repeats}")
    if args.experiences < 1:
        parser.error(f"--experiences: expected at least 1, got {args.experiences}")

    torch.set_num_threads(1)  # as every compare cell (launcher.threads=1)
    base = ["preset=plasticity", f"scenario.n_experiences={args.experiences}", "progress=false"]
    on = load_config([*base, "monitors.plasticity=true"])
    off = load_config([*base, "monitors.plasticity=false"])
    scenario = build_scenario(on.scenario, 0)
    cell = Cell(activation="relu", rule="backprop", strategy="naive", seed=0)
    run_cell(on, cell, scenario), run_cell(off, cell, scenario)  # warm-up
    walls: dict[str, list[float]] = {"monitors on": [], "monitors off": []}
    inside: list[float] = []
    same = True
    for _ in range(args.repeats):
        with _Timed() as timed:
            start = time.perf_counter()
            monitored = run_cell(on, cell, scenario)
            walls["monitors on"].append(time.perf_counter() - start)
        inside.append(timed.seconds / walls["monitors on"][-1])
        start = time.perf_counter()
        plain = run_cell(off, cell, scenario)
        walls["monitors off"].append(time.perf_counter() - start)
        same &= torch.equal(_matrix(monitored), _matrix(plain))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"torch threads 1, repeats {args.repeats}, {args.experiences} tasks, load {load}")
    for name, ts in walls.items():
        med = statistics.median(ts)
        print(f"{name:>12}: median {med:.2f} s  (all: {', '.join(f'{t:.2f}' for t in ts)})")
    print(f"measurements per monitored cell: {timed.calls}")
    share = statistics.median(inside)
    side = statistics.median(walls["monitors on"]) / statistics.median(walls["monitors off"]) - 1
    verdict = "PASS" if share <= TARGET else "FAIL"
    print(
        f"monitoring overhead inside = {100 * share:.1f} % of the stream's wall time "
        f"(target <= {100 * TARGET:.0f} %): {verdict}"
    )
    print(f"side by side = {100 * side:+.1f} % (needs a quiet machine)")
    print(f"identical accuracy matrices: {same}")
    return same and share <= TARGET


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
