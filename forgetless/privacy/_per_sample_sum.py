"""Sum an elementwise per-example contribution into one gradient per example and parameter."""

from __future__ import annotations

import torch


def per_sample_sum(
    contribution: torch.Tensor, param: torch.Tensor, channel_dim: int
) -> torch.Tensor:
    """``(B, *param.shape)``: ``contribution`` (shaped like the layer's input, batch first)
    summed over every dimension but the batch and, for a per-channel parameter, ``channel_dim``.
    """
    batch = contribution.shape[0]
    if param.numel() == 1:
        return contribution.reshape(batch, -1).sum(dim=1).reshape(batch, *param.shape)
    dim = channel_dim % contribution.dim()
    if dim == 0:
        raise ValueError(
            "channel_dim: a per-channel activation parameter cannot run along the batch "
            "dimension (0) under DP-SGD; use channel_dim >= 1"
        )
    moved = contribution.movedim(dim, 1)
    return moved.reshape(batch, moved.shape[1], -1).sum(dim=2).reshape(batch, *param.shape)
