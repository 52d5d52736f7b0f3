"""ASH / Hard ASH on inputs without units or with infinities, AGLU at ±inf (issue 12, item 9);
the input normalisation on huge rows, 1-d and 0-d inputs (issue 26)."""

import math

import pytest
import torch
import torch.nn.functional as F

from forgetless.activations import AGLU, aglu, ash, get_activation, hard_ash
from forgetless.activations.reference_inputs import normalize_input

INF = math.inf


@pytest.mark.parametrize("fn", [ash, hard_ash])
@pytest.mark.parametrize("shape, stat_dims", [((4, 0), None), ((2, 0, 3), (1,)), ((0,), None)])
def test_no_units_to_reduce_is_a_clear_value_error(fn, shape, stat_dims):
    with pytest.raises(ValueError, match=r"has no units along stat_dims .* mean and std"):
        fn(torch.zeros(shape), stat_dims=stat_dims)


@pytest.mark.parametrize("fn", [ash, hard_ash])
def test_an_empty_batch_is_fine(fn):
    assert fn(torch.zeros(0, 4)).shape == (0, 4)


@pytest.mark.parametrize("fn", [ash, hard_ash])
@pytest.mark.parametrize("bad", [INF, -INF])
def test_an_infinite_unit_makes_only_its_own_sample_nan(fn, bad):
    """Documented in forgetless.activations.ash: no finite mean/std, so that sample is NaN."""
    x = torch.tensor([[1.0, bad, 0.0], [1.0, 2.0, 3.0]])
    y = fn(x)
    assert torch.isnan(y[0]).all()
    assert torch.equal(y[1], fn(x[1:])[0])


def test_aglu_at_infinity_takes_its_limits():
    x = torch.tensor([-INF, INF, -1e30, 0.0, 2.0])
    y = aglu(x)
    assert y[0].item() == 0.0 and y[1].item() == INF and y[2].item() == 0.0
    assert torch.allclose(y[3:], x[3:] * torch.sigmoid(x[3:]))  # kappa = lam = 1: SiLU
    assert aglu(torch.tensor([-INF]), kappa=-1.0).item() == -INF  # gate -> 1: the limit is -inf
    module = AGLU(1, kappa=2.0, lam=0.3)
    out = module(torch.tensor([-INF, 1.0]))
    assert out[0].item() == 0.0 and torch.isfinite(out).all()


# Issue 26: the input normalisation of the registry defaults, 1-d and 0-d inputs.
NORMALISED = ["elephant", "ash", "hard_ash", "learnable_elephant"]


@pytest.mark.parametrize("name", NORMALISED)
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["fp32", "bf16"])
def test_a_huge_finite_row_is_standardised_not_nan(name, dtype):
    """A row of ±1e30 overflowed layer_norm's variance: it is scaled by its max |x| first."""
    huge = torch.tensor([[1e30, -1e30, 5e29, 0.0], [0.1, -0.2, 0.3, 0.0]], dtype=dtype)
    module = get_activation(name)
    x = huge.clone().requires_grad_()
    y = module(x)
    assert torch.isfinite(y).all()
    y.sum().backward()
    assert torch.isfinite(x.grad).all()
    # The huge row gives exactly what its scaled-down copy gives (layer_norm of x / max|x|).
    scaled = huge[:1] / huge[:1].abs().amax()
    assert torch.equal(y[:1].detach(), module(scaled).detach())
    assert torch.equal(y[1:].detach(), module(huge[1:]).detach())


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.bfloat16])
def test_ordinary_rows_are_normalised_bit_identically(dtype):
    x = (torch.randn(16, 3, 5, generator=torch.Generator().manual_seed(0)) * 50).to(dtype)
    a, b = x.clone().requires_grad_(), x.clone().requires_grad_()
    y, expected = normalize_input(a), F.layer_norm(b, b.shape[1:])
    assert torch.equal(y, expected)
    g = torch.randn(y.shape, generator=torch.Generator().manual_seed(1)).to(dtype)
    y.backward(g)
    expected.backward(g)
    assert torch.equal(a.grad, b.grad)


@pytest.mark.parametrize("name", NORMALISED)
def test_a_1d_input_is_one_sample(name):
    x = torch.tensor([0.3, -1.2, 2.0, 0.1, -0.4])
    module = get_activation(name)
    y = module(x)
    assert y.shape == x.shape
    assert torch.equal(y, module(x[None])[0])


@pytest.mark.parametrize("name", NORMALISED)
def test_a_0d_input_is_refused_in_one_line_naming_the_activation(name):
    with pytest.raises(ValueError, match=rf"^{name}: .*\(units,\), got a 0-d tensor$") as refused:
        get_activation(name)(torch.tensor(0.5))
    assert "\n" not in str(refused.value)
