"""How the activations prepare their inputs (also used by :mod:`forgetless.privacy`, whose
per-example gradients must see the inputs and parameters exactly as the activations do).

* Computation dtype: half and bfloat16 inputs are computed in float32 and cast back (the
  references are the ground truth the fused kernels are tested against, and fp32 keeps
  intermediate values such as ``x / a`` from overflowing); float32 and float64 are kept.
* Per-channel parameters: a 1-D parameter of length C is viewed so it broadcasts along
  ``channel_dim`` of the input; a one-element parameter broadcasts everywhere.
* Input normalisation (``input_norm=True`` of the elephant and ASH modules): each sample
  standardised over its units, :func:`normalize_input`.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from forgetless.checks import normalize_dim


def compute_dtype(*tensors: torch.Tensor) -> torch.dtype:
    """The dtype to compute in: the promoted dtype of ``tensors``, at least float32."""
    dtype = torch.float32
    for t in tensors:
        dtype = torch.promote_types(dtype, t.dtype)
    return dtype


def per_channel(
    owner: str, name: str, param: torch.Tensor, x: torch.Tensor, channel_dim: int
) -> torch.Tensor:
    """View ``param`` (one element, or one per channel) so it broadcasts against ``x``."""
    if param.numel() == 1:
        return param.reshape(())
    if param.dim() != 1:
        raise ValueError(
            f"{owner}: {name} must have one element or shape (channels,), got {tuple(param.shape)}"
        )
    dim = normalize_dim(owner, "channel_dim", channel_dim, x.dim())
    if x.shape[dim] != param.numel():
        raise ValueError(
            f"{owner}: {name} has {param.numel()} entries but the input has {x.shape[dim]} "
            f"channels along channel_dim={channel_dim} (input shape {tuple(x.shape)})"
        )
    shape = [1] * x.dim()
    shape[dim] = param.numel()
    return param.reshape(shape)


def overflow_threshold(dtype: torch.dtype) -> float:
    """The largest ``max |x|`` of a row that :func:`normalize_input` hands to ``layer_norm``
    unscaled: ``sqrt(finfo.max) · 2^-24`` of the accumulation dtype (float32 below float64), so
    the sum of up to 2^46 squared deviations ``(2·max|x|)²`` cannot overflow."""
    wide = torch.float64 if dtype == torch.float64 else torch.float32
    return math.sqrt(torch.finfo(wide).max) * 2.0**-24


def normalize_input(x: torch.Tensor, owner: str = "input_norm") -> torch.Tensor:
    """Each sample standardised over all its non-batch dims (a LayerNorm without affine).

    ``(x − mean(x)) / sqrt(var(x) + 1e-5)`` over each sample's units: what ``input_norm=True``
    applies before the elephant and ASH modules (docs/activations.md, "Hidden-layer options").
    A 1-D input is one sample. A row whose ``max |x|`` exceeds :func:`overflow_threshold`
    (e.g. a finite row of ±1e30, whose variance overflows float32) is divided by that maximum
    first (not differentiated), so it comes out standardised instead of NaN; every other row is
    divided by exactly 1, which leaves its values and gradients bit-identical.

    Raises:
        ValueError: for a 0-d ``x`` (no units to standardise over), naming ``owner``.
    """
    if x.dim() == 0:
        raise ValueError(
            f"{owner}: input_norm standardises each sample over its units; expected x of shape "
            "(batch, units, ...) or (units,), got a 0-d tensor"
        )
    units = x.shape[1:] if x.dim() > 1 else x.shape
    if x.numel() == 0:
        return F.layer_norm(x, units)
    dims = tuple(range(1, x.dim())) if x.dim() > 1 else (0,)
    peak = x.detach().abs().amax(dim=dims, keepdim=True)
    scale = torch.where(peak > overflow_threshold(x.dtype), peak, torch.ones_like(peak))
    return F.layer_norm(x / scale, units)
