"""How the reference activations prepare their inputs (also used by :mod:`forgetless.privacy`,
whose per-example gradients must see the parameters exactly as the references do).

* Computation dtype: half and bfloat16 inputs are computed in float32 and cast back (the
  references are the ground truth the fused kernels are tested against, and fp32 keeps
  intermediate values such as ``x / a`` from overflowing); float32 and float64 are kept.
* Per-channel parameters: a 1-D parameter of length C is viewed so it broadcasts along
  ``channel_dim`` of the input; a one-element parameter broadcasts everywhere.
"""

from __future__ import annotations

import torch

from ._argument_checks import normalize_dim


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
