"""The one place that decides between a fused Triton kernel and the pure-PyTorch reference.

Activation functionals call :func:`dispatch` with their reference implementation; the modules
never branch on devices themselves. A fused implementation is used only when every tensor
argument lives on a CUDA device, has a supported dtype, and kernels are not disabled with the
environment variable ``FORGETLESS_KERNELS=0``. Everything else (CPU, float64, kernels off) takes
the reference path.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any

import torch

SUPPORTED_DTYPES = (torch.float32, torch.float16, torch.bfloat16)

# name -> "module:function" of the fused implementation, loaded lazily (triton is optional).
_FUSED: dict[str, str] = {}


def register_fused(name: str, target: str) -> None:
    """Declare ``target`` ("module:function") as the fused implementation of activation ``name``."""
    _FUSED[name] = target


def kernels_enabled() -> bool:
    """False when the user set ``FORGETLESS_KERNELS=0``."""
    return os.environ.get("FORGETLESS_KERNELS", "1") != "0"


def can_fuse(*tensors: torch.Tensor) -> bool:
    """True when the fused path may run on these tensors."""
    if not kernels_enabled() or not tensors:
        return False
    return all(t.is_cuda and t.dtype in SUPPORTED_DTYPES for t in tensors)


def _load(name: str) -> Callable[..., torch.Tensor] | None:
    target = _FUSED.get(name)
    if target is None:
        return None
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def dispatch(name: str, reference: Callable[..., torch.Tensor], *args: Any, **kwargs: Any):
    """Run activation ``name``: fused when possible, else ``reference(*args, **kwargs)``."""
    tensors = [a for a in args if isinstance(a, torch.Tensor)]
    if name in _FUSED and can_fuse(*tensors):
        fused = _load(name)
        if fused is not None:
            return fused(*args, **kwargs)
    return reference(*args, **kwargs)
