import math

import pytest
import torch

from forgetless.activations import (
    Elephant,
    LearnableElephant,
    elephant,
    elephant_reference,
    learnable_elephant,
    learnable_elephant_reference,
)

F64 = torch.float64


def analytic_grad(x: torch.Tensor, a: float, d: float) -> torch.Tensor:
    r = (x / a).abs()
    return -(d / a) * torch.sign(x) * r ** (d - 1) / (1 + r**d) ** 2


def test_reference_values_at_hand_checked_points():
    x = torch.tensor([0.0, 0.5, -0.5, 1.0, 2.0], dtype=F64)
    y = elephant(x, a=0.5, d=4.0)
    # elephant(0) = 1, elephant(+-a) = 1/2, elephant(2a) = 1/17, elephant(4a) = 1/257
    assert torch.allclose(y, torch.tensor([1.0, 0.5, 0.5, 1 / 17, 1 / 257], dtype=F64))


def test_gradient_matches_closed_form_including_the_boundary():
    x = torch.tensor([-3.0, -1.0, -0.2, 0.3, 1.0, 2.5], dtype=F64, requires_grad=True)
    elephant(x, 1.0, 3.0).sum().backward()
    assert torch.allclose(x.grad, analytic_grad(x.detach(), 1.0, 3.0))


@pytest.mark.parametrize("d", [1.0, 1.5, 4.0])
def test_gradcheck_input(d):
    x = (torch.randn(4, 6, dtype=F64) * 2).requires_grad_()
    assert torch.autograd.gradcheck(lambda t: elephant_reference(t, 0.7, d), (x,))


def test_gradcheck_learnable_per_unit_and_shared():
    x = torch.randn(3, 5, 2, dtype=F64, requires_grad=True)
    log_sigma = (torch.randn(5, dtype=F64) * 0.3).requires_grad_()
    log_h = torch.randn(5, dtype=F64, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda a, b, c: learnable_elephant_reference(a, b, c, 4.0, 1), (x, log_sigma, log_h)
    )
    shared_sigma = torch.tensor([0.1], dtype=F64, requires_grad=True)
    shared_h = torch.tensor([0.2], dtype=F64, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda a, b, c: learnable_elephant_reference(a, b, c, 2.0, -1), (x, shared_sigma, shared_h)
    )


def test_learnable_equals_fixed_elephant_times_height():
    x = torch.randn(4, 3, dtype=F64)
    log_sigma = torch.log(torch.tensor([0.5, 1.0, 2.0], dtype=F64))
    log_h = torch.log(torch.tensor([1.0, 2.0, 3.0], dtype=F64))
    y = learnable_elephant(x, log_sigma, log_h, 4.0, 1)
    for unit, (a, h) in enumerate([(0.5, 1.0), (1.0, 2.0), (2.0, 3.0)]):
        assert torch.allclose(y[:, unit], h * elephant(x[:, unit], a, 4.0))


def test_huge_inputs_give_zero_with_zero_gradient():
    x = torch.tensor([1e30, -1e30, 3.0e38, -3.0e38], requires_grad=True)
    y = elephant(x, 0.02, 4.0)
    y.sum().backward()
    assert torch.equal(y, torch.zeros(4))
    assert torch.equal(x.grad.abs(), torch.zeros(4))


def test_learnable_huge_inputs_and_tiny_sigma_keep_parameter_gradients_finite():
    x = torch.tensor([[1e30, -3e38, 0.0, 1e-45]], requires_grad=True)
    module = LearnableElephant(4, sigma=1e-10)
    module(x).sum().backward()
    for grad in (x.grad, module.log_sigma.grad, module.log_h.grad):
        assert torch.isfinite(grad).all()
    assert module.log_h.grad[2] == pytest.approx(1.0)  # at x = 0 the output is h, dy/dlog_h = h


def test_module_uses_its_parameters_and_learns():
    module = LearnableElephant(3, sigma=0.5, h=2.0)
    assert torch.allclose(module.log_sigma, torch.full((3,), math.log(0.5)))
    assert torch.allclose(module(torch.zeros(2, 3)), torch.full((2, 3), 2.0))
    module(torch.randn(8, 3)).sum().backward()
    assert module.log_sigma.grad.abs().sum() > 0


def test_lazy_module_infers_units_on_first_forward():
    module = LearnableElephant(None, channel_dim=1)
    assert module.num_units is None
    out = module(torch.randn(2, 6, 4, 4))
    assert out.shape == (2, 6, 4, 4)
    assert module.num_units == 6 and module.log_h.shape == (6,)


def test_wrong_channel_count_names_the_parameter():
    with pytest.raises(ValueError, match="log_sigma has 3 entries but the input has 4"):
        LearnableElephant(3)(torch.randn(2, 4))


def test_dtype_is_preserved():
    for dtype in (torch.float16, torch.bfloat16, torch.float32, F64):
        assert elephant(torch.randn(5).to(dtype)).dtype == dtype
        assert LearnableElephant(5)(torch.randn(2, 5).to(dtype)).dtype == dtype


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"a": 0.0}, "a must be a finite number > 0"),
        ({"a": -1.0}, "a must be a finite number > 0"),
        ({"a": float("inf")}, "a must be a finite real number"),
        ({"d": 0.5}, "d must be a finite number >= 1"),
        ({"d": float("nan")}, "d must be a finite real number"),
    ],
)
def test_bad_parameters_are_rejected_by_name(kwargs, match):
    with pytest.raises(ValueError, match=match):
        elephant(torch.zeros(2), **kwargs)
    with pytest.raises(ValueError, match=match):
        Elephant(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"num_units": 0}, "num_units must be a positive int"),
        ({"num_units": 3, "sigma": 0.0}, "sigma must be a finite number > 0"),
        ({"num_units": 3, "h": -1.0}, "h must be a finite number > 0"),
        ({"num_units": 3, "d": 0.9}, "d must be a finite number >= 1"),
    ],
)
def test_learnable_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        LearnableElephant(**kwargs)


def test_integer_input_is_rejected():
    with pytest.raises(ValueError, match="x must be a floating-point"):
        elephant(torch.arange(3))
