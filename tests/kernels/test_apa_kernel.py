"""Fused APA / AGLU and learnable elephant (per-channel parameters) against their references."""

from functools import partial

import pytest
import torch

pytest.importorskip("triton")
pytestmark = pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")

from kernel_checks import compare_with_reference, random_input  # noqa: E402

import forgetless.kernels._channels as channels  # noqa: E402
from forgetless.activations.apa import LAM_MIN, aglu_reference, apa_reference  # noqa: E402
from forgetless.activations.learnable_elephant import learnable_elephant_reference  # noqa: E402
from forgetless.kernels import apa as apa_kernels  # noqa: E402
from forgetless.kernels import learnable_elephant  # noqa: E402

# dispatch hands every fused function its reference (run for unsupported calls); so do the tests.
fused_apa = partial(apa_kernels.fused_apa, apa_reference)
fused_aglu = partial(apa_kernels.fused_aglu, aglu_reference)
fused_learnable_elephant = partial(
    learnable_elephant.fused_learnable_elephant, learnable_elephant_reference
)
OPS = {
    "apa": (fused_apa, apa_reference),
    "aglu": (fused_aglu, aglu_reference),
    "learnable_elephant": (fused_learnable_elephant, learnable_elephant_reference),
}
# (shape, channel_dim, per-channel?): Linear output, conv map with inner >= 512 (per-row
# tiling, two column blocks), channels last, 1-D with one-element parameters, odd sizes.
LAYOUTS = [
    ((6, 5), 1, True),
    ((1, 2, 2100), 1, True),
    ((2, 3, 4, 5), -1, True),
    ((1023,), 0, False),
    ((3, 7, 11), 1, False),
    ((1,), 0, False),
]


def _params(name, channels, dtype=torch.float32, seed=1):
    gen = torch.Generator().manual_seed(seed)
    first = torch.randn(channels, generator=gen, dtype=torch.float64)
    second = torch.randn(channels, generator=gen, dtype=torch.float64)
    if name == "learnable_elephant":  # log_sigma, log_h
        return [(0.3 * first).to(dtype), (0.3 * second).to(dtype)]
    return [(1.0 + 0.3 * first).to(dtype), (0.3 + second.abs()).to(dtype)]  # kappa, lam > 0


def _call(name, fused_or_ref, channel_dim, d=4.0):
    if name == "learnable_elephant":
        return lambda x, p, q: fused_or_ref(x, p, q, d, channel_dim)
    return lambda x, p, q: fused_or_ref(x, p, q, channel_dim)


@pytest.mark.parametrize("name", list(OPS))
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["fp32", "bf16"])
@pytest.mark.parametrize("shape,channel_dim,per_channel", LAYOUTS, ids=str)
def test_matches_reference_values_and_all_gradients(name, dtype, shape, channel_dim, per_channel):
    fused, ref = OPS[name]
    n_params = shape[channel_dim] if per_channel else 1
    x = random_input(shape, dtype, scale=2.0)
    # Parameter gradients sum many bf16-rounded terms in a different order: looser there.
    tol = {"atol": 1e-3, "rtol": 1e-3} if dtype == torch.bfloat16 else None
    compare_with_reference(
        _call(name, fused, channel_dim),
        _call(name, ref, channel_dim),
        [x, *_params(name, n_params)],
        param_tol=tol,
    )


@pytest.mark.parametrize("name", list(OPS))
def test_float64_gradcheck_through_x_and_parameters(name):
    fused, ref = OPS[name]
    x = random_input((3, 4, 5), torch.float64, scale=2.0).requires_grad_()
    params = [p.requires_grad_() for p in _params(name, 4, torch.float64)]
    assert torch.autograd.gradcheck(_call(name, fused, 1), (x, *params))
    compare_with_reference(_call(name, fused, 1), _call(name, ref, 1), [x, *params])


@pytest.mark.parametrize("name", list(OPS))
def test_non_contiguous_input(name):
    fused, ref = OPS[name]
    base = random_input((5, 12), torch.float32, scale=2.0)
    view = base.t()[::2]  # (6, 5), channels along dim 1
    assert not view.is_contiguous()
    compare_with_reference(_call(name, fused, 1), _call(name, ref, 1), [view, *_params(name, 5)])


@pytest.mark.parametrize("name", list(OPS))
def test_strided_row_loop_of_the_reduction(name, monkeypatch):
    # Few programs and small tiles force each program to walk several row blocks.
    monkeypatch.setattr(channels, "TARGET_PROGRAMS", 2)
    monkeypatch.setattr(channels, "TILE_ELEMENTS", 64)
    tiles = channels.reduction_tiles(channels.ChannelLayout(50, 8, 1))
    assert not tiles.per_row and tiles.row_programs == 2 and tiles.block_rows == 8
    fused, ref = OPS[name]
    x = random_input((50, 8), torch.float32, scale=2.0)
    compare_with_reference(_call(name, fused, 1), _call(name, ref, 1), [x, *_params(name, 8)])


@pytest.mark.parametrize("name", list(OPS))
def test_parameter_gradients_are_deterministic(name):
    fused, _ = OPS[name]
    x = random_input((1, 3, 700), torch.float32, scale=2.0)
    grads = []
    for _ in range(2):
        params = [p.requires_grad_() for p in _params(name, 3)]
        _call(name, fused, 1)(x, *params).square().sum().backward()
        grads.append([p.grad for p in params])
    for first, second in zip(*grads, strict=True):
        assert torch.equal(first, second)


@pytest.mark.parametrize("name", list(OPS))
def test_empty_input(name):
    fused, _ = OPS[name]
    x = torch.empty(0, 3, requires_grad=True)
    params = [p.requires_grad_() for p in _params(name, 3)]
    y = _call(name, fused, 1)(x, *params)
    assert y.shape == (0, 3)
    y.sum().backward()
    assert x.grad.shape == (0, 3)


@pytest.mark.parametrize("name", list(OPS))
def test_extreme_inputs_stay_finite(name):
    fused, ref = OPS[name]
    x = torch.tensor([[1e30, -1e30, 3e38, -3e38, 0.0, 1e-30]], requires_grad=True)
    params = [p.requires_grad_() for p in _params(name, 1)]
    y = _call(name, fused, 1)(x, *params)
    y.sum().backward()
    assert torch.isfinite(y).all() and torch.isfinite(x.grad).all()
    assert all(torch.isfinite(p.grad).all() for p in params)
    torch.testing.assert_close(y, _call(name, ref, 1)(x.detach(), *params))


def test_lambda_clamp_matches_the_reference_straight_through():
    assert apa_kernels.LAM_MIN == LAM_MIN
    x = random_input((4, 3), torch.float64, scale=2.0)
    kappa = torch.tensor([1.0, 0.5, 1.5], dtype=torch.float64)
    lam = torch.tensor([-0.5, 1e-5, 0.7], dtype=torch.float64)  # two below the clamp
    for fused, ref in (OPS["apa"], OPS["aglu"]):
        compare_with_reference(_call("apa", fused, 1), _call("apa", ref, 1), [x, kappa, lam])


def test_exact_lambda_gradient_has_both_terms():
    # METHODS.md: at z = 0.7, lam = 0.4, kappa = 1.1 a finite difference gives +0.039 for
    # AGLU = z * APA (the authors' one-term backward gives -0.447).
    z = torch.tensor([0.7], dtype=torch.float64)
    kappa = torch.tensor([1.1], dtype=torch.float64)
    lam = torch.tensor([0.4], dtype=torch.float64, requires_grad=True)
    fused_aglu(z, kappa, lam, 0).sum().backward()
    assert lam.grad.item() == pytest.approx(0.039, abs=1e-3)
    h = 1e-6
    with torch.no_grad():
        up = fused_aglu(z, kappa, lam + h, 0) - fused_aglu(z, kappa, lam - h, 0)
    assert lam.grad.item() == pytest.approx(up.item() / (2 * h), rel=1e-6)


def test_python_number_parameters_and_silu_special_case():
    x = random_input((4, 6), torch.float32, scale=3.0).requires_grad_()
    y = fused_aglu(x, 1.0, 1.0)
    torch.testing.assert_close(y, torch.nn.functional.silu(x.detach()), atol=1e-6, rtol=1e-5)
    y.sum().backward()
    assert torch.isfinite(x.grad).all()


def test_mismatched_channels_fall_back_to_the_reference_error():
    x = random_input((4, 6), torch.float32)
    with pytest.raises(ValueError, match="kappa"):
        fused_apa(x, torch.ones(5), torch.ones(5), 1)


@pytest.mark.parametrize("name", list(OPS))
def test_half_input_with_half_parameters(name):
    # A model cast with .half() / .bfloat16(): parameters in the input's dtype too.
    fused, ref = OPS[name]
    for dtype in (torch.float16, torch.bfloat16):
        x = random_input((6, 5), dtype, scale=2.0)
        params = _params(name, 5, dtype)
        tol = {"atol": 2e-2, "rtol": 2e-2}  # gradients rounded to 8-11 bits
        compare_with_reference(
            _call(name, fused, 1), _call(name, ref, 1), [x, *params], param_tol=tol
        )


def test_learnable_elephant_fractional_power():
    # d = 2.5 takes the log-domain power (whole d in [1, 8] multiply); fp64 gradcheck and fp32.
    fused, ref = OPS["learnable_elephant"]
    x = random_input((3, 4), torch.float64, scale=2.0).requires_grad_()
    params = [p.requires_grad_() for p in _params("learnable_elephant", 4, torch.float64)]
    assert torch.autograd.gradcheck(_call("learnable_elephant", fused, 1, 2.5), (x, *params))
    x32 = random_input((5, 4), torch.float32, scale=2.0)
    compare_with_reference(
        _call("learnable_elephant", fused, 1, 2.5),
        _call("learnable_elephant", ref, 1, 2.5),
        [x32, *_params("learnable_elephant", 4)],
    )
