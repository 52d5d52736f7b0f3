"""No gradient crosses layers (blocks): each optimizer step sees one layer's gradients only, and
a layer's gradients do not change when a later layer's loss is altered."""

from __future__ import annotations

import copy

import pytest
import torch
from separable_problem import IN_FEATURES, NUM_CLASSES

from forgetless.rules import build_rule


class RecordingSGD(torch.optim.SGD):
    """SGD with lr 0 that records, at every step, the gradient of every parameter that has one."""

    def __init__(self, params):
        super().__init__(params, lr=0.0)
        self.steps: list[dict[int, torch.Tensor]] = []

    def step(self, closure=None):
        grads = {
            id(p): p.grad.detach().clone()
            for group in self.param_groups
            for p in group["params"]
            if p.grad is not None
        }
        self.steps.append(grads)
        return super().step(closure)


def units(rule) -> list[list[torch.nn.Parameter]]:
    """The parameter sets that must learn separately, per rule."""
    if hasattr(rule, "blocks"):
        return [list(b.parameters()) for b in rule.blocks] + [list(rule.head.parameters())]
    if hasattr(rule, "projections"):
        return [
            list(layer.parameters()) + list(proj.parameters())
            for layer, proj in zip(rule.layers, rule.projections, strict=True)
        ]
    if hasattr(rule, "network"):  # backprop: every linear layer of its MLP, the head last
        linears = [m for m in rule.network.modules() if isinstance(m, torch.nn.Linear)]
        return [list(linear.parameters()) for linear in linears]
    head = rule.heads if hasattr(rule, "heads") else rule.head
    return [list(layer.parameters()) for layer in rule.layers] + [list(head.parameters())]


def last_layer(rule) -> int:
    """Index in :func:`units` of the last layer (block), skipping a separate head."""
    return len(units(rule)) - (1 if hasattr(rule, "projections") else 2)


def record(rule, x, y, seed: int = 0) -> RecordingSGD:
    optimizer = RecordingSGD(rule.parameters())
    torch.manual_seed(seed)
    rule.train_step(x, y, optimizer)
    return optimizer


LAYERWISE = [
    ("mono_forward", {}),
    ("forward_forward", {}),
    ("collaborative_ff", {}),
    ("forward_forward", {"recipe": "loewex"}),
    ("noprop", {"T": 3}),
]


def make(name, params):
    torch.manual_seed(3)
    return build_rule(
        name, in_features=IN_FEATURES, num_classes=NUM_CLASSES, hidden=(32, 32), **params
    )


@pytest.mark.parametrize(("name", "params"), LAYERWISE, ids=[f"{n}{p}" for n, p in LAYERWISE])
def test_each_step_updates_exactly_one_layer(name, params, train_data):
    rule = make(name, params)
    x, y = train_data[0][:32], train_data[1][:32]
    steps = record(rule, x, y).steps
    groups = [{id(p) for p in group} for group in units(rule)]
    assert len(steps) == len(groups)
    for step, group in zip(steps, groups, strict=True):
        assert set(step) == group, "a step saw gradients outside its own layer/block"


@pytest.mark.parametrize(
    ("name", "params"), LAYERWISE[:2] + LAYERWISE[3:], ids=["mf", "ff", "ff-loewex", "noprop"]
)
def test_first_layer_gradient_ignores_later_loss(name, params, train_data):
    x, y = train_data[0][:32], train_data[1][:32]
    rule = make(name, params)
    altered = copy.deepcopy(rule)
    index = last_layer(rule)
    later = units(altered)[index]
    with torch.no_grad():
        for p in later:
            p.mul_(3.0).add_(0.5)
    first_ids = [id(p) for p in units(rule)[0]]
    first_ids_altered = [id(p) for p in units(altered)[0]]
    base, changed = record(rule, x, y).steps, record(altered, x, y).steps
    for a, b in zip(first_ids, first_ids_altered, strict=True):
        torch.testing.assert_close(base[0][a], changed[0][b], rtol=0, atol=0)
    late_ids = [id(p) for p in units(rule)[index]]
    late_ids_altered = [id(p) for p in later]
    assert any(
        not torch.equal(base[index][a], changed[index][b])
        for a, b in zip(late_ids, late_ids_altered, strict=True)
    ), "altering the later layer should change its own loss and gradient"


def test_backprop_first_layer_gradient_does_see_later_layers(train_data):
    """Control: under backprop the same alteration does change the first layer's gradient."""
    x, y = train_data[0][:32], train_data[1][:32]
    rule = make("backprop", {})
    altered = copy.deepcopy(rule)
    with torch.no_grad():
        units(altered)[-2][0].mul_(3.0)  # the last hidden layer's weight
    base, changed = record(rule, x, y).steps[0], record(altered, x, y).steps[0]
    w0, w0_altered = units(rule)[0][0], units(altered)[0][0]
    assert not torch.allclose(base[id(w0)], changed[id(w0_altered)])
