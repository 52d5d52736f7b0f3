"""The one optimizer builder: activation parameters out of weight decay, and nothing else changed."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from forgetless.activations import get_activation
from forgetless.models import MLP
from forgetless.optim import OPTIMIZERS, build_optimizer


def steps(optimizer_of, seed: int = 0) -> torch.Tensor:
    torch.manual_seed(seed)
    model = MLP(6, (5,), 3)
    optimizer = optimizer_of(model)
    x, y = torch.randn(16, 6), torch.randint(0, 3, (16,))
    for _ in range(3):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    return torch.cat([p.detach().flatten() for p in model.parameters()])


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_a_model_without_activation_parameters_trains_as_with_plain_torch(name):
    settings = {"lr": 0.1, "weight_decay": 0.01}
    plain = {
        "sgd": lambda m: torch.optim.SGD(m.parameters(), momentum=0.9, **settings),
        "adam": lambda m: torch.optim.Adam(m.parameters(), **settings),
        "adamw": lambda m: torch.optim.AdamW(m.parameters(), **settings),
        "adagrad": lambda m: torch.optim.Adagrad(
            m.parameters(), initial_accumulator_value=0.1, **settings
        ),
    }[name]
    built = steps(lambda m: build_optimizer(m, name, initial_accumulator_value=0.1, **settings))
    assert torch.equal(built, steps(plain))


def test_activation_parameters_get_no_weight_decay():
    model = nn.Sequential(nn.Linear(4, 4), get_activation("apa"))
    optimizer = build_optimizer(model, "adamw", weight_decay=1e-3)
    decays = [(len(g["params"]), g["weight_decay"]) for g in optimizer.param_groups]
    assert decays == [(2, 1e-3), (2, 0.0)]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "lion"}, "optimizer: unknown name 'lion'"),
        ({"lr": 0.0}, "lr must be > 0"),
        ({"weight_decay": -1.0}, "weight_decay must be >= 0"),
    ],
)
def test_bad_settings_are_refused_by_name(kwargs, message):
    with pytest.raises(ValueError, match=message):
        build_optimizer(nn.Linear(2, 2), **kwargs)
