"""Swap the activations a model *calls* (``F.relu(x)``, ``torch.relu(x)``, ``x.relu()``).

:class:`CallSiteSwap` is attached to the model as ``model.forgetless_functional_sites``: an
``nn.ModuleDict`` of one activation module per call site (so their parameters are ordinary
submodule parameters), plus forward hooks on every module of the model that keep a
:class:`~.mode.SwapMode` pushed while any of them runs. Held activation modules and swapped
modules suspend the mode: their own torch calls are no call sites. How sites are created, resumed
and matched under ``torch.compile``, and the limits: docs/swap.md ("Call sites").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

import torch
from torch import nn
from torch.overrides import _get_current_function_mode_stack

from .factory import SiteFactory
from .mode import SwapMode, let_dynamo_dispatch
from .site_identity import CallSite, find_caller, site_key
from .targets import FunctionForm, is_activation_module

CALL_SITES_ATTRIBUTE = "forgetless_functional_sites"
# Containers run (or iterate over) every child: a registered child would change what they do.
_CONTAINERS = (nn.Sequential, nn.ModuleList, nn.ModuleDict)


class CallSiteSwap(nn.ModuleDict):
    """Per-call-site activation modules of one model, and the hooks that route calls to them.

    Args:
        factory: builds each call site's module.
        forms: the intercepted functions.
        refusal: when given, the swap only watches: a met call raises ``ValueError`` ending with
            this text (``functional=False``, where calls are not swapped).
    """

    def __init__(
        self,
        factory: SiteFactory,
        forms: dict[Callable, FunctionForm],
        refusal: str | None = None,
    ) -> None:
        super().__init__()
        self.factory = factory
        self.forms = forms
        self.learnable = any(True for _ in factory().parameters())
        self.refusal = refusal
        self.call_sites: list[CallSite] = []
        self.met: dict[str, int] = {}
        self.discovering = False
        self.nothing_swapped: str | None = None
        self.registered = True
        self.model_name = ""
        self.suspended = 0
        self._depth = 0
        self._calls_left = 0
        self._contexts: list[tuple[str, str, dict]] = []
        self._order: dict[tuple[bool, str], list[str]] = {}
        self._building: list[str] = []
        self._entry: tuple[bool, str] = (True, "")
        self._by_key: dict[str, CallSite] = {}
        self._handles: list[Any] = []
        self._mode = SwapMode(self)
        let_dynamo_dispatch(list(forms))

    # -- attaching -------------------------------------------------------------------------
    def attach(self, model: nn.Module, protected: list[nn.Module]) -> None:
        """Set as ``model.forgetless_functional_sites`` and hook every module of ``model``.

        Args:
            model: the swapped model; on a container (``nn.Sequential``, ...) or when only
                watching, the sites are kept unregistered (a new child would change what a
                container runs), so only activations without parameters are swapped there.
            protected: the swapped held modules; they, like every activation module, suspend
                the mode while they run.
        """
        self.registered = not isinstance(model, _CONTAINERS) and self.refusal is None
        self.model_name = type(model).__name__
        if self.registered:
            model.add_module(CALL_SITES_ATTRIBUTE, self)
        else:
            object.__setattr__(model, CALL_SITES_ATTRIBUTE, self)
        protected_ids = {id(m) for m in protected}
        for path, module in model.named_modules():
            if module is self:
                continue
            if id(module) in protected_ids or is_activation_module(module):
                pre, post = self._suspend, self._resume
            else:
                pre, post = partial(self._enter, path), partial(self._leave, path)
            self._handles.append(module.register_forward_pre_hook(pre))
            self._handles.append(module.register_forward_hook(post, always_call=True))

    def detach(self, model: nn.Module) -> None:
        """Undo :meth:`attach` (a refused swap, or the end of a watch)."""
        for handle in self._handles:
            handle.remove()
        self._handles.clear()
        delattr(model, CALL_SITES_ATTRIBUTE)

    def enter_step(self, model: nn.Module) -> None:
        """Keep the mode pushed while a step of ``model`` that is not its ``forward`` runs (a
        LightningModule's ``training_step``): its own calls become call sites of ``model``.
        Pair with :meth:`leave_step`."""
        self._enter("", model, ())

    def leave_step(self, model: nn.Module) -> None:
        """End :meth:`enter_step`."""
        self._leave("", model, (), None)

    def found_sites(self) -> tuple[CallSite, ...]:
        """The call sites met so far, with the checked forward's count of each."""
        return tuple(replace(site, calls=self.met.get(site.key, 0)) for site in self.call_sites)

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
            self._contexts.append((path, type(module).__name__, {}))

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
            if self.nothing_swapped is not None and output is not None:
                message, self.nothing_swapped = self.nothing_swapped, None
                if not self.call_sites:
                    raise ValueError(message)

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
        path, owner, counts = self._contexts[-1] if self._contexts else ("", self.model_name, {})
        if self.refusal is not None:
            raise ValueError(
                f"swap_activations: {owner} ({form.name} at {caller.file}:{caller.line}, in "
                f"{caller.qualname}) calls {form.activation} as a function; {self.refusal}"
            )
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
            self.met[key] = self.met.get(key, 0) + 1
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
