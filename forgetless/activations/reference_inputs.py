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


def normalize_input(x: torch.Tensor) -> torch.Tensor:
    """Each sample standardised over all its non-batch dims (a LayerNorm without affine).

    ``(x − mean(x)) / sqrt(var(x) + 1e-5)`` over each sample's units: what ``input_norm=True``
    applies before the elephant and ASH modules (docs/activations.md, "Hidden-layer options").
    """
    return F.layer_norm(x, x.shape[1:])
