"""Opacus per-sample gradients reach learnable activations met at functional call sites."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from forgetless.activations import swap_activations
from forgetless.privacy import attach_per_sample_gradients, check_private_model


class Functional(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(4, 5)
        self.fc2 = nn.Linear(5, 3)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


@pytest.mark.filterwarnings("ignore:Full backward hook is firing")
def test_call_site_aglu_gets_per_sample_gradients_equal_to_one_at_a_time():
    torch.manual_seed(0)
    model = Functional().double()
    x = torch.randn(6, 4, dtype=torch.float64)
    y = torch.randint(0, 3, (6,))
    swap_activations(model, "aglu", num_parameters=None, example_input=x[:2])
    sites = dict(model.forgetless_functional_sites.named_parameters())
    assert {name.split(".")[-1] for name in sites} == {"kappa", "lam"}
    assert all(p.shape == (5,) for p in sites.values())  # per channel, sized by the check
    check_private_model(model)

    expected = {name: [] for name in sites}
    for i in range(len(x)):
        model.zero_grad()
        F.cross_entropy(model(x[i : i + 1]), y[i : i + 1]).backward()
        for name, p in sites.items():
            expected[name].append(p.grad.clone())
    hooks = attach_per_sample_gradients(model)
    model.zero_grad()
    F.cross_entropy(model(x), y).backward()
    for name, p in sites.items():
        assert p.grad_sample.shape == (len(x), 5)
        torch.testing.assert_close(p.grad_sample, torch.stack(expected[name]))
    hooks.cleanup()
