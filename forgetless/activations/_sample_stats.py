"""Per-sample mean and population standard deviation across a layer's units (for ASH).

Decisions (documented here, used by :mod:`forgetless.activations.ash`):

* ``stat_dims=None`` reduces over every dim but dim 0 (the batch): for ``(N, F)`` the F units,
  for conv maps ``(N, C, H, W)`` all of C, H and W. Pass e.g. ``stat_dims=(1,)`` for
  statistics per spatial position across channels. Dim 0 may not be reduced (the statistics
  are per sample, never batch statistics). A 1-D input is one sample: all of it is reduced.
* ``sigma = s * sqrt(mean(((x - mu) / s)^2) + eps)`` with ``s = max |x - mu|`` over the same
  dims (at least the dtype's smallest normal number) and ``eps = 1e-12``. This equals
  ``sqrt(var + eps * s^2)``: the population std up to a relative 1e-12. Scaling by ``s``
  keeps the squares in [0, 1] so inputs like 1e30 never overflow, and ``eps`` keeps the slope
  of the square root finite when the variance is 0 (a constant row, or a single unit), where
  sigma becomes ~0 and both value and gradient stay finite. Gradients flow through mu, s and
  sigma (autograd of this formula is exact).
"""

from __future__ import annotations

import torch

EPS = 1e-12


def resolve_stat_dims(owner: str, ndim: int, stat_dims: tuple[int, ...] | None) -> tuple[int, ...]:
    """The non-negative dims to reduce, checked: none repeated, never the batch dim 0."""
    if ndim == 0:
        raise ValueError(f"{owner}: x must have at least one dim (a sample's units), got 0-d")
    if ndim == 1:
        default: tuple[int, ...] = (0,)
    else:
        default = tuple(range(1, ndim))
    if stat_dims is None:
        return default
    if isinstance(stat_dims, int) and not isinstance(stat_dims, bool):
        stat_dims = (stat_dims,)
    try:
        dims = tuple(stat_dims)
    except TypeError:
        raise ValueError(
            f"{owner}: stat_dims must be None or a tuple of ints, got {stat_dims!r}"
        ) from None
    resolved = []
    for dim in dims:
        if isinstance(dim, bool) or not isinstance(dim, int) or not -ndim <= dim < ndim:
            raise ValueError(
                f"{owner}: stat_dims entries must be ints in [{-ndim}, {ndim - 1}] for a "
                f"{ndim}-d input, got {stat_dims!r}"
            )
        resolved.append(dim % ndim)
    if not resolved or len(set(resolved)) != len(resolved):
        raise ValueError(f"{owner}: stat_dims must be non-empty and unique, got {stat_dims!r}")
    if ndim > 1 and 0 in resolved:
        raise ValueError(
            f"{owner}: stat_dims must not include dim 0 (the batch dim; statistics are per "
            f"sample), got {stat_dims!r}"
        )
    return tuple(sorted(resolved))


def mean_and_std(x: torch.Tensor, dims: tuple[int, ...]) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean and overflow-safe population std of ``x`` over ``dims`` (kept for broadcasting)."""
    mu = x.mean(dim=dims, keepdim=True)
    centred = x - mu
    scale = centred.abs().amax(dim=dims, keepdim=True).clamp_min(torch.finfo(x.dtype).tiny)
    scaled = centred / scale
    sigma = scale * (scaled.square().mean(dim=dims, keepdim=True) + EPS).sqrt()
    return mu, sigma
