"""The ``loggers`` key of ``forgetless compare``: each cell logs through Avalanche's loggers.

With ``loggers: [tensorboard, csv, wandb]`` (any subset; default none) every cell gets an
Avalanche ``EvaluationPlugin`` holding :class:`~forgetless.avalanche.ContinualScalars` and
those loggers, writing under ``<run>/logs/<rule>-<activation>-<strategy>-seed<k>/``:

- ``tensorboard``: Avalanche's ``TensorboardLogger`` → ``tensorboard/events.out.tfevents.*``
- ``csv``: :class:`~forgetless.avalanche.csv_scalar_logger.CSVScalarLogger` → ``metrics.csv``
- ``wandb``: :class:`~forgetless.avalanche.wandb_scalar_logger.WandBScalarLogger` →
  ``wandb/`` (project ``$WANDB_PROJECT`` or ``forgetless``, run named after the cell, grouped
  by run name; set ``WANDB_MODE=offline`` to keep everything local). W&B prints nothing (its
  ~34 banner and sync lines per cell would bury the run's own output): ``silent`` settings and
  ``console="off"``; the run's files under ``wandb/`` say where it synced.

The names and the step axis are those of :mod:`forgetless.metrics.logged`, the same as the
Lightning door's. The loss is logged about ten times per epoch of the shortest experience
(:func:`~forgetless.metrics.logged.log_interval`), as ``continual_trainer`` does by default.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from forgetless.metrics.logged import log_interval
from forgetless.scenarios import Scenario

LOG_FOLDER = "logs"


def cell_log_dir(root: Path, cell: Any) -> Path:
    """``root/<rule>-<activation>-<strategy>-seed<k>``: where one cell's loggers write."""
    return Path(root) / f"{cell.rule}-{cell.activation}-{cell.strategy}-seed{cell.seed}"


def build_loggers(names: list[str], folder: Path, cfg: DictConfig, cell: Any) -> list[Any]:
    """Avalanche loggers for ``names`` (validated names: tensorboard, csv, wandb)."""
    from avalanche.logging import TensorboardLogger

    from forgetless.avalanche.csv_scalar_logger import CSVScalarLogger

    loggers: list[Any] = []
    for name in names:
        if name == "tensorboard":
            loggers.append(TensorboardLogger(tb_log_dir=folder / "tensorboard"))
        elif name == "csv":
            loggers.append(CSVScalarLogger(folder / "metrics.csv"))
        elif name == "wandb":
            from forgetless.avalanche.wandb_scalar_logger import WandBScalarLogger

            folder.mkdir(parents=True, exist_ok=True)
            quiet = {"silent": True, "console": "off"}  # wandb.init takes settings as a dict
            loggers.append(
                WandBScalarLogger(
                    project_name=os.environ.get("WANDB_PROJECT", "forgetless"),
                    run_name=folder.name,
                    save_code=False,
                    config={**OmegaConf.to_container(cfg, resolve=True), "cell": vars(cell)},
                    dir=str(folder),
                    params={
                        "group": cfg.run_name or cfg.preset,
                        "reinit": "finish_previous",
                        "settings": quiet,
                    },
                )
            )
        else:
            raise ValueError(f"loggers: unknown logger {name!r}")
    return loggers


@contextmanager
def cell_evaluator(
    cfg: DictConfig, cell: Any, scenario: Scenario, recorder: Any, log_root: Path | None
) -> Iterator[Any]:
    """The cell's ``EvaluationPlugin``; its loggers are closed (files flushed, W&B run
    finished) on exit. Without ``log_root`` or ``cfg.loggers``: a silent evaluator."""
    from forgetless.avalanche.cl_strategies import quiet_evaluator
    from forgetless.avalanche.continual_logging import close_logger, continual_evaluator

    names = list(cfg.get("loggers", []))
    if log_root is None or not names:
        yield quiet_evaluator()
        return
    every = log_interval([len(data) for data in scenario.train], cfg.train.batch_size)
    loggers = build_loggers(names, cell_log_dir(log_root, cell), cfg, cell)
    try:
        yield continual_evaluator(recorder, loggers, every_n_steps=every)
    finally:
        for logger in loggers:
            close_logger(logger)
