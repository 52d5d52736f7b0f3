import pytest
import torch

from forgetless.activations import ASH, HardASH, ash, ash_reference, hard_ash, hard_ash_reference

F64 = torch.float64


def by_hand(x: torch.Tensor, alpha: float, z_k: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Row-wise ASH and Hard ASH computed directly from the formulas."""
    mu = x.mean(dim=1, keepdim=True)
    sigma = x.var(dim=1, unbiased=False, keepdim=True).sqrt()
    arg = alpha * (x - mu - z_k * sigma)
    soft = x * torch.sigmoid(arg)
    hard = x.clamp(0, 2) * torch.nn.functional.relu6(arg + 3) / 6
    return soft, hard


def test_matches_the_formula_per_sample():
    x = torch.randn(4, 30, dtype=F64) * 2
    soft, hard = by_hand(x, 3.0, 2.3)
    assert torch.allclose(ash(x), soft, atol=1e-12)
    assert torch.allclose(hard_ash(x), hard, atol=1e-12)
    soft, hard = by_hand(x, 1.5, 0.5)
    assert torch.allclose(ASH(1.5, 0.5)(x), soft, atol=1e-12)
    assert torch.allclose(HardASH(1.5, 0.5)(x), hard, atol=1e-12)


def test_hard_ash_has_exact_zeros_and_stays_in_0_2():
    torch.manual_seed(0)
    x = torch.randn(16, 200) * 3
    y = hard_ash(x)
    assert (y >= 0).all() and (y <= 2).all()
    mu = x.mean(1, keepdim=True)
    sigma = x.var(1, unbiased=False, keepdim=True).sqrt()
    below = x < mu + 2.3 * sigma - 3 / 3.0
    assert below.any() and (y[below] == 0).all()
    assert (y == 0).float().mean() > 0.5  # sparse


def test_statistics_are_per_sample():
    x = torch.randn(3, 10, dtype=F64)
    changed = x.clone()
    changed[1] = changed[1] * 100 + 5
    for fn in (ash, hard_ash):
        a, b = fn(x), fn(changed)
        assert torch.equal(a[0], b[0]) and torch.equal(a[2], b[2])
        assert not torch.equal(a[1], b[1])


def test_conv_maps_default_to_all_of_c_h_w_and_stat_dims_1_is_per_position():
    x = torch.randn(2, 4, 3, 3, dtype=F64)
    flat = ash(x.reshape(2, -1)).reshape(2, 4, 3, 3)
    assert torch.allclose(ash(x), flat)
    per_position = ash(x, stat_dims=(1,))
    moved = x.permute(0, 2, 3, 1).reshape(-1, 4)
    assert torch.allclose(per_position, ash(moved).reshape(2, 3, 3, 4).permute(0, 3, 1, 2))


def test_gradients_flow_through_mu_and_sigma():
    x = torch.randn(2, 8, dtype=F64, requires_grad=True)
    ash(x)[0, 0].backward()
    assert (x.grad[0, 1:] != 0).all()  # other units of the same sample via mu and sigma
    assert (x.grad[1] == 0).all()


@pytest.mark.parametrize("fn", [ash_reference, hard_ash_reference])
@pytest.mark.parametrize("stat_dims", [None, (1,), (1, 2)])
def test_gradcheck(fn, stat_dims):
    x = torch.randn(3, 5, 4, dtype=F64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: fn(t, 3.0, 0.5, stat_dims), (x,))


@pytest.mark.parametrize("fn", [ash, hard_ash])
def test_constant_rows_and_single_units_stay_finite(fn):
    for x in (torch.full((2, 6), 1.5), torch.randn(4, 1), torch.zeros(3, 5)):
        x.requires_grad_()
        y = fn(x)
        y.sum().backward()
        assert torch.isfinite(y).all() and torch.isfinite(x.grad).all()
    # constant row: sigma ~ 0, so the threshold is the row's mean and the gate is one half
    assert torch.allclose(ash(torch.full((1, 4), 2.0)), torch.full((1, 4), 1.0))


def test_one_dim_input_is_one_sample():
    x = torch.randn(7, dtype=F64)
    assert torch.allclose(ash(x), ash(x[None])[0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"alpha": 0.0}, "alpha must be a finite number > 0"),
        ({"z_k": float("nan")}, "z_k must be a finite real number"),
        ({"stat_dims": (0,)}, "must not include dim 0"),
        ({"stat_dims": (3,)}, r"stat_dims entries must be ints in \[-2, 1\]"),
        ({"stat_dims": (1, 1)}, "non-empty and unique"),
    ],
)
def test_bad_parameters(kwargs, match):
    for fn in (ash, hard_ash):
        with pytest.raises(ValueError, match=match):
            fn(torch.randn(2, 3), **kwargs)


def test_module_rejects_bad_stat_dims_form():
    with pytest.raises(ValueError, match="stat_dims must be None or a tuple of ints"):
        ASH(stat_dims="channels")
    with pytest.raises(ValueError, match="alpha must be a finite number > 0"):
        HardASH(alpha=-1)
