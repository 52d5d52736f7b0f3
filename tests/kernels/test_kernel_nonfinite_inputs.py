"""Fused kernels (interpreted) give the references' answer on NaN / ±inf and on huge rows:
Hard ASH keeps a NaN sample NaN, AGLU at −inf takes its limit 0, APA's λ gradient stays NaN
when the input holds NaN, and the registry defaults keep a finite ±1e30 row finite (issue 26)."""

import math
from functools import partial

import pytest
import torch

pytest.importorskip("triton")
pytestmark = pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")

import forgetless.kernels.dispatch as dispatch_module  # noqa: E402
from forgetless.activations import get_activation  # noqa: E402
from forgetless.activations.apa import aglu_reference, apa_reference  # noqa: E402
from forgetless.activations.ash import ash_reference, hard_ash_reference  # noqa: E402
from forgetless.kernels import _ash_long_rows, ash  # noqa: E402
from forgetless.kernels import apa as apa_kernels  # noqa: E402

NAN, INF = math.nan, math.inf
ASH_OPS = {
    "ash": (partial(ash.fused_ash, ash_reference), ash_reference),
    "hard_ash": (partial(ash.fused_hard_ash, hard_ash_reference), hard_ash_reference),
}
APA_OPS = {
    "apa": (partial(apa_kernels.fused_apa, apa_reference), apa_reference),
    "aglu": (partial(apa_kernels.fused_aglu, aglu_reference), aglu_reference),
}


@pytest.fixture(params=["on_chip", "long_rows"])
def row_kernel(request, monkeypatch):
    if request.param == "long_rows":  # rows of 6 units through the chunked kernels
        monkeypatch.setattr(ash, "ON_CHIP_MAX_ROW", 4)
        monkeypatch.setattr(_ash_long_rows, "LONG_ROW_BLOCK", 4)
    return request.param


@pytest.mark.parametrize("name", list(ASH_OPS))
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["fp32", "bf16"])
def test_a_sample_with_nan_or_inf_is_nan_like_the_reference(name, dtype, row_kernel):
    fused, reference = ASH_OPS[name]
    x = torch.tensor(
        [[1.0, NAN, 0.0, 3.0, 0.5, -1.0], [1.0, INF, 0.0, 3.0, 0.5, -1.0],
         [1.0, -INF, 0.0, 3.0, 0.5, -1.0], [0.1, 0.2, 0.9, -0.3, 1.5, 2.5]],
        dtype=dtype,
    )  # fmt: skip
    for z_k in (0.0, 2.3):
        y, expected = fused(x, 3.0, z_k), reference(x, 3.0, z_k)
        assert torch.isnan(y[:3]).all() and torch.isnan(expected[:3]).all()
        torch.testing.assert_close(y[3], expected[3], atol=2e-2, rtol=2e-2)
    a, b = x.clone().requires_grad_(), x.clone().requires_grad_()
    fused(a, 3.0, 0.0).sum().backward()
    reference(b, 3.0, 0.0).sum().backward()
    assert torch.isnan(a.grad[:3]).any(dim=1).all() and torch.isfinite(a.grad[3]).all()


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["fp32", "bf16"])
def test_aglu_at_minus_infinity_is_its_limit_zero(dtype):
    fused, reference = APA_OPS["aglu"]
    x = torch.tensor([-INF, -1e30, -3.0, 0.5, 2.0, INF], dtype=dtype)
    kappa, lam = torch.ones(()), torch.full((), 0.7)
    a, b = x.clone().requires_grad_(), x.clone().requires_grad_()
    y, expected = fused(a, kappa, lam, -1), reference(b, kappa, lam, -1)
    assert y[0].item() == 0.0 and not torch.signbit(y[0]) and y[-1].item() == INF
    torch.testing.assert_close(y, expected, atol=2e-2, rtol=2e-2)
    y.sum().backward()
    expected.sum().backward()
    assert a.grad[0].item() == 0.0 == b.grad[0].item()
    torch.testing.assert_close(a.grad, b.grad, atol=3e-2, rtol=3e-2, equal_nan=True)  # +inf: NaN
    flipped = fused(torch.tensor([-INF], dtype=dtype), -torch.ones(()), torch.ones(()), -1)
    assert flipped.item() == -INF  # κ < 0: the gate tends to 1, the limit is −inf


@pytest.mark.parametrize("name", list(APA_OPS))
def test_parameter_gradients_are_nan_when_the_input_holds_nan(name):
    fused, reference = APA_OPS[name]
    x = torch.tensor([[0.5, NAN, 1.0], [0.2, -0.3, 0.4]])
    grads = []
    for fn in (fused, reference):
        kappa = torch.ones((), requires_grad=True)
        lam = torch.full((), 0.7, requires_grad=True)
        fn(x, kappa, lam, -1).sum().backward()
        grads.append((kappa.grad, lam.grad))
    (fused_kappa, fused_lam), (ref_kappa, ref_lam) = grads
    assert torch.isnan(ref_lam) and torch.isnan(fused_lam)
    assert torch.isnan(ref_kappa) and torch.isnan(fused_kappa)


@pytest.fixture
def fused_on_cpu(monkeypatch):
    """Route the public functionals to the kernels on CPU tensors, as on a GPU."""
    monkeypatch.setattr(dispatch_module, "can_fuse", lambda *t: dispatch_module.kernels_enabled())


@pytest.mark.parametrize("name", ["elephant", "ash", "hard_ash", "learnable_elephant"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["fp32", "bf16"])
def test_registry_defaults_keep_a_huge_finite_row_finite(name, dtype, fused_on_cpu):
    x = torch.tensor([[1e30, -1e30, 5e29, 0.0], [0.1, -0.2, 0.3, 0.0]], dtype=dtype)
    module = get_activation(name)
    fused = x.clone().requires_grad_()
    y = module(fused)
    y.sum().backward()
    assert torch.isfinite(y).all() and torch.isfinite(fused.grad).all()
    dispatch_module.can_fuse = lambda *t: False  # (monkeypatch restores it) the reference
    tol = {"atol": 2e-2, "rtol": 2e-2}
    torch.testing.assert_close(y, module(x), **tol)
