"""Per weight layer (every ``nn.Linear`` and convolution): the mean magnitude of its weights, and
how far they moved since the start of the stream, ``‖θ − θ_0‖ / √N`` (``N`` the number of
weights; "Loss of plasticity in deep continual learning", Dohare et al., Nature 2024)."""

from __future__ import annotations

import math

import torch
from torch import nn

WEIGHT_LAYERS = (nn.Linear, nn.modules.conv._ConvNd)


def weight_layers(model: nn.Module) -> dict[str, nn.Module]:
    """Qualified name → module of every linear or convolutional layer of ``model``."""
    return {
        name: module for name, module in model.named_modules() if isinstance(module, WEIGHT_LAYERS)
    }


def weight_magnitude(layer: nn.Module) -> float:
    """Mean ``|w|`` of ``layer.weight``."""
    return float(layer.weight.detach().abs().to(torch.float64).mean())


def weight_change(layer: nn.Module, initial: torch.Tensor) -> float:
    """``‖w − w_0‖ / √N`` of ``layer.weight`` against ``initial`` (its value at the start).

    Raises:
        ValueError: ``initial`` does not have the weight's shape.
    """
    weight = layer.weight.detach()
    if initial.shape != weight.shape:
        raise ValueError(
            f"initial weight of shape {tuple(initial.shape)}: expected {tuple(weight.shape)}"
        )
    moved = (weight.to(torch.float64) - initial.to(weight.device, torch.float64)).norm()
    return float(moved) / math.sqrt(weight.numel())
