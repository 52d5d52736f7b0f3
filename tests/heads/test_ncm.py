"""Nearest class mean against a hand computation; unseen classes; checks; checkpoints."""

from __future__ import annotations

import pytest
import torch
from batch_formula import class_statistics

from forgetless.heads import NearestClassMean


def test_logits_are_minus_squared_distances_by_hand():
    x = torch.tensor([[0.0, 0.0], [2.0, 0.0], [10.0, 10.0], [10.0, 12.0]], dtype=torch.float64)
    head = NearestClassMean(2, 3)
    head.update(x[:1], torch.tensor([0]))
    head.update(x[1:], torch.tensor([0, 2, 2]))
    # μ_0 = (1, 0), μ_2 = (10, 11); class 1 unseen
    probe = torch.tensor([[1.0, 1.0], [9.0, 9.0]], dtype=torch.float64)
    expected = torch.tensor([[-1.0, float("-inf"), -181.0], [-145.0, float("-inf"), -5.0]])
    torch.testing.assert_close(head(probe), expected.double())
    assert head.predict(probe).tolist() == [0, 2]


def test_batches_equal_one_pass_means():
    g = torch.Generator().manual_seed(1)
    x = torch.randn(90, 5, generator=g, dtype=torch.float64)
    y = torch.randint(0, 3, (90,), generator=g)
    head = NearestClassMean(5, 4)
    for start in range(0, 90, 7):
        head.update(x[start : start + 7], y[start : start + 7])
    counts, means, _ = class_statistics(x, y, 4)
    assert torch.equal(head.counts, counts)
    torch.testing.assert_close(head.means, means, rtol=1e-12, atol=1e-12)
    assert not head(x)[:, 3].isfinite().any()


def test_state_dict_round_trip_and_bad_arguments():
    head = NearestClassMean(2, 2)
    head.update(torch.tensor([[1.0, 2.0]]), torch.tensor([1]))
    other = NearestClassMean(2, 2)
    other.load_state_dict(head.state_dict())
    assert torch.equal(other.means, head.means) and torch.equal(other.counts, head.counts)
    with pytest.raises(ValueError, match="NearestClassMean: y must hold labels"):
        head.update(torch.zeros(1, 2), torch.tensor([2]))
    with pytest.raises(ValueError, match="NearestClassMean: num_classes"):
        NearestClassMean(2, 0)
