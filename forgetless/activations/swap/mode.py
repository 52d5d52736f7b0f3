"""The ``TorchFunctionMode`` that routes a model's activation calls to its per-site modules.

Calls of an intercepted function with a floating-point input go to the owner's ``handle``
unless the owner is suspended; every other call runs unchanged (docs/swap.md, "Call sites").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import torch
from torch.overrides import TorchFunctionMode

from .targets import FunctionForm


class ModeOwner(Protocol):
    """What the mode needs from its owner (:class:`~.call_sites.CallSiteSwap`)."""

    suspended: int
    forms: dict[Callable, FunctionForm]

    def handle(
        self, func: Callable, form: FunctionForm, x: torch.Tensor, args: tuple, kwargs: dict
    ) -> Any: ...


def let_dynamo_dispatch(functions: list[Callable]) -> None:
    """Make dynamo send these functions to function modes while it traces.

    Dynamo dispatches a call to the active ``TorchFunctionMode`` only for functions in its own
    cached set built from ``torch.overrides.get_overridable_functions()``, which leaves out the
    in-place ``torch.relu_``, ``torch.tanh_``, ``F.elu_``, ... (eager torch does dispatch them).
    Without them a compiled model would keep its in-place activations unswapped; the compile
    test in ``tests/activations/test_functional_swap.py`` catches a torch that changes this.
    """
    try:
        from torch._dynamo.variables.torch import get_overridable_functions
    except ImportError:  # pragma: no cover - a torch without dynamo
        return
    get_overridable_functions().update(functions)


def _input(args: tuple, kwargs: dict) -> object:
    if args:
        return args[0]
    return kwargs.get("input", kwargs.get("self"))


class SwapMode(TorchFunctionMode):
    """Send intercepted activation calls to ``owner.handle``; pass everything else through."""

    def __init__(self, owner: ModeOwner) -> None:
        super().__init__()
        self.owner = owner

    def __torch_function__(
        self,
        func: Callable,
        types: tuple,
        args: tuple = (),
        kwargs: dict | None = None,
    ) -> Any:
        kwargs = kwargs or {}
        form = self.owner.forms.get(func)
        if form is not None and not self.owner.suspended:
            x = _input(args, kwargs)
            if isinstance(x, torch.Tensor) and x.is_floating_point():
                return self.owner.handle(func, form, x, args, kwargs)
        return func(*args, **kwargs)
