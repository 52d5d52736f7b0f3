"""Streaming LDA: the incremental update equals the float64 batch formula, for any split of the
stream; the shrinkage endpoints; unseen classes; the read-out cache; checkpoints."""

from __future__ import annotations

import pytest
import torch
from batch_formula import class_statistics, lda_logits
from hypothesis import given, settings
from hypothesis import strategies as st

from forgetless.heads import StreamingLDA

D, C = 6, 4


def stream(n: int, seed: int = 0, classes: int = C) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, classes, (n,), generator=g)
    offsets = torch.randn(C, D, generator=g, dtype=torch.float64) * 3
    x = torch.randn(n, D, generator=g, dtype=torch.float64) * 2 + 5 + offsets[y]
    return x, y


def feed(head: StreamingLDA, x: torch.Tensor, y: torch.Tensor, sizes: list[int]) -> None:
    start = 0
    for size in sizes:
        head.update(x[start : start + size], y[start : start + size])
        start += size
    head.update(x[start:], y[start:])


def assert_matches_batch_formula(head: StreamingLDA, x, y, s: float) -> None:
    counts, means, sigma = class_statistics(x, y, C)
    assert torch.equal(head.counts, counts)
    torch.testing.assert_close(head.means, means, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(head.covariance, sigma, rtol=1e-10, atol=1e-12)
    probe, _ = stream(17, seed=99)
    torch.testing.assert_close(
        head(probe), lda_logits(probe, means, sigma, s, counts > 0), rtol=1e-9, atol=1e-9
    )


def test_one_sample_at_a_time_equals_the_batch_formula():
    x, y = stream(60)
    head = StreamingLDA(D, C, shrinkage=0.05)
    for i in range(60):
        head.update(x[i : i + 1], y[i : i + 1])
    assert_matches_batch_formula(head, x, y, 0.05)


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=25), max_size=8),
    seed=st.integers(min_value=0, max_value=10_000),
    s=st.sampled_from([1e-4, 0.1, 0.5, 1.0]),
)
def test_any_split_into_batches_equals_the_batch_formula(sizes, seed, s):
    x, y = stream(120, seed=seed)
    head = StreamingLDA(D, C, shrinkage=s)
    feed(head, x, y, sizes)
    assert_matches_batch_formula(head, x, y, s)


def test_float32_inputs_accumulate_in_float64():
    x, y = stream(50)
    head = StreamingLDA(D, C)
    head.update(x.float(), y)
    assert head.means.dtype == head.scatter.dtype == torch.float64
    assert head(x.float()).dtype == torch.float32
    counts, means, sigma = class_statistics(x.float(), y, C)
    torch.testing.assert_close(head.covariance, sigma, rtol=1e-10, atol=1e-12)


def test_full_shrinkage_is_nearest_mean_with_isotropic_covariance():
    x, y = stream(80)
    head = StreamingLDA(D, C, shrinkage=1.0)
    head.update(x, y)
    _, means, sigma = class_statistics(x, y, C)
    variance = torch.trace(sigma) / D  # Λ = I / variance
    probe, _ = stream(9, seed=3)
    expected = (probe @ means.T - 0.5 * (means**2).sum(1)) / variance
    torch.testing.assert_close(head(probe), expected, rtol=1e-10, atol=1e-10)
    nearest = torch.cdist(probe, means).argmin(1)
    assert torch.equal(head.predict(probe), nearest)


def test_no_shrinkage_is_plain_lda():
    x, y = stream(200)
    head = StreamingLDA(D, C, shrinkage=0.0)
    head.update(x, y)
    _, means, sigma = class_statistics(x, y, C)
    probe, _ = stream(9, seed=3)
    precision = torch.linalg.inv(sigma)
    expected = probe @ precision @ means.T - 0.5 * ((means @ precision) * means).sum(1)
    torch.testing.assert_close(head(probe), expected, rtol=1e-8, atol=1e-8)


def test_singular_covariance_without_shrinkage_is_refused():
    head = StreamingLDA(D, C, shrinkage=0.0)
    x, _ = stream(4)  # four samples of one class span at most three dimensions
    head.update(x, torch.zeros(4, dtype=torch.int64))
    with pytest.raises(ValueError, match="shrinkage"):
        head(x)


def test_unseen_classes_are_never_predicted():
    x, y = stream(100, classes=2)
    head = StreamingLDA(D, C, shrinkage=0.01)
    head.update(x, y)
    far = torch.randn(200, D, dtype=torch.float64) * 50
    logits = head(far)
    assert torch.isinf(logits[:, 2:]).all() and (logits[:, 2:] < 0).all()
    assert torch.isfinite(logits[:, :2]).all()
    assert set(head.predict(far).tolist()) <= {0, 1}


def test_one_sample_per_class_gives_nearest_mean():
    # Σ = 0: the precision falls back to I, i.e. nearest class mean
    x = torch.tensor([[0.0, 0.0], [4.0, 0.0]], dtype=torch.float64)
    head = StreamingLDA(2, 3, shrinkage=0.5)
    head.update(x, torch.tensor([0, 1]))
    probe = torch.tensor([[1.0, 5.0], [3.0, -2.0]], dtype=torch.float64)
    assert head.predict(probe).tolist() == [0, 1]


def test_the_read_out_follows_new_samples():
    x, y = stream(40)
    head = StreamingLDA(D, C)
    head.update(x[:20], y[:20])
    before = head(x).clone()
    assert head(x).equal(before)  # cached
    head.update(x[20:], y[20:])
    fresh = StreamingLDA(D, C)
    fresh.update(x, y)
    torch.testing.assert_close(head(x), fresh(x))
    assert not head(x).equal(before)


def test_state_dict_round_trip():
    x, y = stream(70)
    head = StreamingLDA(D, C, shrinkage=0.2)
    head.update(x, y)
    other = StreamingLDA(D, C, shrinkage=0.2)
    other.update(x[:5] * 3, y[:5])
    other(x)  # fills a read-out cache that the load must drop
    other.load_state_dict(head.state_dict())
    assert set(head.state_dict()) == {"means", "counts", "scatter"}
    assert torch.equal(other(x), head(x))


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"num_features": 0, "num_classes": 2}, "num_features"),
        ({"num_features": 3, "num_classes": 2.5}, "num_classes"),
        ({"num_features": 3, "num_classes": 2, "shrinkage": 1.5}, "shrinkage"),
        ({"num_features": 3, "num_classes": 2, "shrinkage": float("nan")}, "shrinkage"),
    ],
)
def test_bad_construction_is_named(kwargs, name):
    with pytest.raises(ValueError, match=f"StreamingLDA: {name}"):
        StreamingLDA(**kwargs)


@pytest.mark.parametrize(
    ("x", "y", "name"),
    [
        (torch.zeros(2, 3, dtype=torch.int64), torch.tensor([0, 1]), "x"),
        (torch.zeros(2, 4), torch.tensor([0, 1]), "x"),
        (torch.zeros(3), torch.tensor([0]), "x"),
        (torch.full((2, 3), float("nan")), torch.tensor([0, 1]), "x"),
        (torch.zeros(2, 3), torch.tensor([0.0, 1.0]), "y"),
        (torch.zeros(2, 3), torch.tensor([0]), "y"),
        (torch.zeros(2, 3), torch.tensor([0, 2]), "y"),
        (torch.zeros(2, 3), torch.tensor([-1, 0]), "y"),
        (torch.zeros(2, 3), [0, 1], "y"),
    ],
)
def test_bad_update_is_named(x, y, name):
    head = StreamingLDA(3, 2)
    with pytest.raises(ValueError, match=f"StreamingLDA: {name} must"):
        head.update(x, y)
    assert int(head.counts.sum()) == 0


def test_predicting_before_any_sample_is_refused():
    with pytest.raises(ValueError, match="no class seen yet"):
        StreamingLDA(3, 2)(torch.zeros(1, 3))


def test_predictions_ignore_a_global_affine_map_of_the_inputs():
    # standardising with one mean and std (as the scenarios do) changes no prediction
    x, y = stream(150)
    a, b = StreamingLDA(D, C, shrinkage=0.1), StreamingLDA(D, C, shrinkage=0.1)
    a.update(x, y)
    b.update(3.5 * x - 2.0, y)
    probe, _ = stream(40, seed=5)
    assert torch.equal(a.predict(probe), b.predict(3.5 * probe - 2.0))
