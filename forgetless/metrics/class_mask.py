"""Mask class scores to the classes of an experience: task-incremental accuracy and training.

A task-incremental learner is told which experience (task) an input comes from and predicts
among that experience's classes only. With one shared head this is the same logits with every
other class removed: ``mask_logits(logits, allowed)`` sets the scores of the classes not allowed
to the lowest finite value of their dtype (not ``-inf``: a softmax or cross-entropy over the row
stays finite, and the masked classes get probability 0 and gradient 0). The same masked logits
give the task-incremental accuracy of a class-incremental run (METHODS.md, "Task-incremental
accuracy from a class-incremental run") and, used in the loss, task-incremental training.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch


def allowed_classes(classes: Sequence[Sequence[int]], num_classes: int) -> torch.Tensor:
    """Boolean ``[T, num_classes]``: row ``t`` is True at the classes of experience ``t``.

    Raises:
        ValueError: an experience has no class, or a class outside ``0..num_classes-1``.
    """
    allowed = torch.zeros(len(classes), num_classes, dtype=torch.bool)
    for t, members in enumerate(classes):
        members = [int(c) for c in members]
        if not members or min(members) < 0 or max(members) >= num_classes:
            raise ValueError(
                f"classes[{t}]: expected class indices in 0..{num_classes - 1}, got {members}"
            )
        allowed[t, members] = True
    return allowed


def mask_logits(logits: torch.Tensor, allowed: torch.Tensor) -> torch.Tensor:
    """``logits`` ``[N, C]`` with the classes where ``allowed`` is False set to the dtype's
    lowest finite value. ``allowed``: ``[C]`` (one experience for the whole batch) or ``[N, C]``
    (one row per sample, e.g. ``allowed_classes(...)[task_ids]`` for a batch mixing tasks).

    Raises:
        ValueError: ``logits`` is not ``[N, C]`` or ``allowed`` does not match it.
    """
    if logits.ndim != 2:
        raise ValueError(f"logits: expected class scores [N, C], got {tuple(logits.shape)}")
    if allowed.shape not in (logits.shape[1:], logits.shape):
        raise ValueError(
            f"allowed: expected a mask of shape ({logits.shape[1]},) or {tuple(logits.shape)}, "
            f"got {tuple(allowed.shape)}"
        )
    allowed = allowed.to(device=logits.device, dtype=torch.bool)
    return logits.masked_fill(~allowed, torch.finfo(logits.dtype).min)
