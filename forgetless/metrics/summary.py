"""Continual-learning summaries of an accuracy matrix.

``R[i, j]`` is the test accuracy on experience ``j`` after training on experience ``i``
(0-based here, 1..T in the papers); ``b[j]`` is the accuracy on ``j`` of the untrained model.

- ACC = mean_j R[T, j]
- LA = mean_j R[j, j]   (learning accuracy: how well each experience was learned right after
  training on it; "Learning to Learn without Forgetting by Maximizing Transfer and Minimizing
  Interference", Riemer et al., 2019). Forgetting only means something when LA is high: a run
  that never learned its current task forgets nothing. :func:`learning_threshold` gives the LA
  below which a run is reported as "did not learn".
- BWT = mean_{j<T} (R[T, j] - R[j, j])   ("Gradient Episodic Memory for Continual Learning",
  Lopez-Paz & Ranzato, 2017)
- FWT = mean_{j>1} (R[j-1, j] - b[j])     (same paper; only when ``b`` is given)
- forgetting = mean_{j<T} (max_{l<T} R[l, j] - R[T, j])   ("Riemannian Walk for Incremental
  Learning: Understanding Forgetting and Intransigence", Chaudhry et al., 2018)
- avalanche_forgetting = mean_{j<T} (R[j, j] - R[T, j]) = -BWT: what Avalanche's
  ``StreamForgetting`` reports. It is not Chaudhry's max-based forgetting; never confuse the two.
- avg_incremental_acc = mean_k (mean_{j<=k} R[k, j]): the accuracy on the experiences seen so
  far, averaged over the stream ("iCaRL: Incremental Classifier and Representation Learning",
  Rebuffi et al., 2017).

In a class-incremental run (one head, later classes never trained) ``R[j-1, j]`` is 0 unless the
untrained head already guesses them, so FWT is minus the untrained model's accuracy on future
classes, the same for every strategy (docs/metrics.md).

:func:`task_summary` gives ``acc_task``, ``la_task`` and ``forgetting_task`` of the task-
incremental matrix measured on the same run (logits masked to the evaluated experience's
classes, :mod:`forgetless.metrics.class_mask`).

With a single experience, BWT, FWT and both forgettings are undefined and reported as NaN.

A run evaluated with ``train.evaluate=current`` measures only the diagonal and the last row
(:func:`summarize_measured`): ACC, LA, BWT and avalanche_forgetting (forgetting since learned,
``R[j, j] - R[T, j]``) are exact; FWT, Chaudhry's forgetting and avg_incremental_acc need the
other entries and are NaN.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

SUMMARY_KEYS = (
    "acc",
    "la",
    "bwt",
    "fwt",
    "forgetting",
    "avalanche_forgetting",
    "avg_incremental_acc",
)
# What :func:`task_summary` returns: summaries of the task-incremental matrix of the same run.
TASK_KEYS = ("acc_task", "la_task", "forgetting_task")


def diagonal_and_last_row_measured(R: torch.Tensor) -> bool:
    """Whether a square ``R`` holds finite accuracies on its diagonal and in its last row, all
    that ``train.evaluate=current`` measures."""
    return bool(torch.isfinite(torch.diagonal(R)).all() and torch.isfinite(R[-1]).all())


def _as_matrix(
    R: torch.Tensor | Sequence[Sequence[float]], *, partial: bool = False
) -> torch.Tensor:
    """``R`` as a float64 tensor, checked: non-empty, square, every entry finite (with
    ``partial``: the diagonal and the last row).

    Raises:
        ValueError: the shape, or a NaN where an accuracy is needed.
    """
    R = torch.as_tensor(R, dtype=torch.float64)
    if R.ndim != 2 or R.shape[0] != R.shape[1] or R.shape[0] == 0:
        raise ValueError(
            f"R: expected a non-empty square T x T accuracy matrix, got shape {tuple(R.shape)}"
        )
    if partial:
        if not diagonal_and_last_row_measured(R):
            raise ValueError("R: expected finite accuracies on the diagonal and in the last row")
    elif not torch.isfinite(R).all():
        raise ValueError(
            "R: expected finite accuracies in every cell (an experience was never evaluated?)"
        )
    return R


def summarize(
    R: torch.Tensor | Sequence[Sequence[float]],
    baseline: torch.Tensor | Sequence[float] | None = None,
) -> dict[str, float]:
    """Return ``acc``, ``la``, ``bwt``, ``fwt``, ``forgetting``, ``avalanche_forgetting`` and
    ``avg_incremental_acc`` of ``R`` (:data:`SUMMARY_KEYS`, formulas in the module docstring).

    ``baseline`` holds ``b[j]``, the untrained model's accuracy on each experience; without it
    ``fwt`` is NaN.
    """
    R = _as_matrix(R)
    T = R.shape[0]
    nan = math.nan
    final = R[T - 1]
    out = {"acc": float(final.mean()), "la": float(torch.diagonal(R).mean())}
    out.update(bwt=nan, fwt=nan, forgetting=nan)
    if T > 1:
        diag = torch.diagonal(R)[: T - 1]
        out["bwt"] = float((final[: T - 1] - diag).mean())
        best_before_end = R[: T - 1, : T - 1].max(dim=0).values
        out["forgetting"] = float((best_before_end - final[: T - 1]).mean())
    if baseline is not None:
        b = torch.as_tensor(baseline, dtype=torch.float64)
        if b.shape != (T,):
            raise ValueError(
                f"baseline: expected {T} accuracies (one per experience), got shape {tuple(b.shape)}"
            )
        if T > 1:
            above_diag = torch.stack([R[j - 1, j] for j in range(1, T)])
            out["fwt"] = float((above_diag - b[1:]).mean())
    out["avalanche_forgetting"] = -out["bwt"]
    seen_so_far = [R[k, : k + 1].mean() for k in range(T)]
    out["avg_incremental_acc"] = float(torch.stack(seen_so_far).mean())
    return out


def summarize_measured(
    R: torch.Tensor | Sequence[Sequence[float]],
    baseline: torch.Tensor | Sequence[float] | None = None,
) -> dict[str, float]:
    """:func:`summarize` of a full matrix; of one that holds only its diagonal and last row
    (``train.evaluate=current``), ``acc``, ``la``, ``bwt`` and ``avalanche_forgetting`` exactly
    and NaN for ``fwt``, ``forgetting`` and ``avg_incremental_acc`` (they need other entries).

    Raises:
        ValueError: ``R`` is not square, or its diagonal or last row holds a NaN.
    """
    R = _as_matrix(R, partial=True)
    if torch.isfinite(R).all():
        return summarize(R, baseline)
    T = R.shape[0]
    final, diag = R[T - 1], torch.diagonal(R)
    bwt = float((final[: T - 1] - diag[: T - 1]).mean())
    out = dict.fromkeys(SUMMARY_KEYS, math.nan)
    out.update(acc=float(final.mean()), la=float(diag.mean()), bwt=bwt, avalanche_forgetting=-bwt)
    return out


def task_summary(R_task: torch.Tensor | Sequence[Sequence[float]]) -> dict[str, float]:
    """``acc_task``, ``la_task`` and ``forgetting_task`` (:data:`TASK_KEYS`): ACC, LA and
    forgetting of the task-incremental matrix of a run (same formulas as
    :func:`summarize_measured`: ``forgetting_task`` is NaN where only the diagonal and the last
    row were measured).

    Raises:
        ValueError: ``R_task`` is not square, or its diagonal or last row holds a NaN.
    """
    out = summarize_measured(R_task)
    return {f"{key}_task": out[key] for key in ("acc", "la", "forgetting")}


# What :func:`plasticity_summary` returns for a stream of at least ten experiences.
PLASTICITY_KEYS = ("la_first_tenth", "la_last_tenth")


def plasticity_summary(R: torch.Tensor | Sequence[Sequence[float]]) -> dict[str, float]:
    """``la_first_tenth`` and ``la_last_tenth``: the mean of ``R[j, j]`` over the first and the
    last tenth of the experiences (:data:`PLASTICITY_KEYS`; issue 25's plasticity summary: a
    network that loses plasticity learns its late experiences worse). Empty for fewer than ten
    experiences, where a tenth is less than one experience.

    Raises:
        ValueError: ``R`` is not square, or its diagonal or last row holds a NaN.
    """
    diagonal = torch.diagonal(_as_matrix(R, partial=True))
    tenth = diagonal.shape[0] // 10
    if tenth == 0:
        return {}
    return {
        "la_first_tenth": float(diagonal[:tenth].mean()),
        "la_last_tenth": float(diagonal[-tenth:].mean()),
    }


def learning_threshold(classes_per_experience: Sequence[int]) -> float:
    """The LA below which a run "did not learn": halfway between chance and perfect.

    ``chance = mean_j 1 / n_j`` is the accuracy of guessing uniformly among experience j's own
    ``n_j`` classes, so the threshold is ``(1 + chance) / 2``: 0.75 for experiences of two
    classes (Split-MNIST), 0.55 for ten (Permuted-MNIST). A run under it learned less than half
    of what is learnable above chance, and its forgetting numbers say nothing about forgetting.
    """
    counts = list(classes_per_experience)
    if not counts or any(not isinstance(n, int) or n < 1 for n in counts):
        raise ValueError(
            f"classes_per_experience: expected a non-empty list of class counts >= 1, got {counts}"
        )
    chance = sum(1.0 / n for n in counts) / len(counts)
    return (1.0 + chance) / 2.0
