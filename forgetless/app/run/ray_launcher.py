"""``launcher.kind=ray``: each grid cell is a Ray task with its own CPU/GPU request.

Ray ("Ray: A Distributed Framework for Emerging AI Applications", Moritz et al., OSDI 2018) is an
optional extra (``pip install 'forgetless[ray]'``), imported only here, only when this launcher
is chosen. Without ``launcher.address`` a local Ray instance is started (by the command line as
soon as the config is valid, so that its workers import torch and Avalanche while the main
process loads the data: :func:`connect`) with
``launcher.jobs × launcher.cpus_per_cell`` CPUs (so at most ``jobs`` cells run at once) and shut
down at the end; with ``launcher.address`` (``auto`` or ``host:port``) the run joins that
cluster, whose resources decide how many cells run at once, and every node must have forgetless
installed (and the data at ``scenario.root``).

A task asks for ``launcher.cpus_per_cell`` CPUs and ``launcher.gpus_per_cell`` GPUs (null: one
GPU per cell when ``train.device`` is cuda, or auto on a machine that has one; else none); Ray
sets ``CUDA_VISIBLE_DEVICES`` per task, so a cell sees its GPU as ``cuda``. The task runs the
same code as a local worker (:func:`forgetless.app.run.worker.run_in_worker`), so results match
the local launchers bit for bit on CPU. A task that dies (its worker killed, out of memory) is
recorded as a failed cell, which a resume re-runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from omegaconf import DictConfig

from forgetless.app.run.process_context import PRELOAD

_STARTED_HERE: list[bool] = []  # non-empty while a Ray instance started by us is up


def gpus_per_cell(cfg: DictConfig) -> float:
    """``launcher.gpus_per_cell``, or its default (see the module doc)."""
    from forgetless.app.run.cell import resolve_device

    if cfg.launcher.gpus_per_cell is not None:
        return float(cfg.launcher.gpus_per_cell)
    return 1.0 if resolve_device(cfg.train.device).startswith("cuda") else 0.0


def _warm_up() -> None:
    import importlib

    for module in PRELOAD:
        importlib.import_module(module)


def connect(cfg: DictConfig) -> None:
    """Start (or join) Ray now; on a local instance, also have ``jobs`` workers import what a
    cell needs while this process goes on. The command line calls this as soon as the config
    is valid; :func:`run_on_ray` calls it too."""
    import ray

    if ray.is_initialized():
        return
    launcher = cfg.launcher
    local = {} if launcher.address else {"num_cpus": launcher.jobs * launcher.cpus_per_cell}
    # log_to_driver=False: workers' warnings would break the progress bar; errors are recorded.
    ray.init(address=launcher.address, include_dashboard=False, log_to_driver=False, **local)
    _STARTED_HERE.append(True)
    if not launcher.address:
        warm = ray.remote(_warm_up).options(num_cpus=float(launcher.cpus_per_cell))
        for _ in range(int(launcher.jobs)):
            warm.remote()  # fire and forget: the workers stay warm for the cells


def run_on_ray(
    cfg: DictConfig,
    cells: list[Any],
    runner: Callable[..., dict[str, Any]],
    on_record: Callable[[dict[str, Any]], None],
    log_root: Any = None,
) -> None:
    """Submit every cell as a Ray task; call ``on_record`` as each one ends (``log_root``: where
    the cells' loggers write, a path every node must reach)."""
    import ray

    from forgetless.app.run.worker import failed_record, run_in_worker

    connect(cfg)
    pending: dict[Any, Any] = {}
    try:
        task = ray.remote(run_in_worker).options(
            num_cpus=float(cfg.launcher.cpus_per_cell),
            num_gpus=gpus_per_cell(cfg),
            max_retries=0,
        )
        pending = {task.remote(cfg, cell, runner, log_root): cell for cell in cells}
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                cell = pending.pop(ref)
                try:
                    record = ray.get(ref)
                except (ray.exceptions.RayTaskError, ray.exceptions.WorkerCrashedError) as error:
                    record = failed_record(cell, error, "its Ray task failed")
                on_record(record)
    except BaseException:
        for ref in pending:  # interrupted: stop the cells in flight
            ray.cancel(ref, force=True)
        raise
    finally:
        if _STARTED_HERE:
            _STARTED_HERE.clear()
            ray.shutdown()
