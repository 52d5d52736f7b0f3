"""Forward-Forward with bounded / self-normalising activations: threshold and straight-through
follow the activation (forgetless.rules.ff_threshold), so FF learns at its recipe with them."""

from __future__ import annotations

import pytest
import torch
from separable_problem import IN_FEATURES, NUM_CLASSES

from forgetless.optim import build_optimizer
from forgetless.rules import ForwardForwardRule, build_rule, recipe
from forgetless.rules.ff_threshold import goodness_scale, straight_through_fits

BOUNDED = ["elephant", "tempered_sigmoid", "hard_ash"]


def _accuracy(rule_name, activation, train_data, test_data, **params) -> float:
    """Test accuracy of ``rule_name`` at its compare recipe, hidden (32, 32), Adam 1e-2, 8 epochs."""
    torch.manual_seed(0)
    rule = build_rule(
        rule_name,
        in_features=IN_FEATURES,
        num_classes=NUM_CLASSES,
        hidden=(32, 32),
        activation=activation,
        generator=torch.Generator().manual_seed(0),
        **{**recipe(rule_name).params, **params},
    )
    optimizer = build_optimizer(rule, "adam", lr=1e-2)
    x, y = train_data
    x_test, y_test = test_data
    for _ in range(8):
        for i in range(0, len(y), 32):
            rule.train_step(x[i : i + 32], y[i : i + 32], optimizer)
    with torch.no_grad():
        return (rule.predict(x_test) == y_test).float().mean().item()


@pytest.mark.parametrize("rule_name", ["forward_forward", "collaborative_ff"])
@pytest.mark.parametrize("activation", BOUNDED)
def test_ff_learns_with_a_bounded_activation_at_its_recipe(
    rule_name, activation, train_data, test_data
):
    """1.00 with each of the three (both rules); 0.04 to 0.61 at the old defaults (below)."""
    accuracy = _accuracy(rule_name, activation, train_data, test_data)
    assert accuracy > 0.85, f"{rule_name} with {activation}: test accuracy {accuracy:.3f}"


@pytest.mark.parametrize("activation", BOUNDED)
def test_the_old_defaults_did_not_learn(activation, train_data, test_data):
    """The same run at the old defaults: θ = width (out of reach) and the recipe's
    straight-through gradient whatever the activation."""
    old = {"theta": 32.0, "straight_through": True}
    accuracy = _accuracy("forward_forward", activation, train_data, test_data, **old)
    assert accuracy < 0.5, f"{activation}: test accuracy {accuracy:.3f} at the old defaults"


def test_relu_keeps_hintons_threshold_and_bounded_ones_get_a_reachable_one():
    assert ForwardForwardRule(20, 3, hidden=(8, 12)).thetas == (8.0, 12.0)
    assert ForwardForwardRule(20, 3, hidden=(8,), reduction="mean").thetas == (2.0,)
    assert ForwardForwardRule(20, 3, hidden=(8,), theta=5.0).thetas == (5.0,)
    for activation, expected in [("elephant", 0.319), ("hard_ash", 0.436), ("tanh", 0.520)]:
        (theta,) = ForwardForwardRule(20, 3, hidden=(256,), activation=activation).thetas
        assert theta == pytest.approx(256 * expected, abs=0.5), activation
    # tanh at ReLU's operating point: E[tanh(√2 z)²] = 0.520 (Gaussian quadrature, 1e-3)
    assert goodness_scale("tanh", {}, 1000) == pytest.approx(0.520, abs=1e-3)


def test_straight_through_only_where_the_identity_has_the_sign_of_the_gradient():
    fits = {name: straight_through_fits(name, {}, 16) for name in ["relu", "tanh", "elephant"]}
    assert fits == {"relu": True, "tanh": True, "elephant": False}
    assert not straight_through_fits("hard_ash", {}, 16)  # standardises its input
    assert straight_through_fits("elephant", {"a": 0.5, "input_norm": False}, 16) is False
    for activation, expected in [("relu", True), ("tanh", True), ("elephant", False)]:
        rule = ForwardForwardRule(20, 3, hidden=(8,), activation=activation, recipe="loewex")
        assert rule.straight_through is expected, activation
    # an explicit choice is kept
    assert ForwardForwardRule(
        20, 3, hidden=(8,), activation="elephant", recipe="loewex", straight_through=True
    ).straight_through


def test_threshold_is_computed_on_the_cpu_when_built_on_the_meta_device():
    """The config check counts parameters on the meta device; the thresholds must not change."""
    with torch.device("meta"):
        meta = ForwardForwardRule(20, 3, hidden=(8,), activation="elephant", recipe="loewex")
    cpu = ForwardForwardRule(20, 3, hidden=(8,), activation="elephant", recipe="loewex")
    assert meta.thetas == cpu.thetas and meta.straight_through == cpu.straight_through
