import pytest
import torch
from torch import nn

from forgetless.activations import (
    activation_parameters,
    get_activation,
    swap_activations,
    weight_decay_groups,
)


def make_model() -> nn.Module:
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))
    swap_activations(model, "aglu", num_parameters=None)
    return model


def test_activation_parameters_are_the_learnable_activation_ones():
    model = make_model()
    found = activation_parameters(model)
    expected = [model[1].kappa, model[1].lam, model[3].kappa, model[3].lam]
    assert [id(p) for p in found] == [id(p) for p in expected]


def test_weight_decay_groups_exclude_activation_parameters():
    model = make_model()
    groups = weight_decay_groups(model, 0.01)
    assert [g["weight_decay"] for g in groups] == [0.01, 0.0]
    assert len(groups[0]["params"]) == 6 and len(groups[1]["params"]) == 4
    optimizer = torch.optim.AdamW(groups, lr=0.1)
    lam_before = model[1].lam.detach().clone()
    weight_before = model[0].weight.detach().clone()
    optimizer.zero_grad()
    optimizer.step()  # no gradients: only weight decay could change anything (it does not)
    assert torch.equal(model[1].lam, lam_before)
    assert torch.equal(model[0].weight, weight_before)
    model(torch.randn(4, 3)).sum().backward()
    optimizer.step()
    assert not torch.equal(model[1].lam, lam_before)


def test_unsized_lazy_activation_is_reported():
    model = nn.Sequential(nn.Flatten(), get_activation("learnable_elephant"))
    with pytest.raises(ValueError, match=r"1\.log_sigma is not sized yet; run one forward pass"):
        activation_parameters(model)
    model(torch.randn(2, 5))
    assert len(activation_parameters(model)) == 2


def test_bad_weight_decay():
    with pytest.raises(ValueError, match="weight_decay must be a finite number >= 0"):
        weight_decay_groups(make_model(), -1.0)
