"""``launcher.kind=ray``: the grid's cells run in long-lived Ray actors, one per job slot.

Ray ("Ray: A Distributed Framework for Emerging AI Applications", Moritz et al., OSDI 2018) is an
optional extra (``pip install 'forgetless[ray]'``), imported only here, only when this launcher
is chosen. Without ``launcher.address`` a local Ray instance is started (by the command line as
soon as the launcher section is valid, :func:`connect`) with ``launcher.jobs ×
launcher.cpus_per_cell`` CPUs and shut down at the end; with ``launcher.address`` (``auto`` or
``host:port``) the run joins that cluster, and every node must have forgetless installed (and
the data at ``scenario.root``).

Each slot is a :class:`CellActor`, created by :func:`connect`: a Ray worker process that imports
what a cell needs once (:data:`~forgetless.app.run.process_context.PRELOAD`) while the main
process validates the config and loads the data, then runs cells one after another, like a
local worker. On a local instance it also receives the scenarios the main process built, once,
through Ray's object store (on a cluster, each actor builds them from ``scenario.root``). There
are ``launcher.jobs`` actors on a local instance; on a cluster, as many as its CPUs (and GPUs)
hold at ``cpus_per_cell`` (and ``gpus_per_cell``) each. An actor asks for
``launcher.cpus_per_cell`` CPUs and ``launcher.gpus_per_cell`` GPUs (null: one GPU when
``train.device`` is cuda, or auto on a machine that has one; else none); Ray sets
``CUDA_VISIBLE_DEVICES`` per actor, so a cell sees its GPU as ``cuda``.

When every cell has ended, a local instance is shut down in a background thread (stopping
Ray's processes takes ~1.4 s, mostly waiting for them to exit), so that the report is written
meanwhile; :func:`wait_for_shutdown` (called by ``run_compare`` after the report), :func:`connect`
and :func:`disconnect` wait for it. After an interruption or an error Ray is shut down at once.

A local instance dies with the main process, SIGKILL included (Linux): right after ``ray.init``
the main process starts a watchdog process (:mod:`forgetless.app.run.ray_watchdog`) that polls
the main process's pid and, only once that has exited, SIGKILLs every process of the Ray
session (those holding files in its session folder: GCS, raylet, dashboard, agents, workers).
Ray itself kills GCS and raylet with their parent, but its dashboard and runtime-env agents
outlive it. A normal shutdown sends the watchdog a line first, and it exits touching nothing.
On a cluster, Ray ends the actors of a driver that is gone.

A cell runs the same code as in a local worker (:func:`forgetless.app.run.worker.run_in_worker`),
so results match the local launchers bit for bit on CPU. An actor that dies (killed, out of
memory) fails the cell it was running, which a resume re-runs, and a fresh actor takes its slot
for the next cells. (Ray's own restart does not do: a task handed to an actor while Ray restarts
it fails at once with ``ActorUnavailableError``, which failed every cell that slot got meanwhile.)
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from forgetless.app.run.process_context import PRELOAD

_STARTED_HERE: list[bool] = []  # non-empty while a Ray instance started by us is up
_SHUTTING_DOWN: list[threading.Thread] = []  # a background ray.shutdown() in progress
_ACTORS: list[Any] = []  # the CellActor handles created by connect()
_WATCHDOGS: list[subprocess.Popen] = []  # the ray_watchdog process of a local instance


def gpus_per_cell(cfg: DictConfig) -> float:
    """``launcher.gpus_per_cell``, or its default (see the module doc)."""
    from forgetless.app.run.cell import resolve_device

    if cfg.launcher.gpus_per_cell is not None:
        return float(cfg.launcher.gpus_per_cell)
    return 1.0 if resolve_device(cfg.train.device).startswith("cuda") else 0.0


class CellActor:
    """One job slot: a Ray worker that imports what a cell needs once and runs cells in turn."""

    def __init__(self, threads: int) -> None:
        import importlib

        import torch

        for module in PRELOAD:
            importlib.import_module(module)
        torch.set_num_threads(threads)

    def adopt(self, scenarios: dict[tuple[str, int], Any]) -> None:
        """Use the scenarios the main process built (keyed by ``worker.scenario_key``)."""
        from forgetless.app.run import worker

        worker._SCENARIOS.update(scenarios)

    def run(
        self, cfg: DictConfig, cell: Any, runner: Callable[..., dict[str, Any]], log_root: Any
    ) -> dict[str, Any]:
        """Run one cell; return its record (see :func:`~forgetless.app.run.worker.cell_record`)."""
        from forgetless.app.run.worker import run_in_worker

        return run_in_worker(cfg, cell, runner, log_root)


def _new_actor(cfg: DictConfig) -> Any:
    """A :class:`CellActor` with the launcher's CPUs and GPUs, which Ray does not restart (a
    dead one is replaced by :func:`run_on_ray`, see the module doc)."""
    import ray

    actor = ray.remote(CellActor).options(
        num_cpus=float(cfg.launcher.cpus_per_cell),
        num_gpus=gpus_per_cell(cfg),
        max_restarts=0,
        max_task_retries=0,  # the cell it was running is recorded as failed
    )
    return actor.remote(int(cfg.launcher.threads))


def _start_watchdog(session_dir: str) -> None:
    """Start :mod:`~forgetless.app.run.ray_watchdog` on this process and the session in
    ``session_dir`` (Linux only: it reads ``/proc``). Its own session: a Ctrl-C or a signal to
    this process group does not reach it, and it writes nothing (it may outlive this command)."""
    if not sys.platform.startswith("linux"):
        return
    script = Path(__file__).with_name("ray_watchdog.py")
    command = [sys.executable, "-I", str(script), str(os.getpid()), session_dir]
    _WATCHDOGS.append(
        subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    )


def _stop_watchdog() -> None:
    """Tell the watchdog that Ray was shut down (it exits touching nothing) and reap it."""
    while _WATCHDOGS:
        watchdog = _WATCHDOGS.pop()
        try:
            watchdog.stdin.write(b"stop\n")
            watchdog.stdin.close()
        except OSError:  # it has already ended
            pass
        watchdog.wait()


def _shutdown() -> None:
    """``ray.shutdown()``, then stop the watchdog (kept watching if the shutdown raised)."""
    import ray

    ray.shutdown()
    _stop_watchdog()


def _slots(cfg: DictConfig, gpus: float) -> int:
    """How many actors: ``launcher.jobs`` on a local instance, else what the cluster holds."""
    import ray

    if not cfg.launcher.address:
        return int(cfg.launcher.jobs)
    resources = ray.cluster_resources()
    slots = math.floor(resources.get("CPU", 0) / float(cfg.launcher.cpus_per_cell))
    if gpus > 0:
        slots = min(slots, math.floor(resources.get("GPU", 0) / gpus))
    return max(1, slots)


def connect(cfg: DictConfig) -> None:
    """Start (or join) Ray now and create the :class:`CellActor` slots, which import what a cell
    needs while this process goes on. The command line calls this as soon as the launcher
    section is valid; :func:`run_on_ray` calls it too."""
    import ray

    wait_for_shutdown()
    if ray.is_initialized():
        return
    launcher = cfg.launcher
    local = {} if launcher.address else {"num_cpus": launcher.jobs * launcher.cpus_per_cell}
    # log_to_driver=False: workers' warnings would break the progress bar; errors are recorded.
    context = ray.init(
        address=launcher.address, include_dashboard=False, log_to_driver=False, **local
    )
    _STARTED_HERE.append(True)
    if not launcher.address:
        _start_watchdog(context.address_info["session_dir"])
    _ACTORS[:] = [_new_actor(cfg) for _ in range(_slots(cfg, gpus_per_cell(cfg)))]


def disconnect(*, background: bool = False) -> None:
    """Forget the actors; shut Ray down if :func:`connect` started it (else a no-op). With
    ``background`` the shutdown runs in a (non-daemon) thread and this returns at once."""
    _ACTORS.clear()
    wait_for_shutdown()
    if not _STARTED_HERE:
        return
    _STARTED_HERE.clear()
    if not background:
        _shutdown()
        return
    thread = threading.Thread(target=_shutdown, name="forgetless-ray-shutdown")
    _SHUTTING_DOWN.append(thread)
    thread.start()


def wait_for_shutdown() -> None:
    """Return when no background shutdown (see :func:`disconnect`) is in progress (does not
    import Ray)."""
    while _SHUTTING_DOWN:
        _SHUTTING_DOWN.pop().join()


def run_on_ray(
    cfg: DictConfig,
    cells: list[Any],
    runner: Callable[..., dict[str, Any]],
    on_record: Callable[[dict[str, Any]], None],
    log_root: Any = None,
    scenarios: dict[int, Any] | None = None,
    while_waiting: Callable[[], None] | None = None,
) -> None:
    """Run every cell on the :class:`CellActor` slots, in the order given; call ``on_record`` as
    each one ends. ``log_root``: where the cells' loggers write, a path every node must reach;
    ``scenarios``: the main process's, by seed, handed to the actors of a local instance;
    ``while_waiting``: called once here after the first cells are handed out."""
    import ray
    from ray.exceptions import RayError, RayTaskError

    from forgetless.app.run.worker import failed_record, scenario_key

    connect(cfg)
    actors = _ACTORS[: len(cells)]
    queue = deque(cells)
    pending: dict[Any, tuple[Any, Any]] = {}  # ObjectRef -> (actor, cell)
    built: list[Any] = []  # the main process's scenarios in Ray's object store (local instance)

    def submit(actor: Any) -> None:
        if queue:
            cell = queue.popleft()
            pending[actor.run.remote(cfg, cell, runner, log_root)] = (actor, cell)

    def replace(actor: Any) -> Any:
        """A fresh actor in the slot of ``actor``, which died."""
        ray.kill(actor, no_restart=True)
        fresh = _new_actor(cfg)
        _ACTORS[_ACTORS.index(actor)] = fresh  # an interruption kills it too
        for scenarios_ref in built:
            fresh.adopt.remote(scenarios_ref)
        return fresh

    try:
        if scenarios and not cfg.launcher.address:
            built.append(ray.put({scenario_key(cfg, s): sc for s, sc in scenarios.items()}))
            for actor in actors:
                actor.adopt.remote(built[0])  # an actor runs its calls in order: before any cell
        for actor in actors:
            submit(actor)
        if while_waiting is not None:
            while_waiting()
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            actor, cell = pending.pop(done[0])
            try:
                record = ray.get(done[0])
            except RayError as error:
                record = failed_record(cell, error, "its Ray actor failed")
                if not isinstance(error, RayTaskError):  # the actor itself is gone
                    actor = replace(actor)
            on_record(record)
            submit(actor)
    except BaseException:
        for actor in _ACTORS:  # interrupted: stop the cells in flight
            ray.kill(actor, no_restart=True)
        disconnect()
        raise
    disconnect(background=True)
