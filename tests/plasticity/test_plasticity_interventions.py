"""Continual backprop, ReDo and shrink & perturb on tiny MLPs."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from forgetless.models import MLP
from forgetless.plasticity.chains import unit_chains
from forgetless.plasticity.continual_backprop import ContinualBackprop
from forgetless.plasticity.redo import ReDo
from forgetless.plasticity.shrink_perturb import ShrinkPerturb


def _net(hidden=(6,)) -> MLP:
    torch.manual_seed(0)
    return MLP(in_features=4, hidden=list(hidden), num_classes=3)


def _training_forwards(model: nn.Module, x: torch.Tensor, cbp, steps: int) -> None:
    for _ in range(steps):
        model(x)  # grad enabled, training mode: recorded
        cbp.step()


def test_chains_of_an_mlp_and_the_refusal_without_one():
    model = _net(hidden=(6, 5))
    chains = unit_chains(model, torch.zeros(2, 4))
    assert [c.name for c in chains] == ["features.2", "features.4"]
    assert chains[0].incoming is model.features[1] and chains[0].outgoing is model.features[3]
    assert chains[1].outgoing is model.classifier and chains[1].width == 5
    conv = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 2))
    with pytest.raises(ValueError, match="no \\(Linear, activation, Linear\\) chain"):
        unit_chains(conv, torch.zeros(1, 1, 4, 4))


def test_a_replacement_keeps_the_mean_output_on_the_batch_and_resets_the_unit():
    model = _net()
    x = torch.randn(16, 4)
    cbp = ContinualBackprop(replacement_rate=0.2, maturity=2, decay=0.9).attach(model, x)
    with torch.no_grad():
        before = model(x)
    hidden = model.features[1].weight.detach().clone()
    _training_forwards(model, x, cbp, 2)  # ages 2: none eligible yet (age > m)
    assert cbp.replaced == {"features.2": 0}
    _training_forwards(model, x, cbp, 1)  # 6 eligible · 0.2 = 1.2: one replaced
    assert cbp.replaced == {"features.2": 1}
    with torch.no_grad():
        after = model(x)
    # the next layer gained w_out · mean(h_i): the batch mean of the logits is unchanged
    assert torch.allclose(after.mean(dim=0), before.mean(dim=0), atol=1e-6)
    changed = (model.features[1].weight != hidden).any(dim=1)
    assert int(changed.sum()) == 1
    unit = int(torch.nonzero(changed))
    assert (model.classifier.weight[:, unit] == 0).all()
    assert model.features[1].bias[unit] == 0
    assert cbp.states[0].age[unit] == 0 and (cbp.states[0].age[~changed] == 3).all()
    assert model.features[1].weight[unit].abs().max() <= 0.5  # U(-1/√4, 1/√4)


def test_the_lowest_utility_unit_goes_first_and_a_constant_unit_leaves_every_output_unchanged():
    model = _net()
    with torch.no_grad():
        model.features[1].weight[3] = 0.0
        model.features[1].bias[3] = 0.5  # unit 3 outputs 0.5 on every input
        model.classifier.weight[:, 3] = 0.01  # and contributes least
    x = torch.randn(16, 4)
    cbp = ContinualBackprop(replacement_rate=0.2, maturity=1).attach(model, x)
    with torch.no_grad():
        before = model(x)
    _training_forwards(model, x, cbp, 2)
    assert cbp.replaced["features.2"] == 1
    assert (model.classifier.weight[:, 3] == 0).all()
    with torch.no_grad():
        assert torch.allclose(model(x), before, atol=1e-6)


def test_replacement_zeroes_the_optimizer_state_of_the_replaced_weights():
    model = _net()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(16, 4), torch.randint(0, 3, (16,))
    cbp = ContinualBackprop(replacement_rate=1.0, maturity=1).attach(model, x)
    for _ in range(2):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
        cbp.step(optimizer)
    assert cbp.replaced["features.2"] == 6  # ρ = 1: every eligible unit
    state = optimizer.state[model.features[1].weight]
    assert (state["exp_avg"] == 0).all() and (state["exp_avg_sq"] == 0).all()
    assert (optimizer.state[model.classifier.weight]["exp_avg"] == 0).all()
    assert (optimizer.state[model.classifier.bias]["exp_avg"] != 0).any()  # untouched


def test_continual_backprop_refuses_bad_settings():
    with pytest.raises(ValueError, match="replacement_rate"):
        ContinualBackprop(replacement_rate=1.5)
    with pytest.raises(ValueError, match="decay"):
        ContinualBackprop(decay=1.0)
    with pytest.raises(ValueError, match="maturity"):
        ContinualBackprop(maturity=0)


def test_redo_resets_only_the_dormant_units_every_n_steps():
    model = _net()
    with torch.no_grad():
        model.features[1].weight[[1, 4]] = 0.0
        model.features[1].bias[[1, 4]] = -1.0  # ReLU(−1) = 0: dormant
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(16, 4), torch.randint(0, 3, (16,))
    redo = ReDo(tau=0.0, every=2).attach(model, x)
    for step in range(2):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
        redo.step(optimizer)
        assert redo.reset["features.2"] == (0 if step == 0 else 2)  # on the 2nd step only
    assert redo.reset == {"features.2": 2}
    weight = model.features[1].weight
    assert (weight[[1, 4]] != 0).any(dim=1).all()  # fresh incoming weights
    assert (model.classifier.weight[:, [1, 4]] == 0).all()
    moments = optimizer.state[model.features[1].weight]["exp_avg"]
    assert (moments[[0, 2, 3, 5]] != 0).any()  # the live units keep their moments
    with pytest.raises(ValueError, match="tau"):
        ReDo(tau=-1.0)


def test_shrink_perturb_shrinks_by_lr_times_decay_and_adds_noise_of_sigma():
    layer = nn.Linear(200, 100)
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.5)
    start = layer.weight.detach().clone()
    ShrinkPerturb(weight_decay=0.1, sigma=0.0).step(optimizer)
    assert torch.allclose(layer.weight, start * 0.95)
    shrunk = layer.weight.detach().clone()
    ShrinkPerturb(weight_decay=0.0, sigma=0.01, seed=3).step(optimizer)
    noise = layer.weight.detach() - shrunk
    assert abs(float(noise.std()) - 0.01) < 5e-4 and abs(float(noise.mean())) < 5e-4
    with pytest.raises(ValueError, match="shrink_perturb"):
        ShrinkPerturb(sigma=-1.0)
