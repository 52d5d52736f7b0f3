"""Streaming mode: one pass, experiences in order, batch size 1..k, no task labels."""

from __future__ import annotations

import pytest
import torch
from fake_idx_data import write_fake_idx

from forgetless.scenarios import split_mnist, stream_loader


@pytest.fixture
def scenario(tmp_path):
    write_fake_idx(tmp_path)
    return split_mnist(5, root=tmp_path, task_incremental=True)


@pytest.mark.parametrize("batch_size", [1, 4, 7])
def test_one_pass_in_order_without_task_labels(scenario, batch_size):
    batches = list(scenario.as_stream(batch_size=batch_size))
    assert all(len(batch) == 2 for batch in batches)  # (x, y): no task label, no boundary
    assert all(len(batch[1]) == batch_size for batch in batches[:-1])
    xs = torch.cat([batch[0] for batch in batches])
    ys = torch.cat([batch[1] for batch in batches])
    expected_x = torch.cat([experience.tensors()[0] for experience in scenario.train])
    expected_y = torch.cat([experience.targets for experience in scenario.train])
    assert torch.equal(xs, expected_x) and torch.equal(ys, expected_y)
    assert len(ys) == 60
    # experiences arrive one after another: the class pair never goes back
    assert torch.all(torch.diff(ys // 2) >= 0)


def test_stream_loader_function_matches_method(scenario):
    a = torch.cat([y for _, y in stream_loader(scenario, batch_size=5)])
    b = torch.cat([y for _, y in scenario.as_stream(batch_size=5)])
    assert torch.equal(a, b)


@pytest.mark.parametrize("batch_size", [0, -2, 1.5])
def test_bad_batch_size_is_named(scenario, batch_size):
    with pytest.raises(ValueError, match="batch_size: expected an int >= 1"):
        scenario.as_stream(batch_size=batch_size)
