"""The loeweX aids of Forward-Forward: straight-through gradient, peer normalisation, recipe."""

from __future__ import annotations

import pytest
import torch
from separable_problem import IN_FEATURES, NUM_CLASSES
from torch import nn

from forgetless.rules import build_rule
from forgetless.rules.ff_stabilisers import PeerNormalisation, straight_through
from forgetless.rules.forward_forward import ForwardForwardRule, length_normalise


def test_straight_through_forward_is_the_activation_and_gradient_is_identity():
    pre = torch.tensor([-2.0, -0.5, 0.0, 1.5], requires_grad=True)
    out = straight_through(pre, nn.ReLU())
    assert torch.equal(out.detach(), torch.relu(pre.detach()))
    out.backward(torch.tensor([1.0, 2.0, 3.0, 4.0]))
    # plain ReLU would give 0 for the negative inputs
    assert torch.equal(pre.grad, torch.tensor([1.0, 2.0, 3.0, 4.0]))


def test_peer_normalisation_running_mean_and_loss():
    peer = PeerNormalisation([3], momentum=0.9)
    activity = torch.tensor([[1.0, 0.0, 2.0], [3.0, 0.0, 2.0]], requires_grad=True)
    loss = peer.loss(0, activity)
    expected_mean = 0.9 * 0.5 + 0.1 * torch.tensor([2.0, 0.0, 2.0])
    assert torch.allclose(peer.mean_0, expected_mean)
    assert not peer.mean_0.requires_grad
    assert loss.item() == pytest.approx(((expected_mean.mean() - expected_mean) ** 2).mean().item())
    loss.backward()
    # the unit below the others' average is pushed up: a negative gradient on its activity
    assert activity.grad[:, 1].lt(0).all() and activity.grad[:, 0].gt(0).all()
    # equal running means: no loss
    assert PeerNormalisation([4]).loss(0, torch.full((5, 4), 0.5)).item() == pytest.approx(0.0)


def test_recipe_turns_on_every_aid_and_arguments_override_it():
    rule = ForwardForwardRule(IN_FEATURES, NUM_CLASSES, hidden=(8, 8), recipe="loewex")
    assert rule.input_norm and rule.straight_through
    assert rule.peer_normalization == pytest.approx(0.03)
    assert rule.thetas == (8.0, 8.0)
    assert "peer.mean_1" in rule.state_dict()
    plain = ForwardForwardRule(
        IN_FEATURES, NUM_CLASSES, hidden=(8,), recipe="loewex", peer_normalization=0.0
    )
    assert plain.peer is None and plain.straight_through
    default = ForwardForwardRule(IN_FEATURES, NUM_CLASSES, hidden=(8,))
    assert not default.input_norm and not default.straight_through and default.peer is None


def test_normal_init_scale():
    torch.manual_seed(0)
    rule = ForwardForwardRule(IN_FEATURES, NUM_CLASSES, hidden=(400,), init="normal")
    weight, bias = rule.layers[0][0].weight, rule.layers[0][0].bias
    assert weight.std().item() == pytest.approx(400**-0.5, rel=0.05)
    assert torch.count_nonzero(bias) == 0


def test_input_norm_normalises_the_first_layer_input():
    rule = ForwardForwardRule(IN_FEATURES, NUM_CLASSES, hidden=(8,), input_norm=True)
    x = torch.randn(5, IN_FEATURES) * 7.0
    assert torch.allclose(rule.layer_input(0, x), length_normalise(x))
    rule.input_norm = False
    assert torch.equal(rule.layer_input(0, x), x)


def test_straight_through_lets_peer_normalisation_revive_units_that_are_off():
    """Units that are off (ReLU outputs 0) get no goodness gradient (2y = 0); the
    peer-normalisation loss, which pushes them towards the busy units, reaches them only through
    the straight-through gradient."""
    x = torch.randn(16, IN_FEATURES)
    y = torch.randint(0, NUM_CLASSES, (16,))
    moved = {}
    for st in (False, True):
        rule = ForwardForwardRule(
            IN_FEATURES, NUM_CLASSES, hidden=(6,), straight_through=st, peer_normalization=0.03
        )
        with torch.no_grad():
            rule.layers[0][0].bias[:3].fill_(-100.0)
            rule.layers[0][0].bias[3:].fill_(5.0)
        before = rule.layers[0][0].weight[:3].detach().clone()
        rule.train_step(x, y, torch.optim.SGD(rule.parameters(), lr=0.1))
        moved[st] = not torch.equal(before, rule.layers[0][0].weight[:3].detach())
    assert moved == {False: False, True: True}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"recipe": "hinton"}, "recipe"),
        ({"peer_normalization": -0.1}, "peer_normalization"),
        ({"peer_normalization": 0.1, "peer_momentum": 1.0}, "peer_momentum"),
        ({"init": "xavier"}, "init"),
        ({"straight_through": True, "activation": "aglu"}, "straight_through"),
    ],
)
def test_bad_options_name_the_field(params, field):
    with pytest.raises(ValueError, match=field):
        build_rule("forward_forward", in_features=IN_FEATURES, num_classes=NUM_CLASSES, **params)


@pytest.mark.parametrize(
    ("name", "layers"), [("forward_forward", [1]), ("collaborative_ff", [0, 1])]
)
def test_goodness_prediction_layers(name, layers):
    """FF scores layers 2..L (Hinton); collaborative FF scores the total it trains, all layers."""
    from forgetless.rules.ff_labels import write_label
    from forgetless.rules.forward_forward import goodness

    torch.manual_seed(0)
    rule = build_rule(name, in_features=IN_FEATURES, num_classes=NUM_CLASSES, hidden=(8, 8))
    x = torch.randn(5, IN_FEATURES)
    with torch.no_grad():
        scores = rule.goodness_logits(x)
        for c in range(NUM_CLASSES):
            labelled = write_label(x, torch.full((5,), c), NUM_CLASSES)
            acts = rule.activities(labelled)
            expected = sum(goodness(acts[i]) for i in layers)
            torch.testing.assert_close(scores[:, c], expected)


def test_collaboration_weight_scales_the_other_layers_term():
    torch.manual_seed(0)
    x = torch.randn(6, IN_FEATURES)
    offsets = {}
    for w in (0.0, 0.5, 1.0):
        torch.manual_seed(1)
        rule = build_rule(
            "collaborative_ff",
            in_features=IN_FEATURES,
            num_classes=NUM_CLASSES,
            hidden=(8, 8, 8),
            collaboration=w,
        )
        offsets[w] = rule.goodness_offsets(x)
    for k in range(3):
        assert torch.count_nonzero(offsets[0.0][k]) == 0
        torch.testing.assert_close(offsets[0.5][k], 0.5 * offsets[1.0][k])


def test_loewex_recipe_keeps_a_learnable_activation_trainable():
    import pytest

    from forgetless.rules import ForwardForwardRule

    rule = ForwardForwardRule(20, 3, hidden=(8,), activation="aglu", recipe="loewex")
    assert rule.straight_through is False and rule.input_norm is True  # the other aids stay on
    assert ForwardForwardRule(20, 3, hidden=(8,), recipe="loewex").straight_through is True
    with pytest.raises(ValueError, match="straight_through=True needs a parameter-free"):
        ForwardForwardRule(20, 3, hidden=(8,), activation="aglu", straight_through=True)
