"""Replace activation modules anywhere in a model: ``swap_activations``.

Every submodule that is an instance of ``target`` (default ``nn.ReLU``) is replaced, at any
depth and inside ``nn.Sequential``, ``nn.ModuleList``, ``nn.ModuleDict`` or plain attributes,
by a new module from ``to`` (a registry name, see :func:`get_activation`, or a factory called
as ``to(**params)``). Each site gets its own instance, so learnable activations get separate
parameters per site, even where one module object was registered at several sites.

Refusals (``ValueError``, before anything is changed):

* the model's own code calls the target functionally (``F.relu(x)``, ``torch.relu(x)``,
  ``x.relu()``): those calls cannot be swapped, and swapping only the modules would silently
  leave a mixed network (see :mod:`forgetless.activations._functional_call_finder`);
* nothing matches ``target``; the model itself is a target (it has no parent to be replaced in);
  ``to`` is a module instance (sites would share it) or an unknown name.

Lazily sized activations (``num_units=None`` / ``num_parameters=None``) are sized at swap time
from the preceding layer, so that their parameters exist before an optimizer is built, when the
site is inside an ``nn.Sequential`` (there the order of children is the order of the
computation); elsewhere they are sized by the first forward pass, which must then run before
the optimizer is built. Walking back from the swapped site, shape-preserving modules (dropout,
activations, identity) are skipped and the first layer with a known output width decides:
``Linear.out_features`` and ``LayerNorm``'s last normalised dim (for ``channel_dim`` 1 or -1),
conv ``out_channels`` and norm ``num_features``/``num_channels`` (for ``channel_dim`` 1).
Anything else stops the search and leaves the size to the first forward.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn
from torch.nn.modules.conv import _ConvNd
from torch.nn.modules.dropout import _DropoutNd
from torch.nn.modules.lazy import LazyModuleMixin

from ._functional_call_finder import find_functional_call, functional_names
from ._lazy_per_channel import LazyPerChannel
from .registry import get_activation

_SHAPE_PRESERVING = (_DropoutNd, nn.Identity)


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
