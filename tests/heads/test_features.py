"""The random ReLU feature map and the frozen-model feature extractor."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from forgetless.heads import HeadOnFeatures, NearestClassMean, RandomReLUFeatures, extract_features


def test_random_features_are_seeded_scaled_and_fixed():
    a, b, c = (RandomReLUFeatures(784, 3000, seed=s) for s in (0, 0, 1))
    assert torch.equal(a.weight, b.weight) and not torch.equal(a.weight, c.weight)
    assert list(a.parameters()) == [] and set(a.state_dict()) == {"weight", "bias"}
    assert a.weight.std().item() == pytest.approx(1 / math.sqrt(784), rel=0.02)
    assert a.bias.std().item() == pytest.approx(0.5, rel=0.05)
    x = torch.randn(4, 1, 28, 28)
    expected = torch.relu(x.reshape(4, -1) @ a.weight + a.bias)
    assert torch.equal(a(x), expected) and (a(x) >= 0).all()


def test_random_features_refuse_a_wrong_width():
    with pytest.raises(ValueError, match="RandomReLUFeatures: x must hold 784"):
        RandomReLUFeatures(784, 10)(torch.zeros(2, 100))
    with pytest.raises(ValueError, match="RandomReLUFeatures: num_features"):
        RandomReLUFeatures(784, 0)


def test_extract_features_runs_frozen_and_restores_the_mode():
    model = nn.Sequential(nn.Flatten(), nn.Linear(4, 3), nn.Dropout(0.9))
    model.train()
    data = TensorDataset(torch.randn(10, 2, 2), torch.arange(10), torch.zeros(10))
    features, labels = extract_features(model, data, batch_size=3)
    assert features.shape == (10, 3) and torch.equal(labels, torch.arange(10))
    assert not features.requires_grad and model.training
    with torch.no_grad():
        expected = model.eval()(data.tensors[0])  # dropout off: eval mode was used
    torch.testing.assert_close(features, expected)


def test_extract_features_without_a_model_flattens_the_inputs():
    x = torch.randn(6, 1, 3, 3)
    loader = DataLoader(TensorDataset(x, torch.arange(6)), batch_size=4)
    features, labels = extract_features(None, loader)
    assert torch.equal(features, x.reshape(6, 9)) and labels.tolist() == list(range(6))
    with pytest.raises(ValueError, match="extract_features: batch_size"):
        extract_features(None, loader, batch_size=0)
    with pytest.raises(ValueError, match="extract_features: data"):
        extract_features(None, [1, 2])


def test_head_on_features_reads_the_frozen_extractor():
    extractor = nn.Sequential(nn.Flatten(), nn.Linear(4, 3), nn.Dropout(0.5))
    extractor.train()
    joined = HeadOnFeatures(extractor, NearestClassMean(3, 2))
    x, y = torch.randn(8, 2, 2), torch.tensor([0, 1] * 4)
    joined.update(x, y)
    assert extractor.training and all(p.grad is None for p in extractor.parameters())
    with torch.no_grad():
        features = extractor.eval()(x)
    alone = NearestClassMean(3, 2)
    alone.update(features, y)
    torch.testing.assert_close(joined(x), alone(features))
    assert torch.equal(joined.predict(x), alone.predict(features))
    assert torch.equal(HeadOnFeatures(None, alone).head.means, alone.means)
    with pytest.raises(ValueError, match="HeadOnFeatures: head"):
        HeadOnFeatures(None, nn.Linear(2, 2))
