import math

import pytest
import torch

from forgetless.metrics import AccuracyMatrix, summarize


def test_counts_accumulate_over_batches_and_take_argmax():
    m = AccuracyMatrix(2)
    m.update(torch.tensor([0, 1, 1]), torch.tensor([0, 1, 0]), trained_on=0, evaluated_on=0)
    m.update(torch.tensor([[0.9, 0.1]]), torch.tensor([0]), trained_on=0, evaluated_on=0)
    m.update(torch.tensor([1, 1]), torch.tensor([1, 1]), trained_on=1, evaluated_on=0)
    R = m.compute()
    assert R[0, 0].item() == pytest.approx(3 / 4)
    assert R[1, 0].item() == pytest.approx(1.0)
    assert math.isnan(R[0, 1].item())


def test_baseline_and_summary():
    m = AccuracyMatrix(2)
    for j, acc_b in enumerate([0.0, 1.0]):
        m.update(torch.tensor([1]) if acc_b else torch.tensor([0]), torch.tensor([1]), None, j)
    table = {(0, 0): 1, (0, 1): 0, (1, 0): 0, (1, 1): 1}
    for (i, j), ok in table.items():
        m.update(torch.tensor([ok]), torch.tensor([1]), trained_on=i, evaluated_on=j)
    R, b = m.matrix_and_baseline()
    assert b.tolist() == [0.0, 1.0]
    assert m.summary() == summarize(R, b)
    assert m.summary()["fwt"] == pytest.approx(0.0 - 1.0)


def test_baseline_missing_is_none():
    m = AccuracyMatrix(2)
    m.update(torch.tensor([1]), torch.tensor([1]), None, 0)
    assert m.matrix_and_baseline()[1] is None


def test_reset_clears_counts():
    m = AccuracyMatrix(1)
    m.update(torch.tensor([1]), torch.tensor([1]), 0, 0)
    m.reset()
    m.update(torch.tensor([0]), torch.tensor([1]), 0, 0)
    assert m.matrix().tolist() == [[0.0]]
    assert m.total[0, 0].item() == 1


@pytest.mark.parametrize(
    "kwargs, field", [({"trained_on": 2}, "trained_on"), ({"evaluated_on": -1}, "evaluated_on")]
)
def test_bad_indices_name_the_field(kwargs, field):
    m = AccuracyMatrix(2)
    args = {"trained_on": 0, "evaluated_on": 0} | kwargs
    with pytest.raises(ValueError, match=f"^{field}:"):
        m.update(torch.tensor([1]), torch.tensor([1]), **args)


def test_bad_shapes_and_sizes():
    with pytest.raises(ValueError, match="^num_experiences:"):
        AccuracyMatrix(0)
    with pytest.raises(ValueError, match="^preds:"):
        AccuracyMatrix(1).update(torch.tensor([1, 0]), torch.tensor([1]), 0, 0)


def test_states_are_summed_when_merged():
    """Two shards merged with merge_state equal one metric that saw all data (what DDP sync does)."""
    a, b, whole = AccuracyMatrix(1), AccuracyMatrix(1), AccuracyMatrix(1)
    pa, ta = torch.tensor([1, 0, 1]), torch.tensor([1, 1, 1])
    pb, tb = torch.tensor([0]), torch.tensor([0])
    a.update(pa, ta, 0, 0)
    b.update(pb, tb, 0, 0)
    whole.update(torch.cat([pa, pb]), torch.cat([ta, tb]), 0, 0)
    a.merge_state(b)
    assert torch.equal(a.compute(), whole.compute())
