"""A small grid, a way to run it into a folder, and a cell runner that fails on one cell; shared
by the launcher and resume tests (the runner lives in a module so worker processes import it)."""

from __future__ import annotations

import json

from forgetless.app.configs import load_config
from forgetless.app.run.cell import run_cell
from forgetless.app.run.compare import run_compare

#: The smallest useful compare config (two experiences, a 16-unit MLP, naive only), shared by
#: the tests of this folder.
TINY = [
    "scenario.n_experiences=2",
    "model.hidden=[16]",
    "train.batch_size=64",
    "progress=false",
    "strategies=[naive]",
    "references.joint=false",  # the reference rows: tests/app/run/test_compare_references.py
    "references.heads=[]",
]
GRID = [*TINY, "activations=[relu,elephant]", "seeds=[0,1]"]
TIMINGS = ("train_seconds", "peak_memory_mb")  # measured, not computed: may differ run to run


def computed(results: dict) -> list[dict]:
    """The cells of ``results`` without their timings."""
    return [{k: v for k, v in c.items() if k not in TIMINGS} for c in results["cells"]]


def run(tmp_path, name: str, *overrides: str, runner=run_cell) -> dict:
    """Run :data:`GRID` (plus ``overrides``) into ``tmp_path/name``; return its results.json."""
    cfg = load_config([*GRID, f"output_dir={tmp_path}", f"run_name={name}", *overrides])
    folder = run_compare(cfg, echo=lambda _: None, cell_runner=runner)
    return json.loads((folder / "results.json").read_text())


def fails_on_elephant(cfg, cell, scenario, on_experience):
    """Like ``run_cell``, but the elephant cell of seed 1 raises."""
    if cell.activation == "elephant" and cell.seed == 1:
        raise RuntimeError("boom in a worker")
    return run_cell(cfg, cell, scenario, on_experience)


_TAKEN: list[int] = []  # in a worker process: the GPU index its initializer took


def take_slot(slots) -> None:
    """A pool initializer taking an index from ``slots``, as ``init_worker`` does."""
    _TAKEN.append(slots.get())


def taken_slot(_: object) -> int:
    """The index this worker process took."""
    return _TAKEN[0]
