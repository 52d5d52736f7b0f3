"""What a continual run sends to its loggers, the same in both doors.

Both the Avalanche door (:class:`forgetless.avalanche.ContinualScalars`, used by
``forgetless compare``) and the Lightning door (:class:`forgetless.lightning.ContinualMetrics`)
build their scalars here, so TensorBoard, CSV and W&B see one set of names on one step axis:

- **Step**: the global training step, i.e. the number of training iterations (minibatches)
  done so far over the whole stream. The loss of an iteration is logged at that iteration's
  0-based index (the count of iterations before it), which is what Lightning's ``self.log`` and
  Avalanche's clock both use; the scalars after experience ``k`` are logged at the number of
  iterations done once ``k`` is trained.
- **Experiences are numbered 1..T** in every name and value (the matrix ``R`` is 0-based in code).

=============================  =========================================================
name                           value
=============================  =========================================================
``train/loss``                 training loss of the iteration (every ``n`` iterations)
``continual/experience``       experience being trained / just trained (1..T)
``continual/<key>``            every finite entry of :func:`~forgetless.metrics.summarize`
                               over the ``k × k`` matrix seen so far: ``acc``, ``bwt``,
                               ``fwt``, ``forgetting``, ``avalanche_forgetting``,
                               ``avg_incremental_acc``, and with a task-incremental
                               matrix ``acc_task``, ``la_task``, ``forgetting_task``
``accuracy/experience_<j>``    ``R[k, j]``: accuracy on test experience ``j`` (1..T) after
                               training experience ``k``
=============================  =========================================================
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from forgetless.metrics.summary import (
    diagonal_and_last_row_measured,
    summarize_measured,
    task_summary,
)

TRAIN_LOSS = "train/loss"
EXPERIENCE = "continual/experience"
MAX_LOG_INTERVAL = 50  # Lightning's default log_every_n_steps


def accuracy_name(j: int) -> str:
    """The logged name of the accuracy on experience ``j`` (1-based)."""
    return f"accuracy/experience_{j}"


def experience_scalars(
    R: torch.Tensor,
    baseline: torch.Tensor | None,
    k: int,
    R_task: torch.Tensor | None = None,
) -> dict[str, float]:
    """The scalars logged once experience ``k`` (0-based) is trained and evaluated.

    ``R`` is the ``T × T`` matrix (rows after ``k`` may be NaN); ``baseline`` the untrained
    model's accuracies (None, or containing NaN, when unknown: then there is no ``fwt``);
    ``R_task`` the task-incremental matrix of the same run (None: no ``*_task`` scalars).
    Undefined summaries (BWT after the first experience, ...) and unmeasured accuracies are left
    out: with ``train.evaluate=current`` row ``k < T − 1`` holds only ``R[k, k]``, so only
    ``la`` (over the diagonal so far) and ``accuracy/experience_<k+1>`` are logged then.
    """
    R = torch.as_tensor(R, dtype=torch.float64)
    base = None
    if baseline is not None:
        base = torch.as_tensor(baseline, dtype=torch.float64)[: k + 1]
        if not bool(torch.isfinite(base).all()):
            base = None
    seen = R[: k + 1, : k + 1]
    if diagonal_and_last_row_measured(seen):
        summary = summarize_measured(seen, base)
    else:  # train.evaluate=current before the last experience: only R[k, k] of row k
        summary = {"la": float(torch.diagonal(seen).mean())}
    if R_task is not None:
        seen = torch.as_tensor(R_task, dtype=torch.float64)[: k + 1, : k + 1]
        if bool(torch.isfinite(seen).all()):
            summary.update(task_summary(seen))
    out = {f"continual/{key}": value for key, value in summary.items() if math.isfinite(value)}
    out[EXPERIENCE] = float(k + 1)
    for j in range(R.shape[1]):
        if math.isfinite(R[k, j]):
            out[accuracy_name(j + 1)] = float(R[k, j])
    return out


def log_interval(experience_sizes: Sequence[int], batch_size: int) -> int:
    """Log the loss every this many iterations: about ten points per epoch of the shortest
    experience (``experience_sizes`` training samples, minibatches of ``batch_size``), at least
    every step, at most every :data:`MAX_LOG_INTERVAL` steps."""
    batches = min(math.ceil(n / batch_size) for n in experience_sizes)
    return max(1, min(MAX_LOG_INTERVAL, batches // 10))


def is_log_step(step: int, every: int) -> bool:
    """Whether the iteration at 0-based global ``step`` logs its loss (Lightning's rule:
    iterations ``every``, ``2·every``, ... counted from 1)."""
    return every > 0 and (step + 1) % every == 0


def plasticity_name(layer: str, metric: str) -> str:
    """The logged name of plasticity ``metric`` of ``layer`` (its qualified module name):
    ``plasticity/<layer>/<metric>`` (:class:`forgetless.plasticity.PlasticityMonitor`)."""
    return f"plasticity/{layer}/{metric}"


def sparsity_name(layer: str, metric: str) -> str:
    """The logged name of sparsity ``metric`` of ``layer``: ``sparsity/<layer>/<metric>``
    (``activation_zero_fraction``, ``gradient_zero_fraction``: the Lightning ``SparsityMonitor``)."""
    return f"sparsity/{layer}/{metric}"
