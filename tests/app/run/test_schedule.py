"""Parallel launchers start the longest cells first, run ``while_waiting`` once while the first
cells run, and their records equal those of the in-process run whatever the order; Ray's
shutdown after the last cell runs in the background and is waited for; with CUDA cells each
local worker takes a GPU index of its own."""

from __future__ import annotations

import sys
import threading
import time
import types
from concurrent.futures import ProcessPoolExecutor

from grid_helpers import GRID, TIMINGS, take_slot, taken_slot

from forgetless.app.configs import load_config
from forgetless.app.run import launcher, ray_launcher
from forgetless.app.run.cell import Cell, run_cell
from forgetless.app.run.compare import grid
from forgetless.app.run.scenario_builder import build_scenarios
from forgetless.app.run.schedule import longest_first
from forgetless.strategy_specs import STRATEGIES


def test_longest_first_orders_by_strategy_weight_and_keeps_grid_order_among_equals():
    cells = [
        Cell(a, "backprop", s, seed)
        for a in ("relu", "aglu")
        for s in STRATEGIES
        for seed in (0, 1)
    ] + [Cell("relu", "backprop", "unknown", 0)]
    ordered = longest_first(cells)
    weights = [
        STRATEGIES[c.strategy].relative_time if c.strategy in STRATEGIES else 1.0 for c in ordered
    ]
    assert weights == sorted(weights, reverse=True)
    heaviest = max(STRATEGIES, key=lambda name: STRATEGIES[name].relative_time)
    assert [c.strategy for c in ordered[:4]] == [heaviest] * 4
    assert [(c.activation, c.seed) for c in ordered[:4]] == [
        ("relu", 0),
        ("relu", 1),
        ("aglu", 0),
        ("aglu", 1),
    ]
    assert len(ordered) == len(cells) and set(ordered) == set(cells)


def _cells_and_scenarios(jobs: int):
    cfg = load_config(
        [
            *GRID,
            "strategies=[naive,replay]",
            "activations=[relu]",
            "seeds=[0]",
            f"launcher.jobs={jobs}",
        ]
    )
    return cfg, grid(cfg), build_scenarios(cfg.scenario, [0])


def _without_timings(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in TIMINGS}


def test_workers_wait_once_and_give_the_in_process_records_in_any_order():
    cfg, cells, scenarios = _cells_and_scenarios(1)
    here, calls_here = [], []
    launcher.run_cells(
        cfg, cells, scenarios, run_cell, here.append, while_waiting=lambda: calls_here.append(1)
    )
    assert calls_here == []  # the cells ran in this process: nothing to wait for
    assert [r["strategy"] for r in here] == ["naive", "replay"]  # grid order

    cfg, cells, scenarios = _cells_and_scenarios(2)
    there, calls_there = [], []
    launcher.run_cells(
        cfg, cells, scenarios, run_cell, there.append, while_waiting=lambda: calls_there.append(1)
    )
    assert calls_there == [1]
    by_strategy = {r["strategy"]: _without_timings(r) for r in there}
    assert [by_strategy[r["strategy"]] for r in here] == [_without_timings(r) for r in here]


def test_parallel_launchers_are_handed_the_cells_longest_first(monkeypatch):
    seen = {}
    monkeypatch.setattr(launcher, "_run_in_processes", lambda cfg, cells, *a: seen.update(p=cells))
    monkeypatch.setattr(launcher, "_run_here", lambda cfg, cells, *a: seen.update(h=cells))
    cfg, cells, _ = _cells_and_scenarios(2)
    launcher.run_cells(cfg, cells, {}, run_cell, lambda r: None)
    assert [c.strategy for c in seen["p"]] == ["replay", "naive"]
    cfg, cells, _ = _cells_and_scenarios(1)
    launcher.run_cells(cfg, cells, {}, run_cell, lambda r: None)
    assert [c.strategy for c in seen["h"]] == ["naive", "replay"]


def test_ray_shutdown_runs_in_the_background_and_is_waited_for(monkeypatch):
    finished = threading.Event()

    def slow_shutdown():
        time.sleep(0.3)
        finished.set()

    fake = types.SimpleNamespace(shutdown=slow_shutdown, is_initialized=lambda: False)
    monkeypatch.setitem(sys.modules, "ray", fake)
    monkeypatch.setattr(ray_launcher, "_STARTED_HERE", [True])
    started = time.perf_counter()
    ray_launcher.disconnect(background=True)
    assert time.perf_counter() - started < 0.2 and not finished.is_set()
    launcher.finish()  # what run_compare calls after the report
    assert finished.is_set()
    assert ray_launcher._SHUTTING_DOWN == [] and ray_launcher._STARTED_HERE == []
    ray_launcher.disconnect()  # nothing started here any more: a no-op


def test_each_worker_takes_its_own_gpu_index(monkeypatch):
    """No GPU here: CUDA is faked in this process, and ``init_worker`` (what each worker process
    runs first) is called here twice; the queue must reach a real forkserver worker too."""
    import torch

    from forgetless.app.run import process_context, worker

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    set_to = []
    monkeypatch.setattr(torch.cuda, "set_device", set_to.append)
    monkeypatch.setitem(worker.__dict__, "_SCENARIOS", {})
    cfg = load_config(["train.device=cuda", "launcher.jobs=3"])
    context = process_context.context()
    slots = launcher._gpu_slots(cfg, context, 3)
    threads = torch.get_num_threads()
    try:
        worker.init_worker(threads, slots, {})
        worker.init_worker(threads, slots, {})
    finally:
        torch.set_num_threads(threads)
    assert set_to == [0, 1]  # worker k gets GPU k mod 2
    assert slots.get(timeout=5) == 0  # the third worker's: k = 2 -> GPU 0
    assert launcher._gpu_slots(load_config(["train.device=cpu"]), context, 2) is None
    # the queue travels to real worker processes as the pool's initializer argument
    slots = launcher._gpu_slots(cfg, context, 1)
    with ProcessPoolExecutor(1, mp_context=context, initializer=take_slot, initargs=(slots,)) as p:
        assert list(p.map(taken_slot, range(3))) == [0, 0, 0]
