"""Prequential and anytime accuracy against hand-computed values."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn
from torch.utils.data import TensorDataset

from forgetless.metrics.streaming_accuracy import PrequentialAccuracy, pooled_accuracy


def test_prequential_accuracy_counts_batches_as_given():
    meter = PrequentialAccuracy()
    assert math.isnan(meter.value)
    meter.update(torch.tensor([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]]), torch.tensor([0, 1, 1]))
    meter.update(torch.tensor([1, 1]), torch.tensor([1, 0]))  # class indices work too
    assert (meter.correct, meter.seen) == (3, 5) and meter.value == 0.6
    with pytest.raises(ValueError, match="scores"):
        meter.update(torch.zeros(2, 3), torch.zeros(3, dtype=torch.long))


def test_pooled_accuracy_over_several_test_sets():
    model = nn.Linear(1, 2, bias=False)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[-1.0], [1.0]]))  # predicts 1 for x > 0
    a = TensorDataset(torch.tensor([[1.0], [-1.0]]), torch.tensor([1, 1]))  # 1 of 2
    b = TensorDataset(torch.tensor([[2.0], [-2.0], [3.0]]), torch.tensor([1, 0, 1]))  # 3 of 3
    assert pooled_accuracy(model, [a, b], batch_size=2) == pytest.approx(4 / 5)
    with pytest.raises(ValueError, match="at least one sample"):
        pooled_accuracy(model, [])
