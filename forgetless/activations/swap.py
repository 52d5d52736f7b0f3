"""Replace activation modules anywhere in a model: ``swap_activations``.

Every submodule that is an instance of ``target`` (default ``nn.ReLU``) is replaced, at any
depth and inside ``nn.Sequential``, ``nn.ModuleList``, ``nn.ModuleDict`` or plain attributes,
by a new module from ``to`` (a registry name, see :func:`get_activation`, or a factory called
as ``to(**params)``). Each site gets its own instance, so learnable activations get separate
parameters per site, even where one module object was registered at several sites.

Refusals (``ValueError``, before anything is changed):

* the model's own code calls the target functionally (``F.relu(x)``, ``torch.relu(x)``,
  ``x.relu()``): those calls cannot be swapped, and swapping only the modules would silently
  leave a mixed network (see :mod:`forgetless.activations._functional_calls`);
* nothing matches ``target``; the model itself is a target (it has no parent to be replaced in);
  ``to`` is a module instance (sites would share it) or an unknown name.

Lazily sized activations (``num_units=None`` / ``num_parameters=None``) are sized from the
preceding layer when the site is inside an ``nn.Sequential`` (see
:mod:`forgetless.activations._preceding_size`); elsewhere they are sized by the first forward
pass, which must then run before the optimizer is built.
"""

from __future__ import annotations

from collections.abc import Callable

from torch import nn

from ._functional_calls import find_functional_call, functional_names
from ._lazy import LazyPerChannel
from ._preceding_size import preceding_width
from .registry import get_activation


def _targets(target: object) -> tuple[type[nn.Module], ...]:
    classes = target if isinstance(target, tuple | list) else (target,)
    if not classes or not all(isinstance(c, type) and issubclass(c, nn.Module) for c in classes):
        raise ValueError(
            f"swap_activations: target must be an nn.Module subclass or a tuple of them, "
            f"got {target!r}"
        )
    return tuple(classes)


def _factory(to: object, params: dict) -> Callable[[], nn.Module]:
    if isinstance(to, nn.Module):
        raise ValueError(
            "swap_activations: to must be a registry name or a factory (e.g. the class), not a "
            "module instance: every site needs its own module"
        )
    if isinstance(to, str):
        get_activation(to, **params)  # fail on a bad name or parameter before changing anything
        return lambda: get_activation(to, **params)
    if callable(to):
        return lambda: to(**params)
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


def _size_from_preceding(new: nn.Module, parent: nn.Module, key: str) -> None:
    if isinstance(new, LazyPerChannel) and new.has_uninitialized_params():
        width = preceding_width(parent, key, new.channel_dim)
        if width is not None:
            new.materialize(width[0], device=width[1])


def swap_activations(
    model: nn.Module,
    to: str | Callable[..., nn.Module],
    *,
    target: type[nn.Module] | tuple[type[nn.Module], ...] = (nn.ReLU,),
    **params: object,
) -> list[str]:
    """Replace every ``target`` submodule of ``model`` by a new ``to`` module; return their names.

    Example: ``swap_activations(net, "hard_ash", alpha=3.0)`` or
    ``swap_activations(net, "aglu", target=(nn.ReLU, nn.GELU), num_parameters=None)``.
    """
    if not isinstance(model, nn.Module):
        raise ValueError(f"swap_activations: model must be an nn.Module, got {type(model)!r}")
    targets = _targets(target)
    factory = _factory(to, params)
    target_names = ", ".join(t.__name__ for t in targets)
    if isinstance(model, targets):
        raise ValueError(
            f"swap_activations: the model itself is a {type(model).__name__} (a target); "
            "build the replacement with get_activation instead"
        )
    hit = find_functional_call(model, functional_names(targets))
    if hit is not None:
        cls, name, line_number, line = hit
        raise ValueError(
            f"swap_activations: {cls.__qualname__} ({cls.__module__}, line {line_number}: "
            f"{line!r}) calls {name} as a function, which cannot be swapped; hold an activation "
            f"module instead (e.g. self.act = nn.{targets[0].__name__}() and call self.act(x))"
        )
    sites = _sites(model, "", targets)
    if not sites:
        searched = sum(1 for _ in model.modules())
        raise ValueError(
            f"swap_activations: no submodule of type {target_names} in {type(model).__name__} "
            f"(searched {searched} modules at every depth, containers and attributes); pass "
            "target=(...) with the activation classes the model uses"
        )
    for parent, key, _ in sites:
        new = factory()
        if not isinstance(new, nn.Module):
            raise TypeError(f"swap_activations: to() returned {type(new).__name__}, not a module")
        _size_from_preceding(new, parent, key)
        setattr(parent, key, new)
    return [name for _, _, name in sites]
