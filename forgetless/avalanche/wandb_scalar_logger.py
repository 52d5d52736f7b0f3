"""Avalanche's ``WandBLogger`` for scalars, working with current wandb: ``WandBScalarLogger``.

What is kept from Avalanche's ``WandBLogger``: its constructor (``wandb.init`` with project,
run name, ``dir``, ``config``, ``params``; ``WANDB_MODE=offline`` keeps the run local) and
step = the metric's ``x_plot``. What is changed, and why:

- **Run id.** Avalanche 0.6 makes one with ``wandb.util.generate_id``, which recent wandb
  releases no longer have; this logger always passes an id (``params["id"]``, else
  ``$WANDB_RUN_ID``, else a fresh random one), so that call is never reached.
- **Logging.** Avalanche's ``log_single_metric`` refers to ``wandb.viz``, also gone; here
  :meth:`log_metrics` sends the scalar values of one call as one ``wandb.log`` row per step
  (non-scalar values are skipped: forgetless logs scalars only).
- **No extra per-experience logging.** Avalanche's ``after_training_exp`` logs that callback's
  values a second time and adds a 0-based ``TrainingExperience`` counter; forgetless logs its
  own 1-based ``continual/experience``, so this subclass drops both.
- :meth:`close` finishes the run, so the next run in the same process starts a new one.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

from avalanche.logging import WandBLogger

from forgetless.avalanche.csv_scalar_logger import scalar, scalars_by_step


class WandBScalarLogger(WandBLogger):
    """``WandBLogger`` logging each metric value once (see the module docstring); takes
    ``WandBLogger``'s keyword arguments."""

    def __init__(self, **kwargs: Any) -> None:
        params = dict(kwargs.pop("params", None) or {})
        params.setdefault("id", os.environ.get("WANDB_RUN_ID") or secrets.token_hex(4))
        super().__init__(params=params, **kwargs)

    def log_metrics(self, metric_values: list[Any]) -> None:
        """One ``wandb.log`` per distinct ``x_plot`` with that step's scalar values."""
        by_step = scalars_by_step(metric_values)
        for step, row in sorted(by_step.items()):
            self.step = step
            self.wandb.log(row, step=step)

    def log_single_metric(self, name: str, value: Any, x_plot: int) -> None:
        value = scalar(value)
        if value is not None:
            self.step = x_plot
            self.wandb.log({name: value}, step=x_plot)

    def after_training_exp(self, strategy: Any, metric_values: Any, **kwargs: Any) -> None:
        return None

    def close(self) -> None:
        """Finish the W&B run (writes its files; in offline mode, nothing leaves the machine)."""
        if self.wandb.run is not None:
            self.wandb.run.finish()
