"""Size a lazily sized activation at swap time from the layer that feeds it (inside an
``nn.Sequential``; which layers decide the width: docs/swap.md, "Held modules")."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.modules.conv import _ConvNd
from torch.nn.modules.dropout import _DropoutNd
from torch.nn.modules.lazy import LazyModuleMixin

from .._lazy_per_channel import LazyPerChannel
from .targets import is_activation_module

_SHAPE_PRESERVING = (_DropoutNd, nn.Identity)


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
        if not (isinstance(module, _SHAPE_PRESERVING) or is_activation_module(module)):
            return None
    return None


def size_from_preceding(new: nn.Module, parent: nn.Module, key: str) -> None:
    """Materialise ``new`` (to be set as ``parent[key]``) if lazy and its width is known."""
    if isinstance(new, LazyPerChannel) and new.has_uninitialized_params():
        width = _preceding_width(parent, key, new.channel_dim)
        if width is not None:
            new.materialize(width[0], device=width[1])
