"""A run measured against its joint upper bound.

``a*_j`` is the accuracy on experience ``j`` of the same model trained once, i.i.d., on the
union of all experiences (the joint bound); ``R`` is the sequential run's accuracy matrix
(0-based, as in :mod:`forgetless.metrics.summary`).

- ACC of the joint bound = mean_j a*_j
- ACC relative to the bound = ACC / ACC*  (1 = as good as joint training)
- intransigence I = mean_j (a*_j − R[j, j]): how much worse each experience is learned right
  after training on it than the joint model knows it ("Riemannian Walk for Incremental
  Learning: Understanding Forgetting and Intransigence", Chaudhry et al., 2018, who define
  ``I_k = a*_k − a_{k,k}`` per experience; here the mean over experiences).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from forgetless.metrics.summary import _as_matrix


def _joint(joint_accuracy: torch.Tensor | Sequence[float], T: int | None = None) -> torch.Tensor:
    a = torch.as_tensor(joint_accuracy, dtype=torch.float64)
    if a.ndim != 1 or a.numel() == 0 or (T is not None and a.numel() != T):
        expected = f"{T} accuracies" if T is not None else "a non-empty list of accuracies"
        raise ValueError(f"joint_accuracy: expected {expected}, got shape {tuple(a.shape)}")
    if not torch.isfinite(a).all():
        raise ValueError("joint_accuracy: expected finite accuracies")
    return a


def joint_acc(joint_accuracy: torch.Tensor | Sequence[float]) -> float:
    """ACC of the joint bound, mean_j a*_j.

    Raises:
        ValueError: naming ``joint_accuracy`` when it is not a non-empty finite vector.
    """
    return float(_joint(joint_accuracy).mean())


def intransigence(
    R: torch.Tensor | Sequence[Sequence[float]], joint_accuracy: torch.Tensor | Sequence[float]
) -> float:
    """mean_j (a*_j − R[j, j]) (Chaudhry et al. 2018); positive = learns less than joint.

    Raises:
        ValueError: ``R`` not a finite square matrix, or ``joint_accuracy`` not one finite value
            per experience.
    """
    R = _as_matrix(R)
    a = _joint(joint_accuracy, R.shape[0])
    return float((a - torch.diagonal(R)).mean())


def relative_to_joint(acc: float, joint_accuracy: torch.Tensor | Sequence[float]) -> float:
    """``acc / ACC*``: a run's ACC as a fraction of its joint bound's.

    Raises:
        ValueError: naming ``joint_accuracy`` when the bound's ACC is 0 (nothing to divide by).
    """
    bound = joint_acc(joint_accuracy)
    if bound <= 0:
        raise ValueError("joint_accuracy: the joint bound's ACC is 0; no fraction of it exists")
    return float(acc) / bound
