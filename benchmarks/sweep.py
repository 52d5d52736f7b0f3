"""Sweep one activation parameter over a preset, in one process, and print ACC per value.

Used to choose the presets' defaults (e.g. elephant's width ``a``, which depends on the scale of
the pre-activations: too small and every unit is dead at init). For each value it runs the
preset's cell through ``forgetless.app.run.cell.run_cell`` and prints ACC, the mean of the diagonal
R[j, j] (how well each experience was learned when it was current), forgetting, and seconds.

    .venv/bin/python benchmarks/sweep.py --activation elephant --param a --values 0.25 0.5 1 2 \\
        [--seeds 0 1] [preset=split_mnist key=value ...]

Cells run with ``launcher.threads`` torch threads (default 1), as under ``forgetless compare``,
so a value's numbers equal those of the same cell in a compare run.

It measures on the test set: fine for a quick look at one parameter, not for reporting a tuned
result. To tune without touching the test set, use ``forgetless sweep`` (README: "Select on a
validation split"), which selects on a held-out validation split and tests only the winner.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from forgetless.app.configs import load_config, validate
from forgetless.app.run.cell import Cell, run_cell
from forgetless.app.run.scenario_builder import build_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activation", required=True)
    parser.add_argument("--param", required=True)
    parser.add_argument("--values", nargs="+", type=float, required=True)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    parser.add_argument("--strategy", default="naive")
    parser.add_argument("overrides", nargs="*", metavar="key=value")
    args = parser.parse_args()

    print(f"{args.activation}.{args.param} | ACC | mean diag R[j,j] | forgetting | seconds")
    scenarios = {}
    for value in args.values:
        cfg = load_config(
            [*args.overrides, f"activation_params.{args.activation}.{args.param}={value}"]
        )
        validate(cfg)
        torch.set_num_threads(int(cfg.launcher.threads))
        accs, diags, forg, secs = [], [], [], []
        for seed in args.seeds:
            if seed not in scenarios:
                scenarios[seed] = build_scenario(cfg.scenario, seed)
            start = time.perf_counter()
            out = run_cell(
                cfg, Cell(args.activation, "backprop", args.strategy, seed), scenarios[seed]
            )
            secs.append(time.perf_counter() - start)
            R = out["accuracy_matrix"]
            accs.append(out["acc"])
            diags.append(statistics.fmean(R[j][j] for j in range(len(R))))
            forg.append(out["forgetting"])
        print(
            f"{value:g} | {statistics.fmean(accs):.3f} | {statistics.fmean(diags):.3f} | "
            f"{statistics.fmean(forg):.3f} | {statistics.fmean(secs):.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
