"""Every rule learns a small separable problem well above chance (0.25) in a few epochs."""

from __future__ import annotations

import pytest
import torch
from separable_problem import IN_FEATURES, NUM_CLASSES

from forgetless.optim import build_optimizer
from forgetless.rules import build_rule

CASES = [
    ("backprop", {}),
    ("mono_forward", {}),
    ("mono_forward", {"predict_mode": "sum"}),
    ("forward_forward", {"predict_mode": "goodness"}),
    ("forward_forward", {"predict_mode": "linear"}),
    ("forward_forward", {"reduction": "mean"}),
    ("forward_forward", {"recipe": "loewex"}),
    ("forward_forward", {"negatives": "hard"}),
    ("collaborative_ff", {"predict_mode": "goodness"}),
    ("collaborative_ff", {"recipe": "loewex"}),
    ("noprop", {"T": 4, "inference": "deterministic"}),
    ("noprop", {"T": 4, "inference": "stochastic"}),
    ("noprop_fm", {"steps": 5}),
    ("noprop_fm", {"steps": 5, "inference": "stochastic"}),
    ("noprop_ct", {"steps": 10}),
    ("noprop_ct", {"steps": 10, "weighting": "uniform"}),
    ("noprop_ct", {"steps": 10, "inference": "stochastic"}),
]


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_rule_learns_separable_problem(name, params, train_data, test_data):
    torch.manual_seed(0)
    rule = build_rule(
        name, in_features=IN_FEATURES, num_classes=NUM_CLASSES, hidden=(64, 64), **params
    )
    optimizer = build_optimizer(rule, lr=1e-2)
    x, y = train_data
    x_test, y_test = test_data
    with torch.no_grad():
        before = (rule.predict(x_test) == y_test).float().mean().item()
    for _ in range(12):
        for i in range(0, len(y), 64):
            losses = rule.train_step(x[i : i + 64], y[i : i + 64], optimizer)
    with torch.no_grad():
        logits = rule.logits(x_test)
        after = (rule.predict(x_test) == y_test).float().mean().item()
    assert logits.shape == (len(y_test), NUM_CLASSES)
    assert all(isinstance(v, float) for v in losses.values()) and "loss" in losses
    assert after > 0.85, f"{name} {params}: test accuracy {after:.3f} (before {before:.3f})"


@pytest.mark.parametrize("name", ["backprop", "mono_forward", "forward_forward", "noprop"])
@pytest.mark.parametrize("activation", ["elephant", "aglu"])
def test_rules_take_registry_activations(name, activation, train_data):
    """The hidden activation is any registry name; learnable κ, λ get no weight decay."""
    from forgetless.activations import get_activation

    rule = build_rule(
        name, in_features=IN_FEATURES, num_classes=NUM_CLASSES, hidden=(16,), activation=activation
    )
    kind = type(get_activation(activation))
    assert any(isinstance(m, kind) for m in rule.modules())
    optimizer = build_optimizer(rule, "adamw", weight_decay=0.1)
    before = [p.detach().clone() for p in rule.parameters()]
    losses = rule.train_step(train_data[0][:32], train_data[1][:32], optimizer)
    assert all(torch.isfinite(torch.tensor(v)) for v in losses.values())
    assert any(not torch.equal(b, p) for b, p in zip(before, rule.parameters(), strict=True))
    if activation == "aglu":
        decays = {g["weight_decay"] for g in optimizer.param_groups}
        assert decays == {0.1, 0.0}
