"""The fixed random convolutional feature map."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn
from torch.nn import functional

from forgetless.heads.conv_features import RandomConvFeatures


def test_conv_features_are_seeded_scaled_and_fixed():
    a, b, c = (RandomConvFeatures(1, 200, 5, 4, seed=s) for s in (0, 0, 1))
    assert torch.equal(a.weight, b.weight) and not torch.equal(a.weight, c.weight)
    assert list(a.parameters()) == [] and set(a.state_dict()) == {"weight", "bias"}
    assert a.weight.shape == (200, 1, 5, 5)
    assert a.weight.std().item() == pytest.approx(1 / math.sqrt(25), rel=0.05)
    assert a.bias.std().item() == pytest.approx(0.5, rel=0.15)


def test_conv_features_are_the_pooled_activated_convolution():
    features = RandomConvFeatures(1, 3, 3, 4, pool_mode="max", seed=2)
    x = torch.randn(5, 1, 28, 28)
    maps = torch.relu(functional.conv2d(x, features.weight, features.bias, padding=1))
    expected = functional.max_pool2d(maps, 4).flatten(1)
    out = features(x)
    assert out.shape == (5, features.num_features(28, 28)) == (5, 3 * 7 * 7)
    assert torch.equal(out, expected) and (out >= 0).all()
    average = RandomConvFeatures(1, 3, 3, 2, pool_mode="avg", seed=2, activation=nn.Tanh())
    maps = torch.tanh(functional.conv2d(x, average.weight, average.bias, padding=1))
    torch.testing.assert_close(average(x), functional.avg_pool2d(maps, 2).flatten(1))


def test_conv_features_refuse_bad_arguments_and_inputs():
    with pytest.raises(ValueError, match="RandomConvFeatures: kernel_size must be odd"):
        RandomConvFeatures(kernel_size=4)
    with pytest.raises(ValueError, match="RandomConvFeatures: pool_mode"):
        RandomConvFeatures(pool_mode="median")
    with pytest.raises(ValueError, match="RandomConvFeatures: num_filters"):
        RandomConvFeatures(num_filters=0)
    with pytest.raises(ValueError, match=r"RandomConvFeatures: x must be \(N, 1, H, W\)"):
        RandomConvFeatures()(torch.zeros(2, 784))
    with pytest.raises(ValueError, match=r"RandomConvFeatures: x must be \(N, 1, H, W\)"):
        RandomConvFeatures(pool=4)(torch.zeros(2, 1, 3, 3))
