"""Forward-Forward's labels: written into the first C inputs; negatives never carry the truth."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from separable_problem import IN_FEATURES, NUM_CLASSES

from forgetless.optim import build_optimizer
from forgetless.rules import build_rule
from forgetless.rules.ff_labels import (
    draw_hard_wrong_labels,
    draw_wrong_labels,
    write_label,
    write_neutral_label,
)


@settings(max_examples=40, deadline=None)
@given(num_classes=st.integers(2, 12), n=st.integers(1, 300), seed=st.integers(0, 2**31 - 1))
def test_wrong_labels_never_equal_the_true_label(num_classes, n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, num_classes, (n,), generator=g)
    wrong = draw_wrong_labels(y, num_classes, generator=g)
    assert wrong.shape == y.shape
    assert bool((wrong != y).all())
    assert int(wrong.min()) >= 0 and int(wrong.max()) < num_classes


def test_wrong_labels_cover_every_other_class_evenly():
    y = torch.full((30000,), 3)
    counts = torch.bincount(draw_wrong_labels(y, 10), minlength=10).float()
    assert counts[3] == 0
    others = counts[torch.arange(10) != 3] / 30000
    assert torch.allclose(others, torch.full_like(others, 1 / 9), atol=0.01)


@settings(max_examples=40, deadline=None)
@given(num_classes=st.integers(2, 12), n=st.integers(1, 200), seed=st.integers(0, 2**31 - 1))
def test_hard_wrong_labels_never_equal_the_true_label(num_classes, n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, num_classes, (n,), generator=g)
    scores = torch.randn(n, num_classes, generator=g) * 30
    scores[torch.arange(n), y] = 1e4  # the model is sure of the truth: still never drawn
    wrong = draw_hard_wrong_labels(scores, y, generator=g)
    assert bool((wrong != y).all())


def test_hard_wrong_labels_follow_the_softmax_of_the_wrong_scores():
    y = torch.zeros(20000, dtype=torch.long)
    scores = torch.tensor([5.0, 0.0, 1.0, 2.0]).expand(20000, 4)
    counts = torch.bincount(draw_hard_wrong_labels(scores, y), minlength=4).float() / 20000
    expected = torch.softmax(torch.tensor([0.0, 1.0, 2.0]), 0)
    assert counts[0] == 0
    assert torch.allclose(counts[1:], expected, atol=0.015)
    with pytest.raises(ValueError, match="scores"):
        draw_hard_wrong_labels(torch.zeros(3, 1), torch.zeros(3, dtype=torch.long))


def test_write_label_and_neutral_label():
    x = torch.rand(3, 8)
    labelled = write_label(x, torch.tensor([0, 2, 1]), 3, value=2.0)
    assert torch.equal(labelled[:, :3], torch.tensor([[2.0, 0, 0], [0, 0, 2.0], [0, 2.0, 0]]))
    assert torch.equal(labelled[:, 3:], x[:, 3:])
    neutral = write_neutral_label(x, 4)
    assert torch.allclose(neutral[:, :4], torch.full((3, 4), 0.25))
    with pytest.raises(ValueError, match="num_classes"):
        write_label(torch.rand(3, 3), torch.tensor([0, 1, 2]), 3)


@pytest.mark.parametrize("negatives", ["random", "hard"])
@pytest.mark.parametrize("name", ["forward_forward", "collaborative_ff"])
def test_training_negatives_carry_a_wrong_label(name, negatives, train_data):
    """The first layer sees [positives; negatives]: positives hold y, negatives never do."""
    rule = build_rule(
        name,
        in_features=IN_FEATURES,
        num_classes=NUM_CLASSES,
        hidden=(16, 16),
        negatives=negatives,
    )
    seen = []
    handle = rule.layers[0][0].register_forward_pre_hook(lambda m, args: seen.append(args[0]))
    x, y = train_data[0][:200], train_data[1][:200]
    rule.train_step(x, y, build_optimizer(rule))
    handle.remove()
    batch = next(s for s in seen if s.shape[0] == 2 * len(y))
    pos, neg = batch[: len(y), :NUM_CLASSES], batch[len(y) :, :NUM_CLASSES]
    assert torch.equal(pos.argmax(1), y)
    assert bool((neg.argmax(1) != y).all())
    assert torch.equal(neg.sum(1), torch.ones(len(y)))


def test_linear_head_update_equals_autograd_on_concatenated_features(train_data):
    """The head's two-pass, layer-at-a-time update gives the gradient of one linear softmax
    classifier on the concatenated normalised activities of layers 2..L."""
    torch.manual_seed(0)
    rule = build_rule(
        "forward_forward", in_features=IN_FEATURES, num_classes=NUM_CLASSES, hidden=(8, 8, 8)
    )
    x, y = train_data[0][:16], train_data[1][:16]
    features = [f for _, f in rule.iter_head_features(x)]
    assert len(features) == 2 and len(rule.heads) == 2
    weight = torch.cat([h.weight for h in rule.heads], dim=1)
    logits = torch.cat(features, dim=1) @ weight.T + rule.heads[0].bias
    loss = torch.nn.functional.cross_entropy(logits, y)
    expected = torch.autograd.grad(loss, [weight, rule.heads[0].bias])
    optimizer = torch.optim.SGD(rule.parameters(), lr=0.0)
    assert rule.train_head(x, y, optimizer) == pytest.approx(float(loss), rel=1e-6)
    got = torch.cat([h.weight.grad for h in rule.heads], dim=1)
    torch.testing.assert_close(got, expected[0])
    torch.testing.assert_close(rule.heads[0].bias.grad, expected[1])
    assert all(p.grad is None for p in rule.layers.parameters())
