"""The one place that decides between a fused Triton kernel and the pure-PyTorch reference.

Activation functionals call ``dispatch(name, reference, *args)``; the modules never branch on
devices themselves. ``name`` is the activation's name, declared once in its activation file
(its ``ActivationSpec``); the activation registry fills the table of fused implementations
below from the specs (:func:`register_fused`), so this package never imports an activation. A
fused implementation is used only when every
tensor argument lives on a CUDA device, has a supported dtype, and kernels are not disabled with
the environment variable ``FORGETLESS_KERNELS=0``. Everything else (CPU, float64, kernels off)
takes the reference path.

A fused implementation is called as ``fused(reference, *args, **kwargs)``: it receives the
reference from here and runs it itself for cases its kernel does not cover, so the kernels never
look an activation up, nor import its module. Fused implementations are registered by name as
"module:function" strings, so that triton is imported only where it can be used: on a machine
with CUDA the registry imports them all once it has registered them (:func:`preload`;
``torch.compile`` cannot trace an import), elsewhere they are imported on first use; once they
are loaded, :func:`dispatch` only reads dicts.
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
    """Declare ``target`` ("module:function") as the fused implementation of activation ``name``.

    The target is called as ``target(reference, *args, **kwargs)`` with the reference and the
    arguments that :func:`dispatch` received.
    """
    _FUSED[name] = target
    _LOADED.pop(name, None)


def kernels_enabled() -> bool:
    """False when the user set ``FORGETLESS_KERNELS=0``."""
    return os.environ.get("FORGETLESS_KERNELS", "1") != "0"


def can_fuse(*tensors: torch.Tensor) -> bool:
    """True when the fused path may run on these tensors."""
    if not kernels_enabled() or not tensors:
        return False
    return all(t.is_cuda and t.dtype in SUPPORTED_DTYPES for t in tensors)


# name -> loaded fused function (None when its module cannot be imported, e.g. no triton).
_LOADED: dict[str, Callable[..., torch.Tensor] | None] = {}


def _load(name: str) -> Callable[..., torch.Tensor] | None:
    if name in _LOADED:
        return _LOADED[name]
    target = _FUSED.get(name)
    if target is None:
        return None
    module, _, attr = target.partition(":")
    try:
        fused = getattr(importlib.import_module(module), attr)
    except ImportError:
        fused = None  # triton missing: the reference path still works
    _LOADED[name] = fused
    return fused


def dispatch(name: str, reference: Callable[..., torch.Tensor], *args: Any, **kwargs: Any):
    """Run activation ``name``: ``fused(reference, *args, **kwargs)`` when possible, else
    ``reference(*args, **kwargs)``."""
    tensors = [a for a in args if isinstance(a, torch.Tensor)]
    if name in _FUSED and can_fuse(*tensors):
        fused = _load(name)
        if fused is not None:
            return fused(reference, *args, **kwargs)
    return reference(*args, **kwargs)


def preload() -> None:
    """Import every registered fused implementation now.

    ``torch.compile`` cannot trace ``importlib.import_module`` (a graph break, an error under
    ``fullgraph=True``), so on machines with a GPU the activation registry calls this once it
    has registered the built-in kernels; call it yourself after registering your own fused
    implementations.
    """
    for name in list(_FUSED):
        _load(name)
