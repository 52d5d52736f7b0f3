"""The tempered-sigmoid paper's small CNN: shapes, size, swap sites, DP-compatible."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from forgetless.activations import swap_activations
from forgetless.privacy import PapernotCNN, check_private_model


def test_shapes_size_and_swap_sites():
    model = PapernotCNN()
    assert model(torch.zeros(3, 1, 28, 28)).shape == (3, 10)
    assert model(torch.zeros(2, 784)).shape == (2, 10)
    # conv 16x1x8x8 + conv 32x16x4x4 + fc 512x32 + fc 32x10, with biases
    assert sum(p.numel() for p in model.parameters()) == 1040 + 8224 + 16416 + 330
    assert model.features[7].in_features == 32 * 4 * 4
    replaced = swap_activations(model, "tempered_sigmoid")
    assert len(replaced.modules) == 3
    check_private_model(model)


def test_activation_factory_and_bad_classes():
    model = PapernotCNN(activation=nn.Tanh)
    assert sum(isinstance(m, nn.Tanh) for m in model.modules()) == 3
    with pytest.raises(ValueError, match="num_classes"):
        PapernotCNN(num_classes=1)
