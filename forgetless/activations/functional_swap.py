"""Swap the activations a model *calls* (``F.relu(x)``, ``torch.relu(x)``, ``x.relu()``).

:func:`forgetless.activations.swap_activations` (``functional=True``, the default) attaches a
:class:`FunctionalSwap` to the model as ``model.forgetless_functional_sites``: an
``nn.ModuleDict`` holding one forgetless activation module per call site, so learnable
activations met at call sites are ordinary submodules (optimised, checkpointed, moved by
``.to()``, wrapped by DDP, hooked by Opacus).

How it works (decided):

* Forward hooks on every module of the model keep a :class:`~._swap_mode.SwapMode` pushed while
  any of them runs (the model's own forward, or a child called directly from a Lightning
  ``training_step``); forward hooks use ``always_call=True``, so an exception never leaves the
  mode behind. Swapped modules, forgetless activations and held torch activation modules that
  are not targets (``nn.GELU`` calls ``F.gelu``) suspend it while they run: their own torch
  calls are never call sites.
* Each intercepted call is identified by its call site (:mod:`._call_sites`): the code line, the
  innermost running module, and the occurrence within that module's call. Its module is created
  on first sight: by the checked forward on an example input, before any optimizer exists, or
  from a state dict (:meth:`FunctionalSwap._load_from_state_dict` creates the sites the state
  names, so resuming restores their parameters). Otherwise a new site of an activation with
  parameters is an error (its parameters would miss any optimizer built before); sites of
  activations without parameters are created whenever first met.
* In-place forms (``F.relu_``, ``F.relu(x, inplace=True)``, ``x.relu_()``, ``out=``) keep their
  semantics: the result is written into the tensor the caller expects.
* Under ``torch.compile`` the calling frame cannot be read while dynamo traces, so the k-th
  intercepted call of a traced forward goes to the k-th call site met by the last eager forward
  in the same train/eval mode (the checked forward runs both). The mode traces without graph
  breaks (``fullgraph=True`` works; the in-place ``torch.relu_``-style functions are added to
  the set of functions dynamo sends to modes, see :func:`._swap_mode.let_dynamo_dispatch`); a
  compiled forward must make its activation calls in the same order as the eager one (no
  data-dependent branches around them).

Limits: calls made inside custom C++/CUDA extensions, TorchScript, or code that bypasses torch's
Python API (e.g. ``nn.TransformerEncoderLayer``'s fused inference path) are not seen; a
container model (``nn.Sequential``, ...) cannot register call-site parameters; ``nn.DataParallel``
replicas (threads) are not supported (use DDP); every torch call in a swapped forward passes
through the mode's Python handler (a small eager overhead, none once compiled).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import torch
from torch import nn
from torch.overrides import _get_current_function_mode_stack

from ._call_sites import CallSite, find_caller, site_key
from ._call_targets import FunctionForm, split_targets, target_names, targets_from_names
from ._swap_mode import SwapMode, let_dynamo_dispatch

__all__ = [
    "ATTRIBUTE",
    "FunctionalSwap",
    "SiteFactory",
    "split_targets",
    "target_names",
    "targets_from_names",
]

ATTRIBUTE = "forgetless_functional_sites"
# Containers run (or iterate over) every child: a registered child would change what they do.
_CONTAINERS = (nn.Sequential, nn.ModuleList, nn.ModuleDict)


class SiteFactory:
    """Builds one new activation module per site: ``build(**params)`` (picklable)."""

    def __init__(self, build: Callable[..., nn.Module], params: dict[str, Any]) -> None:
        self.build = build
        self.params = dict(params)

    def __call__(self) -> nn.Module:
        module = self.build(**self.params)
        if not isinstance(module, nn.Module):
            raise TypeError(
                f"swap_activations: to() returned {type(module).__name__}, not a module"
            )
        return module


def _is_activation_module(module: nn.Module) -> bool:
    """Forgetless activations and held torch activation modules (``nn.GELU`` calls ``F.gelu``:
    a held module that is not a target stays as it is, calls made inside it are no call sites)."""
    name = type(module).__module__ or ""
    if isinstance(module, nn.MultiheadAttention):
        return False
    return name.startswith("forgetless.activations") or name == "torch.nn.modules.activation"


class FunctionalSwap(nn.ModuleDict):
    """Per-call-site activation modules of one model, and the hooks that route calls to them."""

    def __init__(self, factory: SiteFactory, forms: dict[Callable, FunctionForm]) -> None:
        super().__init__()
        self.factory = factory
        self.forms = forms
        self.learnable = any(True for _ in factory().parameters())
        self.call_sites: list[CallSite] = []
        self.discovering = False
        self.registered = True
        self.model_name = ""
        self.suspended = 0
        self._depth = 0
        self._calls_left = 0
        self._contexts: list[tuple[str, dict]] = []
        self._order: dict[tuple[bool, str], list[str]] = {}
        self._building: list[str] = []
        self._entry: tuple[bool, str] = (True, "")
        self._by_key: dict[str, CallSite] = {}
        self._handles: list[Any] = []
        self._mode = SwapMode(self)
        let_dynamo_dispatch(list(forms))

    # -- attaching -------------------------------------------------------------------------
    def attach(self, model: nn.Module, protected: list[nn.Module]) -> None:
        """Register on ``model`` and hook its modules; ``protected`` ones suspend the mode.

        On a container model (``nn.Sequential``, ...) the sites are kept unregistered (a new
        child would change what the container runs), so only activations without parameters
        can be swapped at call sites there.
        """
        self.registered = not isinstance(model, _CONTAINERS)
        self.model_name = type(model).__name__
        if self.registered:
            model.add_module(ATTRIBUTE, self)
        else:
            object.__setattr__(model, ATTRIBUTE, self)
        protected_ids = {id(m) for m in protected}
        for path, module in model.named_modules():
            if module is self:
                continue
            if id(module) in protected_ids or _is_activation_module(module):
                pre, post = self._suspend, self._resume
            else:
                pre, post = partial(self._enter, path), partial(self._leave, path)
            self._handles.append(module.register_forward_pre_hook(pre))
            self._handles.append(module.register_forward_hook(post, always_call=True))

    def detach(self, model: nn.Module) -> None:
        """Undo :meth:`attach` (used when a swap is refused after its checked forward)."""
        for handle in self._handles:
            handle.remove()
        self._handles.clear()
        delattr(model, ATTRIBUTE)

    # -- hooks -------------------------------------------------------------------------------
    def _suspend(self, module: nn.Module, args: tuple) -> None:
        self.suspended += 1

    def _resume(self, module: nn.Module, args: tuple, output: Any) -> None:
        self.suspended -= 1

    def _enter(self, path: str, module: nn.Module, args: tuple) -> None:
        if self._depth == 0:
            self.suspended = 0
            self._calls_left = 0
            self._entry = (module.training, path)
            if not torch.compiler.is_compiling():
                self._contexts = []
                self._building = []
                if self._mode in _get_current_function_mode_stack():
                    self._mode.__exit__(None, None, None)  # left by a failed compile
            self._mode.__enter__()
        self._depth += 1
        if not torch.compiler.is_compiling():
            self._contexts.append((path, {}))

    def _leave(self, path: str, module: nn.Module, args: tuple, output: Any) -> None:
        self._depth = max(self._depth - 1, 0)
        if torch.compiler.is_compiling():
            if self._depth == 0:
                self._mode.__exit__(None, None, None)
            return
        if self._contexts:
            self._contexts.pop()
        if self._depth == 0:
            stack = _get_current_function_mode_stack()
            if stack and stack[-1] is self._mode:
                self._mode.__exit__(None, None, None)
            self._order[self._entry] = self._building

    # -- calls -------------------------------------------------------------------------------
    def handle(
        self, func: Callable, form: FunctionForm, x: torch.Tensor, args: tuple, kwargs: dict
    ) -> Any:
        """Run the site's module on ``x`` in place of ``func(*args, **kwargs)``."""
        if torch.compiler.is_compiling():
            key = self._compiled_key()
        else:
            key = self._eager_key(form, x)
        position = form.inplace_position
        inplace = (
            form.inplace_always
            or kwargs.get("inplace") is True
            or (position is not None and len(args) > position and args[position] is True)
        )
        out = kwargs.get("out")
        y = self[key](x.clone() if inplace or out is x else x)
        if out is not None:
            return out.copy_(y)
        return x.copy_(y) if inplace else y

    def _eager_key(self, form: FunctionForm, x: torch.Tensor) -> str:
        caller = find_caller()
        path, counts = self._contexts[-1] if self._contexts else ("", {})
        location = (form.activation, caller)
        occurrence = counts.get(location, 0)
        counts[location] = occurrence + 1
        key = site_key(form.activation, path, caller, occurrence)
        site = self._by_key.get(key)
        if site is None:
            site = CallSite(key, form.name, path, caller.file, caller.line, caller.qualname)
            self._create(site, x)
            self._by_key[key] = site
            self.call_sites.append(site)
        if self.discovering:
            site.calls += 1
        self._building.append(key)
        return key

    def _create(self, site: CallSite, x: torch.Tensor) -> None:
        if site.key in self._modules:
            return  # created from a state dict: same identity, parameters already loaded
        if self.learnable and not self.registered:
            raise RuntimeError(
                f"swap_activations: {site.describe()} needs a module with parameters, which "
                f"cannot be registered on a container ({self.model_name}); wrap the model in an "
                "nn.Module or swap to an activation without parameters"
            )
        if self.learnable and not self.discovering:
            raise RuntimeError(
                f"swap_activations: {site.describe()} was not met by the swap's checked forward "
                "and its activation has parameters that no optimizer holds; swap with an "
                "example input that reaches this call (example_input=...)"
            )
        module = self.factory().to(x.device)
        module.train(self.training)
        self[site.key] = module

    def _compiled_key(self) -> str:
        order = self._order.get(self._entry)
        if order is None or self._calls_left >= len(order):
            raise RuntimeError(
                "swap_activations: under torch.compile, activation calls are matched by order "
                "with the last eager forward's call sites; run one eager forward first (an "
                "example_input when swapping does) and keep the order of calls static"
            )
        key = order[self._calls_left]
        self._calls_left += 1
        return key

    # -- state -------------------------------------------------------------------------------
    def _load_from_state_dict(
        self,
        state_dict: dict,
        prefix: str,
        local_metadata: dict,
        strict: bool,
        missing_keys: list,
        unexpected_keys: list,
        error_msgs: list,
    ) -> None:
        """Create the sites a state dict names before their parameters load (resume)."""
        for name in state_dict:
            if name.startswith(prefix):
                key = name[len(prefix) :].split(".", 1)[0]
                if key and key not in self._modules:
                    module = self.factory()
                    module.train(self.training)
                    self[key] = module
        super()._load_from_state_dict(
            state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs
        )

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state = dict(state)
        state["_mode"] = None
        state["_handles"] = []
        return state

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self._mode = SwapMode(self)

    def extra_repr(self) -> str:
        return f"call_sites={len(self._modules)}, functions={len(self.forms)}"
