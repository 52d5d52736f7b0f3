import pytest
import torch
import torch.nn.functional as F

from forgetless.activations import AGLU, APA, aglu, aglu_reference, apa, apa_reference

F64 = torch.float64


def test_kappa_lam_one_is_sigmoid_and_aglu_is_silu():
    x = torch.linspace(-10, 10, 201, dtype=F64)
    assert torch.allclose(apa(x, 1.0, 1.0), torch.sigmoid(x), atol=1e-14)
    assert torch.allclose(aglu(x, 1.0, 1.0), F.silu(x), atol=1e-14)
    assert torch.allclose(APA()(x[None].float()), torch.sigmoid(x[None].float()), atol=1e-6)
    assert torch.allclose(AGLU()(x[None].float()), F.silu(x[None].float()), atol=1e-6)


def test_matches_the_power_form_and_the_gumbel_limit():
    x = torch.linspace(-3, 3, 61, dtype=F64)
    kappa, lam = 1.3, 0.6
    power_form = (lam * torch.exp(-kappa * x) + 1) ** (-1 / lam)
    assert torch.allclose(apa(x, kappa, lam), power_form, atol=1e-12)
    gumbel = torch.exp(-torch.exp(-kappa * x))
    assert torch.allclose(apa(x, kappa, 1e-4), gumbel, atol=1e-3)


def test_per_channel_parameters_apply_along_channel_dim():
    x = torch.randn(2, 3, 4, dtype=F64)
    kappa = torch.tensor([0.5, 1.0, 2.0], dtype=F64)
    lam = torch.tensor([0.3, 1.0, 3.0], dtype=F64)
    y = apa(x, kappa, lam, channel_dim=1)
    for c in range(3):
        assert torch.allclose(y[:, c], apa(x[:, c], kappa[c].item(), lam[c].item()))
    last = apa(x.transpose(1, 2), kappa, lam, channel_dim=-1)
    assert torch.allclose(last, y.transpose(1, 2))


@pytest.mark.parametrize("fn", [apa_reference, aglu_reference])
def test_gradcheck_scalar_parameters(fn):
    x = torch.randn(3, 4, dtype=F64, requires_grad=True)
    kappa = torch.tensor([1.1], dtype=F64, requires_grad=True)
    lam = torch.tensor([0.4], dtype=F64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a, k, l: fn(a, k, l, 1), (x, kappa, lam))


@pytest.mark.parametrize("fn", [apa_reference, aglu_reference])
def test_gradcheck_per_channel_parameters(fn):
    x = torch.randn(2, 4, 3, dtype=F64, requires_grad=True)
    kappa = (torch.rand(4, dtype=F64) + 0.5).requires_grad_()
    lam = (torch.rand(4, dtype=F64) + 0.2).requires_grad_()
    assert torch.autograd.gradcheck(lambda a, k, l: fn(a, k, l, 1), (x, kappa, lam))


def lam_gradients(fn, z: float, kappa: float, lam: float) -> tuple[float, float]:
    """(autograd dfn/dlam, central finite difference) at one point, in float64."""
    zt = torch.tensor([z], dtype=F64)
    kt = torch.tensor([kappa], dtype=F64)
    lt = torch.tensor([lam], dtype=F64, requires_grad=True)
    fn(zt, kt, lt).sum().backward()
    h = 1e-6
    up = fn(zt, kt, torch.tensor([lam + h], dtype=F64)).item()
    down = fn(zt, kt, torch.tensor([lam - h], dtype=F64)).item()
    return lt.grad.item(), (up - down) / (2 * h)


def truncated_lam_gradient(z: float, kappa: float, lam: float) -> float:
    """The public code's backward: only the -p (1 - sigmoid(u)) / lam^2 term of dAPA/dlam."""
    u = torch.tensor(kappa * z, dtype=F64) - torch.log(torch.tensor(lam, dtype=F64))
    p = torch.exp(F.logsigmoid(u) / lam)
    return (-p * (1 - torch.sigmoid(u)) / lam**2).item()


def test_lam_gradient_is_exact_where_the_truncated_formula_is_not():
    z, kappa, lam = 0.7, 1.1, 0.4
    auto, finite_difference = lam_gradients(apa, z, kappa, lam)
    assert auto == pytest.approx(finite_difference, abs=1e-8)
    assert auto == pytest.approx(0.0558, abs=1e-3)
    truncated = truncated_lam_gradient(z, kappa, lam)
    assert abs(truncated - finite_difference) > 0.5  # -0.639: wrong sign and size
    # For AGLU = z * APA the same point gives METHODS.md's +0.039 (true) vs -0.447 (truncated).
    auto, finite_difference = lam_gradients(aglu, z, kappa, lam)
    assert auto == pytest.approx(finite_difference, abs=1e-8)
    assert auto == pytest.approx(0.039, abs=1e-3)
    assert z * truncated == pytest.approx(-0.447, abs=1e-3)


def test_lam_is_clamped_but_still_receives_gradient():
    x = torch.randn(5, 2, dtype=F64)
    lam = torch.tensor([-0.5], dtype=F64, requires_grad=True)
    y = apa(x, 1.0, lam)
    assert torch.allclose(y, apa(x, 1.0, 1e-4))
    y.sum().backward()
    assert torch.isfinite(lam.grad).all() and lam.grad.abs().sum() > 0


def test_modules_start_deterministic_and_expose_parameters():
    for cls in (APA, AGLU):
        module = cls(num_parameters=4, channel_dim=1)
        assert torch.equal(module.kappa, torch.ones(4)) and torch.equal(module.lam, torch.ones(4))
        assert module.no_weight_decay is True
        module(torch.randn(3, 4)).sum().backward()
        assert module.kappa.grad.shape == (4,) and module.lam.grad.shape == (4,)
    lazy = AGLU(num_parameters=None)
    lazy(torch.randn(2, 5, 3))
    assert lazy.num_parameters == 5


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lam": 0.0}, "lam must be a finite number > 0"),
        ({"lam": -1.0}, "lam must be a finite number > 0"),
        ({"kappa": float("nan")}, "kappa must be a finite real number"),
        ({"num_parameters": 0}, "num_parameters must be a positive int"),
    ],
)
def test_bad_init(kwargs, match):
    for cls in (APA, AGLU):
        with pytest.raises(ValueError, match=match):
            cls(**kwargs)


def test_channel_mismatch_and_bad_scalars_in_functionals():
    with pytest.raises(ValueError, match="kappa has 3 entries but the input has 4 channels"):
        aglu(torch.randn(2, 4), torch.ones(3), torch.ones(3))
    with pytest.raises(ValueError, match="lam must be a finite real number"):
        apa(torch.randn(2, 4), 1.0, float("inf"))


def test_lazy_module_loads_a_sized_state_dict():
    trained = AGLU(num_parameters=4)
    with torch.no_grad():
        trained.lam.fill_(0.3)
    fresh = AGLU(num_parameters=None)
    fresh.load_state_dict(trained.state_dict())
    assert fresh.num_parameters == 4 and torch.allclose(fresh.lam, torch.full((4,), 0.3))
