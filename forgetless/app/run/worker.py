"""What runs one cell, wherever it runs: in the main process, a local worker process or a Ray task.

Every path goes through :func:`cell_record`, so a record looks the same whoever produced it: the
cell's coordinates, its results (or ``error`` and ``traceback`` when it raised), nothing else.

Determinism: a cell seeds itself (:func:`~forgetless.app.run.cell.seed_everything`) and rebuilds
nothing that depends on the order of cells, so where it runs does not change its numbers, as long
as torch uses the same number of intra-op threads (a different split of a reduction can change
the last bit of a float sum). Every launcher therefore runs cells with ``launcher.threads`` torch
threads (default 1): on CPU the accuracy matrices are then bit-identical with 1 or N workers.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from forgetless.app.run.cell import Cell

CellRunner = Callable[..., dict[str, Any]]

_SCENARIOS: dict[tuple[str, int], Any] = {}  # per process: (scenario section, seed) -> Scenario


def cell_record(
    cfg: DictConfig,
    cell: Cell,
    scenario: Any,
    runner: CellRunner,
    on_experience: Callable[[int, int], None] | None = None,
    log_root: Path | None = None,
) -> dict[str, Any]:
    """Run ``cell`` with ``runner``; a failure is recorded (one-line ``error``, ``traceback``).
    ``log_root`` (where the cells' loggers write) is passed on only when given. The record also
    says how many torch threads the cell ran with (``torch_threads``)."""
    import torch

    record: dict[str, Any] = {
        "activation": cell.activation,
        "rule": cell.rule,
        "strategy": cell.strategy,
        "head": cell.head,
        "seed": cell.seed,
        "error": None,
        "torch_threads": torch.get_num_threads(),
    }
    try:
        logs = {} if log_root is None else {"log_root": log_root}
        record.update(runner(cfg, cell, scenario, on_experience, **logs))
    except Exception as error:  # one failing cell must not stop the others
        record["error"] = f"{type(error).__name__}: {error}".splitlines()[0]
        record["traceback"] = traceback.format_exc()
    return record


def failed_record(cell: Cell, error: BaseException, note: str) -> dict[str, Any]:
    """The record of a cell whose process or task died (``note`` says how) before it returned."""
    message = f"{type(error).__name__}: {error}".splitlines()[0]
    return {
        "activation": cell.activation,
        "rule": cell.rule,
        "strategy": cell.strategy,
        "head": cell.head,
        "seed": cell.seed,
        "error": message,
        "traceback": f"{message}\n({note})\n",
    }


def cell_threads(records: list[dict[str, Any]], default: int) -> int | list[int]:
    """The torch threads the cells of ``records`` ran with: one number, or the sorted distinct
    numbers when sessions of a resumed run differed (``default`` when no record says)."""
    seen = sorted({int(r["torch_threads"]) for r in records if r.get("torch_threads")})
    if not seen:
        return int(default)
    return seen[0] if len(seen) == 1 else seen


def scenario_key(cfg: DictConfig, seed: int) -> tuple[str, int]:
    """What identifies a built scenario: the config's scenario section and the seed."""
    from omegaconf import OmegaConf

    return OmegaConf.to_yaml(cfg.scenario), seed


def scenario_for(cfg: DictConfig, seed: int) -> Any:
    """The scenario of ``cfg`` for ``seed``, built once per process (it is deterministic)."""
    from forgetless.app.run.scenario_builder import build_scenario

    key = scenario_key(cfg, seed)
    if key not in _SCENARIOS:
        _SCENARIOS[key] = build_scenario(cfg.scenario, seed)
    return _SCENARIOS[key]


def _exit_with_parent() -> None:
    """A worker whose main process died (SIGKILL) leaves at once instead of waiting forever for
    work (the pool's queue never reports EOF: every worker holds its write end too)."""
    import multiprocessing

    parent = multiprocessing.parent_process()  # the main process, also under forkserver
    if parent is not None:
        parent.join()  # returns when the main process is gone
        os._exit(1)


def _die_with_parent_process() -> None:
    """Linux: ask the kernel to SIGKILL this process when its parent (the fork server, which
    itself exits when the main process does) dies: even a worker busy in a long cell goes."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _terminate_cleanly(signum: int, frame: object) -> None:
    """SIGTERM (the main process stopping the pool): run this process's multiprocessing
    finalizers, which unlink its semaphores, then leave; otherwise the resource tracker warns
    about "leaked semaphore objects" after the run's one-line message."""
    import multiprocessing.util

    multiprocessing.util._run_finalizers(0)  # the finalizers os._exit would skip
    os._exit(128 + signum)


def watch_parent() -> None:
    """Make this worker process die with the main process (SIGKILL included): a parent-death
    signal, a thread watching the main process, and a clean exit on SIGTERM. The initializer of
    every local worker pool (the grid's and the sweep's)."""
    _die_with_parent_process()
    signal.signal(signal.SIGTERM, _terminate_cleanly)
    threading.Thread(target=_exit_with_parent, daemon=True).start()


def init_worker(threads: int, slots: Any, scenarios: dict[tuple[str, int], Any]) -> None:
    """Initializer of a local worker process: torch threads, a GPU of its own (``slots`` hands
    out device indices, None without GPUs), the scenarios the main process already built (their
    tensors travel through shared memory, not copied), and a watchdog on the main process."""
    import torch

    torch.set_num_threads(threads)
    _SCENARIOS.update(scenarios)
    if slots is not None:
        torch.cuda.set_device(slots.get())
    watch_parent()


def run_in_worker(
    cfg: DictConfig, cell: Cell, runner: CellRunner, log_root: Path | None = None
) -> dict[str, Any]:
    """Run one cell in a worker process or Ray task; return its record."""
    import torch

    torch.set_num_threads(int(cfg.launcher.threads))
    return cell_record(cfg, cell, scenario_for(cfg, cell.seed), runner, None, log_root)
