"""Worker processes for ``launcher.kind=local``: the ``forkserver`` start method, started early.

Starting a worker by ``spawn`` re-imports torch, torchmetrics and Avalanche in every worker
(seconds each; on a small grid that is as long as the cells). Forking the main process would
avoid it, but a process that has already run torch code holds thread pools whose locks a fork
copies in an unknown state (the classic fork + OpenMP deadlock). The ``forkserver`` start method
avoids both: one clean server process imports the modules in :data:`PRELOAD` once, without
running any torch operation, and every worker is forked from it, ready at once. The server is
started by :func:`start_early`, which the command line calls right after reading the config so
the server's imports overlap the main process's own; :func:`context` also starts it on demand.
Where ``forkserver`` does not exist (Windows), workers are spawned.

Workers set ``torch.set_num_threads(launcher.threads)`` first thing (the DataLoader-worker
practice), see :func:`forgetless.app.run.worker.init_worker`.
"""

from __future__ import annotations

import multiprocessing
from typing import Any

#: Modules every worker needs, imported once in the fork server (only imports, no torch op).
PRELOAD = (
    "forgetless.app.run.worker",
    "forgetless.app.run.scenario_builder",
    "forgetless.avalanche",
    "forgetless.avalanche.cl_strategies",
    "forgetless.avalanche.rule_strategy",
)


def context() -> Any:
    """The multiprocessing context of the local workers (forkserver with :data:`PRELOAD`)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(PRELOAD))
    return ctx


def start_early(launcher: Any) -> None:
    """Start the fork server now when ``launcher`` (a config section) will use worker processes;
    it loads :data:`PRELOAD` while this process goes on (a no-op otherwise)."""
    if launcher.kind != "local" or int(launcher.jobs) < 2:
        return
    if context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def stop_pool_now(pool: Any) -> None:
    """Interrupted (Ctrl-C, SIGTERM) or a result handler failed: stop the calls in flight now
    rather than wait for them (their results would be lost anyway). ``_processes`` is the pool's
    private process table; there is no public way to stop a running call."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
