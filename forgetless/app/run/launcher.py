"""Run a list of grid cells: in this process, in local worker processes, or as Ray tasks.

``launcher.kind=local`` with ``launcher.jobs=1`` (the default) runs the cells one after another
in this process, with per-experience progress. ``jobs=N > 1`` starts N worker processes
(``concurrent.futures.ProcessPoolExecutor``, forked from a clean fork server, see
:mod:`forgetless.app.run.process_context`). Each worker receives the scenarios the main
process built (torch moves their tensors through shared memory; a stream of more tensors than
the fork server can pass, such as 100 Permuted-MNIST tasks, is rebuilt by each worker) and, when the cells run on CUDA
and GPUs are present, takes a device of its own (worker k gets GPU k mod #GPUs). A worker
exits by itself when the main process dies. ``launcher.kind=ray`` hands the cells (and, on a
local Ray instance, the scenarios) to long-lived Ray actors (:mod:`forgetless.app.run.ray_launcher`).

Several workers (local or Ray) start the cells longest-expected first
(:func:`forgetless.app.run.schedule.longest_first`), which shortens the idle tail at the end of
the grid; ``while_waiting`` (for example the report's imports) runs in the main process once the
cells are handed out, while the first ones run. Whatever the launcher, ``on_record`` is called
in the main process as each cell ends, in completion order; the caller saves the record and puts
it back in grid order for the report.
If a worker process dies (killed, out of memory), its cell and the cells still queued are
recorded as failed with a ``BrokenProcessPool`` error, and a resume re-runs them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from forgetless.app.run import process_context
from forgetless.app.run.cell import Cell, resolve_device
from forgetless.app.run.schedule import longest_first
from forgetless.app.run.worker import (
    CellRunner,
    cell_record,
    failed_record,
    init_worker,
    run_in_worker,
    scenario_key,
)

OnRecord = Callable[[dict[str, Any]], None]


def run_cells(
    cfg: DictConfig,
    cells: list[Cell],
    scenarios: dict[int, Any],
    runner: CellRunner,
    on_record: OnRecord,
    on_experience: Callable[[Cell, int, int], None] | None = None,
    log_root: Path | None = None,
    while_waiting: Callable[[], None] | None = None,
) -> None:
    """Run ``cells`` with the launcher of ``cfg.launcher``; call ``on_record`` after each.
    ``log_root``: where the cells' loggers write (None without ``loggers``); ``while_waiting``:
    called once in this process after the cells are handed to other processes (never when they
    run here)."""
    if not cells:
        return
    if cfg.launcher.kind == "local" and cfg.launcher.jobs == 1:
        _run_here(cfg, cells, scenarios, runner, on_record, on_experience, log_root)
        return
    cells = longest_first(cells)  # several workers: see the module docstring
    if cfg.launcher.kind == "ray":
        from forgetless.app.run.ray_launcher import run_on_ray

        run_on_ray(cfg, cells, runner, on_record, log_root, scenarios, while_waiting)
    else:
        _run_in_processes(cfg, cells, scenarios, runner, on_record, log_root, while_waiting)


def finish() -> None:
    """Wait for what a launcher still does after its last cell: Ray's shutdown, which runs in the
    background so that it overlaps the report (a no-op for the local launchers)."""
    ray_launcher = sys.modules.get("forgetless.app.run.ray_launcher")
    if ray_launcher is not None:
        ray_launcher.wait_for_shutdown()


def _run_here(
    cfg: DictConfig,
    cells: list[Cell],
    scenarios: dict[int, Any],
    runner: CellRunner,
    on_record: OnRecord,
    on_experience: Callable[[Cell, int, int], None] | None,
    log_root: Path | None,
) -> None:
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(int(cfg.launcher.threads))
    try:
        for cell in cells:

            def progress(i: int, n: int, cell: Cell = cell) -> None:
                if on_experience is not None:
                    on_experience(cell, i, n)

            on_record(cell_record(cfg, cell, scenarios[cell.seed], runner, progress, log_root))
    finally:
        torch.set_num_threads(previous)


def _gpu_slots(cfg: DictConfig, context: Any, jobs: int) -> Any:
    """A queue handing each worker a GPU index, or None when the cells do not run on CUDA."""
    import torch

    device = resolve_device(cfg.train.device)
    if not device.startswith("cuda") or not torch.cuda.is_available():
        return None
    slots = context.Queue()
    for k in range(jobs):
        slots.put(k % torch.cuda.device_count())
    return slots


#: Tensors the main process may hand to the workers through shared memory: each is one file
#: descriptor of the fork server's start message, which carries fewer than 256
#: (``multiprocessing.forkserver.MAXFDS_TO_SEND``; a 100-task Permuted-MNIST stream has ~600).
MAX_SHARED_TENSORS = 200


def _tensors(value: Any) -> list[Any]:
    """The tensors inside a scenario (its experiences' fields, lists of them, ...)."""
    import dataclasses

    import torch

    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, list | tuple):
        return [t for item in value for t in _tensors(item)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [t for f in dataclasses.fields(value) for t in _tensors(getattr(value, f.name))]
    return []


def shareable(scenarios: dict[Any, Any]) -> dict[Any, Any]:
    """``scenarios`` when their tensors fit in the fork server's message
    (:data:`MAX_SHARED_TENSORS` distinct storages), else ``{}``: each worker then builds the
    scenarios itself (deterministic, :func:`~forgetless.app.run.worker.scenario_for`)."""
    storages = {t.untyped_storage().data_ptr() for t in _tensors(list(scenarios.values()))}
    return scenarios if len(storages) <= MAX_SHARED_TENSORS else {}


def _run_in_processes(
    cfg: DictConfig,
    cells: list[Cell],
    scenarios: dict[int, Any],
    runner: CellRunner,
    on_record: OnRecord,
    log_root: Path | None,
    while_waiting: Callable[[], None] | None,
) -> None:
    jobs = min(int(cfg.launcher.jobs), len(cells))
    context = process_context.context()
    built = {scenario_key(cfg, seed): scenario for seed, scenario in scenarios.items()}
    initargs = (int(cfg.launcher.threads), _gpu_slots(cfg, context, jobs), shareable(built))
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=init_worker, initargs=initargs)
    try:
        pending = {pool.submit(run_in_worker, cfg, cell, runner, log_root): cell for cell in cells}
        if while_waiting is not None:
            while_waiting()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                cell = pending.pop(future)
                try:
                    record = future.result()
                except BrokenProcessPool as error:
                    record = failed_record(cell, error, "its worker process died")
                on_record(record)
    except BaseException:  # interrupted, or on_record failed: stop the cells in flight
        process_context.stop_pool_now(pool)
        raise
    pool.shutdown(wait=True)
