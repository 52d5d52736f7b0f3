"""``swap_activations``: replace a model's activations, held and called, and report them.

The order of the steps: check the arguments (nothing changed yet), replace the held modules,
attach the call-site swap, run the checked forward on the example input, undo everything on a
refusal. What each step does and why: docs/swap.md.
"""

from __future__ import annotations

from collections.abc import Callable

from torch import nn

from .call_sites import CALL_SITES_ATTRIBUTE, CallSiteSwap
from .checked_forward import checked_forward
from .factory import site_factory
from .modules import held_sites, replace_held, restore_held
from .report import SwapReport
from .targets import describe_targets, intercepted_functions, split_targets


def _searched(model: nn.Module) -> int:
    return sum(1 for _ in model.modules())


def _nothing_to_swap(model: nn.Module, described: str, functional: bool) -> str:
    return (
        f"swap_activations: no submodule of type {described} in {type(model).__name__} "
        f"(searched {_searched(model)} modules at every depth, containers and attributes)"
        + ("" if functional else "; with functional=False only held modules are swapped")
        + "; pass target=(...) with the activations the model uses"
    )


def _nothing_runs(model: nn.Module, modules: tuple[str, ...], described: str) -> str:
    if modules:
        held = f"the replaced held modules ({', '.join(modules)}) are never called"
    else:
        held = f"no submodule of type {described} (searched {_searched(model)} modules)"
    return (
        f"swap_activations: nothing swapped runs in {type(model).__name__}'s forward on the "
        f"example input: {held} and no call of {described} was met; pass target=(...) with the "
        "activations the model uses"
    )


def _nothing_ran_first(model: nn.Module, described: str) -> str:
    return (
        f"swap_activations: nothing swapped ran in {type(model).__name__}'s first forward: no "
        f"submodule of type {described} (searched {_searched(model)} modules) and no call of "
        f"{described} was met; pass target=(...) with the activations the model uses"
    )


def _functional_false_hint(classes: tuple[type[nn.Module], ...]) -> str:
    return (
        "with functional=False that call is not swapped; use functional=True or hold an "
        f"activation module (e.g. self.act = nn.{classes[0].__name__}(), called as self.act(x))"
    )


def _check_model(model: nn.Module, classes: tuple[type[nn.Module], ...]) -> None:
    if classes and isinstance(model, classes):
        raise ValueError(
            f"swap_activations: the model itself is a {type(model).__name__} (a target); "
            "build the replacement with get_activation instead"
        )
    if CALL_SITES_ATTRIBUTE in model._modules or CALL_SITES_ATTRIBUTE in model.__dict__:
        raise ValueError(
            f"swap_activations: {type(model).__name__} was swapped already (it has "
            f"{CALL_SITES_ATTRIBUTE}); swap a freshly built model, with all targets in one call"
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
    """Replace ``model``'s ``target`` activations, held and called, by new ``to`` modules.

    Example: ``swap_activations(net, "hard_ash", alpha=3.0)``,
    ``swap_activations(net, "aglu", target=(nn.ReLU, F.gelu), example_input=x[:2])``.

    Args:
        model: the network, changed in place.
        to: a registry name (see :func:`~forgetless.activations.get_activation`) or a factory
            called as ``to(**params)``; every site gets its own module.
        target: module classes and/or torch functions to replace (default ``(nn.ReLU,)``, which
            covers ``F.relu``, ``torch.relu`` and ``x.relu()`` calls too).
        functional: swap called activations too (default True); with False, held modules only,
            and a call met by the checked forward is refused.
        example_input: a tensor or a tuple of positional inputs for the checked forward (train
            and eval mode, no trace left); without it nothing is run at swap time.
        **params: the new activation's parameters.

    Returns:
        A :class:`SwapReport` of what was swapped where.

    Raises:
        ValueError: a bad argument; the model is itself a target or was swapped already;
            nothing can be swapped; nothing swapped runs in the checked forward; a call met
            with ``functional=False``. The model is left as it was.
        RuntimeError: the checked forward failed (the model is left as it was).
    """
    if not isinstance(model, nn.Module):
        raise ValueError(f"swap_activations: model must be an nn.Module, got {type(model)!r}")
    if not isinstance(functional, bool):
        raise ValueError(f"swap_activations: functional must be True or False, got {functional!r}")
    classes, functions = split_targets(target)
    if functions and not functional:
        raise ValueError("swap_activations: target functions need functional=True")
    factory = site_factory(to, params)
    _check_model(model, classes)
    forms = intercepted_functions(classes, functions)
    sites = held_sites(model, classes) if classes else []
    described = describe_targets(classes, functions)
    if example_input is None and not sites and not (functional and forms):
        raise ValueError(_nothing_to_swap(model, described, functional))

    old = replace_held(sites, factory)
    watching = not functional and example_input is not None
    calls = None
    if forms and (functional or watching):
        calls = CallSiteSwap(
            factory, forms, None if functional else _functional_false_hint(classes)
        )
        calls.attach(model, [parent._modules[key] for parent, key, _ in sites])
    name = to if isinstance(to, str) else getattr(to, "__qualname__", repr(to))
    modules = tuple(path for _, _, path in sites)
    if example_input is None:
        if calls is not None and not sites:
            calls.nothing_swapped = _nothing_ran_first(model, described)
        return SwapReport(name, modules, functional=functional, unchecked_reason="no example input")
    try:
        if calls is not None:
            calls.discovering = True
        counts = checked_forward(model, example_input, {p: model.get_submodule(p) for p in modules})
        if counts is None:
            if not sites and (calls is None or not functional):
                raise ValueError(_nothing_to_swap(model, described, functional))
            if calls is not None and functional and not sites:
                calls.nothing_swapped = _nothing_ran_first(model, described)
            report = SwapReport(
                name,
                modules,
                functional=functional,
                unchecked_reason=f"{type(model).__name__} has no forward",
            )
        else:
            unused = tuple(path for path in modules if counts[path] == 0)
            found = calls.found_sites() if calls is not None and functional else ()
            if not found and len(unused) == len(modules):
                raise ValueError(_nothing_runs(model, unused, described))
            report = SwapReport(name, modules, unused, found, checked=True, functional=functional)
    except Exception:
        if calls is not None:
            calls.detach(model)
        restore_held(old)
        raise
    finally:
        if calls is not None:
            calls.discovering = False
    if watching and calls is not None:
        calls.detach(model)
    return report
