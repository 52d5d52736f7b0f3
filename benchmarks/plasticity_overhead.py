"""Overhead of the plasticity monitors (``monitors.plasticity``) on the plasticity stream.

The same cell of ``preset=plasticity`` (ReLU, naive; ``--experiences`` tasks of its Permuted-MNIST
stream, default 20) runs with the monitors on, at the default interval (every 100 iterations and
after each experience, probe of 1,000 inputs), and off, alternating ``--repeats`` times (default 3)
after one warm-up each, in one process. The script prints the median wall time of each side
(``run_cell``: training and evaluation) and the overhead ratio − 1 (target ≤ 0.10), and checks
that both sides' accuracy matrices are identical (monitoring must not change the training).

    .venv/bin/python benchmarks/plasticity_overhead.py [--repeats 3] [--experiences 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import torch

from forgetless.app.configs import load_config
from forgetless.app.run.cell import Cell, run_cell
from forgetless.app.run.scenario_builder import build_scenario

TARGET = 0.10


def main(argv: list[str] | None = None) -> bool:
    """Time both sides, print the medians and the overhead; return whether it is on target and
    the matrices are identical."""
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
    configs = {
        "monitors on": load_config([*base, "monitors.plasticity=true"]),
        "monitors off": load_config([*base, "monitors.plasticity=false"]),
    }
    scenario = build_scenario(configs["monitors on"].scenario, 0)
    cell = Cell(activation="relu", rule="backprop", strategy="naive", seed=0)
    for cfg in configs.values():  # warm-up
        run_cell(cfg, cell, scenario)
    times: dict[str, list[float]] = {name: [] for name in configs}
    matrices: dict[str, list[list[float]]] = {}
    for _ in range(args.repeats):
        for name, cfg in configs.items():
            start = time.perf_counter()
            matrices[name] = run_cell(cfg, cell, scenario)["accuracy_matrix"]
            times[name].append(time.perf_counter() - start)
    med = {name: statistics.median(ts) for name, ts in times.items()}
    overhead = med["monitors on"] / med["monitors off"] - 1
    same = matrices["monitors on"] == matrices["monitors off"]
    print(
        f"torch threads {torch.get_num_threads()}, repeats {args.repeats}, {args.experiences} tasks"
    )
    for name, ts in times.items():
        print(f"{name:>12}: median {med[name]:.2f} s  (all: {', '.join(f'{t:.2f}' for t in ts)})")
    verdict = "PASS" if overhead <= TARGET else "FAIL"
    print(
        f"monitoring overhead = {100 * overhead:+.1f} % of the stream's wall time "
        f"(target <= {100 * TARGET:.0f} %): {verdict}"
    )
    print(f"identical accuracy matrices: {same}")
    return same and overhead <= TARGET


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
