"""The validation search of continual backprop's settings on the plasticity stream (issue 25).

Every setting below runs the ``preset=plasticity`` cell (ReLU, seed 0) scored on the
validation split the preset holds out (``scenario.evaluate_on=validation``), in one process with
one torch thread (as ``forgetless compare`` runs a cell, so the numbers equal a compare run's);
naive fine-tuning is the first row. The script prints a Markdown table: LA on the first and the
last 10 % of the tasks and their change. The selection rule (docs/plasticity.md): the highest
LA on the last 10 %.

    .venv/bin/python benchmarks/plasticity_cbp_search.py
"""

from __future__ import annotations

import sys

import torch

from forgetless.app.configs import load_config
from forgetless.app.run.cell import Cell, run_cell
from forgetless.app.run.scenario_builder import build_scenario

#: ``(replacement_rate ρ, maturity m, decay η, per_entry_steps)`` of every setting tried: the
#: first search with torch's per-tensor Adam steps, then the paper's per-entry ones.
SETTINGS = (
    (0.003, 100, 0.99, False),
    (0.005, 100, 0.99, False),
    (0.01, 100, 0.99, False),
    (0.02, 100, 0.99, False),
    (0.03, 100, 0.99, False),
    (0.1, 100, 0.99, False),
    (0.003, 20, 0.99, False),
    (0.01, 20, 0.99, False),
    (0.03, 20, 0.99, False),
    (0.1, 20, 0.99, False),
    (0.01, 300, 0.99, False),
    (0.01, 100, 0.9, False),
    (0.003, 100, 0.99, True),
    (0.005, 100, 0.99, True),
    (0.01, 100, 0.99, True),
    (0.02, 100, 0.99, True),
    (0.01, 20, 0.99, True),
    (0.03, 100, 0.99, True),
    (0.05, 100, 0.99, True),
)
BASE = ["preset=plasticity", "scenario.evaluate_on=validation", "progress=false"]
KEY = "strategy_params.continual_backprop"


def _row(label: str, record: dict) -> str:
    first, last = record["la_first_tenth"], record["la_last_tenth"]
    return f"| {label} | {first:.3f} | {last:.3f} | {100 * (last - first):+.1f} |"


def main() -> None:
    torch.set_num_threads(1)
    naive = load_config(BASE)
    scenario = build_scenario(naive.scenario, 0)
    print("| setting | val LA first 10 % | val LA last 10 % | change (points) |")
    print("|---|---|---|---|")
    print(
        _row("naive", run_cell(naive, Cell("relu", "backprop", "naive", 0), scenario)), flush=True
    )
    cell = Cell("relu", "backprop", "continual_backprop", 0)
    for rate, maturity, decay, per_entry in SETTINGS:
        cfg = load_config(
            [
                *BASE,
                f"{KEY}.replacement_rate={rate}",
                f"{KEY}.maturity={maturity}",
                f"{KEY}.decay={decay}",
                f"{KEY}.per_entry_steps={str(per_entry).lower()}",
            ]
        )
        steps = "entry" if per_entry else "tensor"
        label = f"continual_backprop rho={rate:g} m={maturity} eta={decay:g} steps={steps}"
        print(_row(label, run_cell(cfg, cell, scenario)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
