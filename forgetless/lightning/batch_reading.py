"""Read ``(inputs, labels)`` out of a Lightning batch for :class:`RuleCallback`.

A rule learns from inputs ``x`` (a floating-point tensor, one sample per row) and integer class
labels ``y``. By default a batch must be a tuple or list ``(x, y, ...)`` (what a
``TensorDataset`` or a forgetless scenario yields; extra items such as a task label are
ignored). Anything else (a bare tensor, as in Lightning's ``BoringModel``, a dict, labels that
are not class indices) is refused at the first batch with a ``ValueError`` saying what was
found, what is expected, and how to adapt: pass ``batch_to_xy=`` to the callback, a function
from your batch to ``(x, y)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

BatchToXY = Callable[[Any], tuple[torch.Tensor, torch.Tensor]]

_HINT = (
    "expected a tuple/list (x, y, ...) with x a floating-point tensor of shape (N, ...) and y "
    "integer class indices of shape (N,); adapt other batches with "
    "RuleCallback(..., batch_to_xy=lambda batch: (x, y))"
)


def _describe(value: Any) -> str:
    if isinstance(value, torch.Tensor):
        return f"a {value.dtype} tensor of shape {tuple(value.shape)}"
    if isinstance(value, tuple | list):
        return f"a {type(value).__name__} of {len(value)} item(s)"
    return f"a {type(value).__name__}"


def default_batch_to_xy(batch: Any) -> tuple[Any, Any]:
    """``(batch[0], batch[1])`` of a tuple or list batch; ValueError for anything else."""
    if isinstance(batch, tuple | list) and len(batch) >= 2:
        return batch[0], batch[1]
    raise ValueError(f"RuleCallback: cannot read the batch, got {_describe(batch)}; {_HINT}")


def read_batch(batch: Any, batch_to_xy: BatchToXY | None, in_features: int) -> tuple[Any, Any]:
    """``(x, y)`` of ``batch``, checked: x floating point with ``in_features`` values per sample,
    y integer labels of shape ``(N,)``. Raises ValueError naming what does not fit."""
    x, y = (batch_to_xy or default_batch_to_xy)(batch)
    problem = None
    if not isinstance(x, torch.Tensor) or not x.is_floating_point() or x.dim() < 1:
        problem = f"inputs x are {_describe(x)}"
    elif not isinstance(y, torch.Tensor) or y.dtype.is_floating_point or y.dtype == torch.bool:
        problem = f"labels y are {_describe(y)}, not integer class indices"
    elif y.is_complex() or y.dim() != 1 or y.shape[0] != x.shape[0]:
        problem = f"labels y are {_describe(y)} for {x.shape[0]} inputs"
    elif x[0].numel() != in_features:
        problem = f"inputs have {x[0].numel()} values per sample, the network takes {in_features}"
    if problem is not None:
        raise ValueError(f"RuleCallback: cannot read the batch: {problem}; {_HINT}")
    return x, y
