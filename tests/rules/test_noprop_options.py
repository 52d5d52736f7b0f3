"""NoProp's options: the CNN block backbone and learned class embeddings."""

from __future__ import annotations

import torch

from forgetless.optim import build_optimizer
from forgetless.rules import NoPropDTRule


def test_cnn_backbone_trains_on_images():
    torch.manual_seed(0)
    rule = NoPropDTRule(64, 3, hidden=(16,), T=2, backbone="cnn", image_shape=(1, 8, 8))
    x, y = torch.rand(6, 1, 8, 8), torch.tensor([0, 1, 2, 0, 1, 2])
    conv = rule.blocks[0].x_branch.net[0].weight
    before = conv.detach().clone()
    losses = rule.train_step(x, y, build_optimizer(rule))
    assert set(losses) == {"loss_block1", "loss_block2", "loss_head", "loss"}
    assert not torch.equal(before, conv)
    assert rule.logits(x).shape == (6, 3)


def test_backprop_cnn_backbone_is_noprops_block_encoder_and_learns():
    """Backprop's ``backbone="cnn"`` uses the very encoder NoProp's blocks use (the same image
    backbone for the comparison) and trains it end to end."""
    from forgetless.rules import BackpropRule
    from forgetless.rules.conv_encoder import ConvEncoder

    torch.manual_seed(0)
    rule = BackpropRule(64, 3, hidden=(16,), backbone="cnn", image_shape=(1, 8, 8))
    noprop = NoPropDTRule(64, 3, hidden=(16,), T=1, backbone="cnn", image_shape=(1, 8, 8))
    assert isinstance(rule.network[0], ConvEncoder)
    shapes = [p.shape for p in rule.network[0].parameters()]
    assert shapes == [p.shape for p in noprop.blocks[0].x_branch.parameters()]
    x, y = torch.rand(12, 64), torch.arange(12) % 3
    optimizer = build_optimizer(rule, lr=1e-2)
    first = rule.train_step(x, y, optimizer)["loss"]
    for _ in range(30):
        last = rule.train_step(x, y, optimizer)["loss"]
    assert last < 0.5 * first
    assert rule.logits(x.view(12, 1, 8, 8)).shape == (12, 3)


def test_learned_embeddings_move_and_keep_their_shape():
    torch.manual_seed(0)
    rule = NoPropDTRule(10, 4, hidden=(8,), T=2, embedding="learned", embed_dim=6)
    assert isinstance(rule.embed, torch.nn.Parameter) and rule.embed.shape == (4, 6)
    rows = rule.embed.detach()
    torch.testing.assert_close(rows @ rows.T, torch.eye(4), atol=1e-5, rtol=0)
    before = rule.embed.detach().clone()
    rule.train_step(torch.randn(8, 10), torch.randint(0, 4, (8,)), build_optimizer(rule))
    assert not torch.equal(before, rule.embed.detach())
    assert rule.logits(torch.randn(3, 10), inference="stochastic").shape == (3, 4)


def test_onehot_embeddings_are_fixed():
    rule = NoPropDTRule(10, 4, hidden=(8,), T=2)
    assert "embed" not in dict(rule.named_parameters())
    rule.train_step(torch.randn(8, 10), torch.randint(0, 4, (8,)), build_optimizer(rule))
    torch.testing.assert_close(rule.embed, torch.eye(4), atol=0, rtol=0)


def test_mask_unseen_restricts_blocks_and_prediction_to_the_classes_seen():
    import pytest

    torch.manual_seed(0)
    rule = NoPropDTRule(12, 5, hidden=(16,), T=2, mask_unseen=True)
    x = torch.randn(8, 12)
    assert torch.isfinite(rule.logits(x)).all()  # nothing seen yet: nothing masked
    rule.train_step(x, torch.tensor([0, 1] * 4), build_optimizer(rule))
    logits = rule.logits(torch.randn(20, 12))
    assert torch.isinf(logits[:, 2:]).all() and torch.isfinite(logits[:, :2]).all()
    assert set(rule.predict(torch.randn(20, 12)).tolist()) <= {0, 1}
    u_hat = rule.denoise(1, x, torch.zeros(8, 5))
    assert torch.equal(u_hat[:, 2:], torch.zeros(8, 3))  # no weight on an unseen class's embedding
    assert rule.state_dict()["seen"].tolist() == [True, True, False, False, False]
    rule.train_step(x, torch.tensor([3] * 8), build_optimizer(rule))
    assert torch.isfinite(rule.logits(x)[:, 3]).all()
    with pytest.raises(ValueError, match="mask_unseen"):
        NoPropDTRule(12, 5, mask_unseen="yes")
