"""Held-module replacement: every submodule that is a target is replaced by a new module.

Sites are found at any depth, inside ``nn.Sequential`` / ``nn.ModuleList`` / ``nn.ModuleDict``
and plain attributes, in registration order; each site gets its own new module, even where one
module object was registered at several sites.
"""

from __future__ import annotations

from torch import nn

from .factory import SiteFactory
from .sizing import size_from_preceding

# (parent, key in the parent, path in the model)
HeldSite = tuple[nn.Module, str, str]


def held_sites(
    module: nn.Module, targets: tuple[type[nn.Module], ...], prefix: str = ""
) -> list[HeldSite]:
    """Every target child of ``module``, depth first; a target's own children are not searched."""
    found: list[HeldSite] = []
    for key, child in module._modules.items():
        if child is None:
            continue
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(child, targets):
            found.append((module, key, name))
        else:
            found.extend(held_sites(child, targets, name))
    return found


def replace_held(
    sites: list[HeldSite], factory: SiteFactory
) -> list[tuple[nn.Module, str, nn.Module]]:
    """Replace each site by a new module (sized from the layer before it where it can be).

    Returns:
        (parent, key, old module) of each site, for :func:`restore_held`.
    """
    old = [(parent, key, parent._modules[key]) for parent, key, _ in sites]
    for parent, key, _ in sites:
        new = factory()
        size_from_preceding(new, parent, key)
        setattr(parent, key, new)
    return old


def restore_held(old: list[tuple[nn.Module, str, nn.Module]]) -> None:
    """Put the replaced modules back (a refused swap)."""
    for parent, key, module in old:
        setattr(parent, key, module)
