"""ASH / Hard ASH on inputs without units or with infinities, AGLU at ±inf (issue 12, item 9)."""

import math

import pytest
import torch

from forgetless.activations import AGLU, aglu, ash, hard_ash

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
