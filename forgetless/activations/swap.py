"""Replace a model's activations, held or called: ``swap_activations``.

Held modules: every submodule that is an instance of a ``target`` class (default ``nn.ReLU``)
is replaced, at any depth and inside ``nn.Sequential``, ``nn.ModuleList``, ``nn.ModuleDict`` or
plain attributes, by a new module from ``to`` (a registry name, see :func:`get_activation`, or a
factory called as ``to(**params)``). Each site gets its own instance, so learnable activations
get separate parameters per site, even where one module object was registered at several sites.

Calls (``functional=True``, the default): calls of the targets' functional forms that the model
makes in ``forward`` (``F.relu(x)``, ``torch.relu(x)``, ``x.relu()``, in-place forms, aliases)
are swapped while the model runs, each call site getting its own module in
``model.forgetless_functional_sites`` (see :mod:`forgetless.activations.functional_swap` for how,
and for the limits: calls inside C++/CUDA extensions or TorchScript are not seen).
``target`` may name functions too (``(nn.ReLU, F.gelu)``; see :mod:`._call_targets`).
``functional=False`` swaps held modules only and, as before, refuses a model whose source calls
a target functionally (:mod:`._functional_call_finder`), rather than leave a mixed network.

The checked forward: with ``example_input`` (a tensor or a tuple of positional inputs), the
swapped model runs it once in training and once in evaluation mode, leaving no trace (see
:mod:`._checked_forward`). This creates the call sites' modules (and their parameters) before
an optimizer is built, and proves what runs: a replaced held module that is never called is
reported as unused, and a swap of which nothing runs is refused. Without an example, call sites
get their modules on first use, except for an activation with parameters: its call-site modules
come only from the checked forward or from a state dict that holds them (loading creates them),
and a forward that meets a new one raises, since an optimizer built earlier would miss them.

Refusals (``ValueError``; the model is left as it was): nothing matches ``target``; nothing
swapped runs in the checked forward; the model itself is a target (it has no parent to be
replaced in); the model was swapped functionally already; ``to`` is a module instance (sites
would share it) or an unknown name.

Lazily sized activations (``num_units=None`` / ``num_parameters=None``) are sized at swap time
from the preceding layer, so that their parameters exist before an optimizer is built, when the
site is inside an ``nn.Sequential`` (there the order of children is the order of the
computation); elsewhere they are sized by the first forward pass (the checked forward, when an
example is given), which must then run before the optimizer is built. Walking back from the
swapped site, shape-preserving modules (dropout, activations, identity) are skipped and the
first layer with a known output width decides: ``Linear.out_features`` and ``LayerNorm``'s last
normalised dim (for ``channel_dim`` 1 or -1), conv ``out_channels`` and norm
``num_features``/``num_channels`` (for ``channel_dim`` 1). Anything else stops the search and
leaves the size to the first forward.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn
from torch.nn.modules.conv import _ConvNd
from torch.nn.modules.dropout import _DropoutNd
from torch.nn.modules.lazy import LazyModuleMixin

from ._call_targets import function_name, intercepted_functions, split_targets
from ._checked_forward import checked_forward
from ._functional_call_finder import find_functional_call
from ._lazy_per_channel import LazyPerChannel
from .functional_swap import ATTRIBUTE, FunctionalSwap, SiteFactory
from .registry import get_activation
from .swap_report import SwapReport

_SHAPE_PRESERVING = (_DropoutNd, nn.Identity)


def _factory(to: object, params: dict) -> SiteFactory:
    if isinstance(to, nn.Module):
        raise ValueError(
            "swap_activations: to must be a registry name or a factory (e.g. the class), not a "
            "module instance: every site needs its own module"
        )
    if isinstance(to, str):
        get_activation(to, **params)  # fail on a bad name or parameter before changing anything
        return SiteFactory(get_activation, {"name": to, **params})
    if callable(to):
        return SiteFactory(to, params)
    raise ValueError(f"swap_activations: to must be a registry name or a callable, got {to!r}")


def _sites(
    module: nn.Module, prefix: str, targets: tuple[type[nn.Module], ...]
) -> list[tuple[nn.Module, str, str]]:
    """(parent, key, qualified name) of every target child, depth first, in registration order."""
    found = []
    for key, child in module._modules.items():
        if child is None:
            continue
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(child, targets):
            found.append((module, key, name))
        else:
            found.extend(_sites(child, name, targets))
    return found


def _is_activation(module: nn.Module) -> bool:
    name = type(module).__module__ or ""
    return name == "torch.nn.modules.activation" or name.startswith("forgetless.activations")


def _device(module: nn.Module) -> torch.device:
    for tensor in (*module.parameters(recurse=False), *module.buffers(recurse=False)):
        return tensor.device
    return torch.device("cpu")


def _width(module: nn.Module, channel_dim: int) -> tuple[int, torch.device] | None:
    if isinstance(module, LazyModuleMixin) and module.has_uninitialized_params():
        return None
    width = None
    if isinstance(module, nn.Linear) and channel_dim in (1, -1):
        width = module.out_features
    elif isinstance(module, nn.LayerNorm) and channel_dim in (1, -1):
        width = module.normalized_shape[-1]
    elif channel_dim == 1 and isinstance(module, _ConvNd):
        width = module.out_channels
    elif channel_dim == 1 and isinstance(module, nn.modules.batchnorm._NormBase):
        width = module.num_features
    elif channel_dim == 1 and isinstance(module, nn.GroupNorm):
        width = module.num_channels
    return None if width is None else (int(width), _device(module))


def _preceding_width(
    parent: nn.Module, key: str, channel_dim: int
) -> tuple[int, torch.device] | None:
    """(width, device) of the layer feeding ``parent[key]``, or None when unknown."""
    if not isinstance(parent, nn.Sequential):
        return None
    keys = list(parent._modules)
    for previous in reversed(keys[: keys.index(key)]):
        module = parent._modules[previous]
        if module is None:
            continue
        width = _width(module, channel_dim)
        if width is not None:
            return width
        if not (isinstance(module, _SHAPE_PRESERVING) or _is_activation(module)):
            return None
    return None


def _size_from_preceding(new: nn.Module, parent: nn.Module, key: str) -> None:
    if isinstance(new, LazyPerChannel) and new.has_uninitialized_params():
        width = _preceding_width(parent, key, new.channel_dim)
        if width is not None:
            new.materialize(width[0], device=width[1])


def _described(classes: tuple[type[nn.Module], ...], functions: tuple[Callable, ...]) -> str:
    return ", ".join([c.__name__ for c in classes] + [function_name(f) for f in functions])


def _refuse_static_calls(model: nn.Module, names: list[str], reason: str) -> None:
    hit = find_functional_call(model, names)
    if hit is not None:
        cls, name, line_number, line = hit
        raise ValueError(
            f"swap_activations: {cls.__qualname__} ({cls.__module__}, line {line_number}: "
            f"{line!r}) calls {name} as a function; {reason}"
        )


def _check_before_swapping(
    model: nn.Module,
    classes: tuple[type[nn.Module], ...],
    functions: tuple[Callable, ...],
    forms: dict,
    sites: list,
    example_input: object,
) -> None:
    """The refusals that need no forward (nothing is changed yet)."""
    names = sorted({form.activation for form in forms.values()})
    described = _described(classes, functions)
    if not forms:
        _refuse_static_calls(
            model,
            sorted({n for c in classes for n in _class_function_names(c)}),
            "with functional=False that call is not swapped; use functional=True or hold an "
            f"activation module (e.g. self.act = nn.{classes[0].__name__}(), called as self.act(x))",
        )
    if example_input is not None:
        return
    if not sites and (not forms or find_functional_call(model, names) is None):
        searched = sum(1 for _ in model.modules())
        raise ValueError(
            f"swap_activations: no submodule of type {described} in {type(model).__name__} "
            f"(searched {searched} modules at every depth, containers and attributes)"
            + (
                " and no such call in its source; pass example_input= to find calls by running"
                " it, or"
                if forms
                else "; pass"
            )
            + " target=(...) with the activations the model uses"
        )


def _class_function_names(cls: type[nn.Module]) -> list[str]:
    return sorted({form.activation for form in intercepted_functions((cls,), ()).values()})


def _nothing_runs(report: SwapReport, model: nn.Module, described: str) -> str:
    if report.modules:
        held = f"the replaced held modules ({', '.join(report.unused)}) are never called"
    else:
        searched = sum(1 for _ in model.modules())
        held = f"no submodule of type {described} (searched {searched} modules)"
    return (
        f"swap_activations: nothing swapped runs in {type(model).__name__}'s forward on the "
        f"example input: {held} and no call of {described} was met; pass target=(...) with the "
        "activations the model uses"
    )


def swap_activations(
    model: nn.Module,
    to: str | Callable[..., nn.Module],
    *,
    target: object = (nn.ReLU,),
    functional: bool = True,
    example_input: object = None,
    **params: object,
) -> SwapReport:
    """Replace ``model``'s ``target`` activations, held and called, by ``to``; report them.

    Example: ``swap_activations(net, "hard_ash", alpha=3.0)``,
    ``swap_activations(net, "aglu", target=(nn.ReLU, F.gelu), example_input=x[:2])``.
    Returns a :class:`SwapReport` (``.modules``: replaced module paths; ``.calls``: call sites).
    """
    if not isinstance(model, nn.Module):
        raise ValueError(f"swap_activations: model must be an nn.Module, got {type(model)!r}")
    if not isinstance(functional, bool):
        raise ValueError(f"swap_activations: functional must be True or False, got {functional!r}")
    classes, functions = split_targets(target)
    if functions and not functional:
        raise ValueError("swap_activations: target functions need functional=True")
    factory = _factory(to, params)
    if classes and isinstance(model, classes):
        raise ValueError(
            f"swap_activations: the model itself is a {type(model).__name__} (a target); "
            "build the replacement with get_activation instead"
        )
    if ATTRIBUTE in model._modules or ATTRIBUTE in model.__dict__:
        raise ValueError(
            f"swap_activations: {type(model).__name__} was swapped already (it has "
            f"{ATTRIBUTE}); swap a freshly built model, with all targets in one call"
        )
    forms = intercepted_functions(classes, functions) if functional else {}
    sites = _sites(model, "", classes) if classes else []
    _check_before_swapping(model, classes, functions, forms, sites, example_input)
    old = [(parent, key, parent._modules[key]) for parent, key, _ in sites]
    for parent, key, _ in sites:
        new = factory()
        _size_from_preceding(new, parent, key)
        setattr(parent, key, new)
    controller = None
    if forms:
        controller = FunctionalSwap(factory, forms)
        controller.attach(model, [parent._modules[key] for parent, key, _ in sites])
    name = to if isinstance(to, str) else getattr(to, "__qualname__", repr(to))
    report = SwapReport(
        activation=name,
        modules=[path for _, _, path in sites],
        calls=controller.call_sites if controller is not None else [],
        functional=functional,
    )
    if example_input is not None:
        try:
            if controller is not None:
                controller.discovering = True
            report.module_calls = checked_forward(
                model, example_input, {path: model.get_submodule(path) for path in report.modules}
            )
            report.checked = True
            if not report.calls and len(report.unused) == len(report.modules):
                raise ValueError(_nothing_runs(report, model, _described(classes, functions)))
        except Exception:
            if controller is not None:
                controller.detach(model)
            for parent, key, module in old:
                setattr(parent, key, module)
            raise
        finally:
            if controller is not None:
                controller.discovering = False
    return report
