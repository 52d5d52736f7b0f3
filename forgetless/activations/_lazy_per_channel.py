"""Per-channel learnable parameters whose length may be inferred from the first input.

A per-channel size may be given explicitly, or left as ``None`` (every learnable activation). ``None`` creates :class:`torch.nn.UninitializedParameter`
placeholders (the :class:`torch.nn.LazyLinear` mechanism, via
:class:`torch.nn.modules.lazy.LazyModuleMixin`) that are materialised on the first forward
from ``x.shape[channel_dim]``. A lazily sized parameter does not exist before that first forward,
so an optimizer must be built after it: either run one dummy batch through the model first, or
let :func:`forgetless.activations.swap_activations` infer the size from the preceding layer
(it calls :meth:`LazyPerChannel.materialize`). State dicts load into both states.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.nn.modules.lazy import LazyModuleMixin
from torch.nn.parameter import UninitializedParameter, is_lazy

from forgetless.checks import normalize_dim


class LazyPerChannel(LazyModuleMixin, nn.Module):
    """Base for activations with per-channel parameters, optionally sized on first forward."""

    channel_dim: int

    def _create_parameters(self, size: int | None, initial: dict[str, float]) -> None:
        """Create one parameter per entry of ``initial``: shape (size,) filled with its value."""
        self._initial = dict(initial)
        for name, value in initial.items():
            if size is None:
                setattr(self, name, UninitializedParameter())
            else:
                setattr(self, name, nn.Parameter(torch.full((size,), value)))

    @property
    def size(self) -> int | None:
        """The per-channel length, or None while it is still to be inferred."""
        first = getattr(self, next(iter(self._initial)))
        return None if is_lazy(first) else first.numel()

    def materialize(self, size: int, device: torch.device | None = None) -> None:
        """Give every still-uninitialised parameter shape (size,) and its initial value."""
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError(f"{self._get_name()}: size must be a positive int, got {size!r}")
        with torch.no_grad():
            for name, value in self._initial.items():
                param = getattr(self, name)
                if is_lazy(param):
                    param.materialize((size,), device=device)
                    param.fill_(value)

    def initialize_parameters(self, x: torch.Tensor, *args: Any, **kwargs: Any) -> None:
        """LazyModuleMixin hook: infer the channel count from the first input."""
        if self.has_uninitialized_params():
            dim = normalize_dim(self._get_name(), "channel_dim", self.channel_dim, x.dim())
            self.materialize(int(x.shape[dim]), device=x.device)
