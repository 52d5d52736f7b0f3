"""Fused ASH / Hard ASH row kernels against their references (gradient through mu and sigma)."""

from functools import partial

import pytest
import torch

pytest.importorskip("triton")
pytestmark = pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")

from kernel_checks import compare_with_reference, random_input  # noqa: E402

from forgetless.activations.ash import ash_reference, hard_ash_reference  # noqa: E402
from forgetless.kernels import _ash_long_rows, ash  # noqa: E402
from forgetless.kernels.ash import row_length  # noqa: E402

# dispatch hands every fused function its reference (run for unsupported calls); so do the tests.
fused_hard_ash = partial(ash.fused_hard_ash, hard_ash_reference)
OPS = {
    "ash": (partial(ash.fused_ash, ash_reference), ash_reference),
    "hard_ash": (fused_hard_ash, hard_ash_reference),
}
# z_k = 0.5 so that a fair share of units is active in small rows (the default 2.3 keeps ~1 %).
PARAMS = (3.0, 0.5)


def _call(fn, stat_dims=None, params=PARAMS):
    return lambda x: fn(x, *params, stat_dims)


@pytest.mark.parametrize("name", list(OPS))
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["fp32", "bf16"])
@pytest.mark.parametrize(
    "shape,stat_dims",
    [
        ((3, 1000), None),  # 1000-unit rows (not a power of two), one row per program
        ((5, 7), None),  # many short rows per program
        ((1023,), None),  # 1-D input: one sample
        ((2, 3, 4, 5), None),  # all dims but the batch dim
        ((2, 3, 4, 5), (3,)),  # last dim
        ((2, 3, 4, 5), (2, -1)),  # trailing block
        ((4, 1), None),  # one unit per row (sigma = 0)
    ],
    ids=str,
)
def test_matches_reference(name, dtype, shape, stat_dims):
    fused, ref = OPS[name]
    x = random_input(shape, dtype, scale=1.5)
    compare_with_reference(_call(fused, stat_dims), _call(ref, stat_dims), [x])


@pytest.mark.parametrize("name", list(OPS))
def test_float16(name):
    fused, ref = OPS[name]
    x = random_input((3, 100), torch.float16, scale=1.5)
    compare_with_reference(_call(fused), _call(ref), [x])


@pytest.mark.parametrize("name", list(OPS))
def test_default_hyperparameters(name):
    fused, ref = OPS[name]
    compare_with_reference(fused, ref, [random_input((4, 300), torch.float32, scale=1.5)])


@pytest.mark.parametrize("name", list(OPS))
def test_float64_gradcheck_through_mu_and_sigma(name):
    fused, ref = OPS[name]
    x = random_input((3, 9), torch.float64, scale=1.5).requires_grad_()
    assert torch.autograd.gradcheck(_call(fused), (x,))
    compare_with_reference(_call(fused), _call(ref), [x])


@pytest.mark.parametrize("name", list(OPS))
def test_non_contiguous_input(name):
    fused, ref = OPS[name]
    base = random_input((20, 6), torch.float32, scale=1.5)
    for view in (base.t(), base[:, ::2]):
        assert not view.is_contiguous()
        compare_with_reference(_call(fused), _call(ref), [view])


@pytest.mark.parametrize("name", list(OPS))
def test_constant_rows_and_extreme_inputs_stay_finite(name):
    fused, ref = OPS[name]
    x = torch.tensor(
        [[1e30, -1e30, 0.0, 3.0, 1e-30], [2.0, 2.0, 2.0, 2.0, 2.0], [3e38, 1.0, -3e38, 0.0, 5.0]],
        requires_grad=True,
    )
    y = _call(fused)(x)
    y.sum().backward()
    assert torch.isfinite(y).all() and torch.isfinite(x.grad).all()
    torch.testing.assert_close(y, _call(ref)(x.detach()))


@pytest.mark.parametrize("name", list(OPS))
def test_unsupported_layouts_fall_back_to_the_reference(name):
    fused, ref = OPS[name]
    x = random_input((2, 3, 4), torch.float32)
    assert row_length(x, (1,)) is None  # not a trailing block of dims
    torch.testing.assert_close(_call(fused, (1,))(x), _call(ref, (1,))(x))
    with pytest.raises(ValueError, match="stat_dims"):
        _call(fused, (0,))(x)  # the reference's own error for the batch dim


@pytest.fixture
def long_rows(monkeypatch):
    """Shrink the on-chip limit and the chunk so small rows take the chunked long-row kernels."""
    monkeypatch.setattr(ash, "ON_CHIP_MAX_ROW", 16)
    monkeypatch.setattr(_ash_long_rows, "LONG_ROW_BLOCK", 8)


@pytest.mark.parametrize("name", list(OPS))
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["fp32", "bf16"])
def test_long_rows_match_reference(name, dtype, long_rows):
    fused, ref = OPS[name]
    x = random_input((3, 2, 5, 5), dtype, scale=1.5)  # rows of 50 units: 7 chunks, the last partial
    compare_with_reference(_call(fused), _call(ref), [x])


@pytest.mark.parametrize("name", list(OPS))
def test_long_rows_float64_gradcheck_and_extremes(name, long_rows):
    fused, ref = OPS[name]
    x = random_input((1, 21), torch.float64, scale=1.5).requires_grad_()
    # fast_mode: the interpreter runs the chunk loops in Python; it still checks the full
    # Jacobian against finite differences along random directions.
    assert torch.autograd.gradcheck(_call(fused), (x,), fast_mode=True)
    compare_with_reference(_call(fused), _call(ref), [x])
    wild = torch.tensor([[1e30, -1e30] + [0.5] * 15, [3e38] + [2.0] * 16], requires_grad=True)
    y = _call(fused)(wild)
    y.sum().backward()
    assert torch.isfinite(y).all() and torch.isfinite(wild.grad).all()
    torch.testing.assert_close(y, _call(ref)(wild.detach()))


@pytest.mark.parametrize("name", list(OPS))
def test_empty_input(name):
    fused, _ = OPS[name]
    x = torch.empty(0, 5, requires_grad=True)
    y = _call(fused)(x)
    assert y.shape == (0, 5)
    y.sum().backward()
    assert x.grad.shape == (0, 5)


def test_hard_ash_is_sparse_and_bounded():
    x = random_input((4, 500), torch.float32, scale=1.5)
    y = fused_hard_ash(x)
    assert y.min().item() >= 0.0 and y.max().item() <= 2.0
    assert (y == 0).float().mean().item() > 0.9  # z_k = 2.3 keeps about the top 1 %


@pytest.mark.parametrize("ndim", [1, 2, 4])
@pytest.mark.parametrize(
    "stat_dims", [None, 1, -1, (1,), (2, 3), [3, 2], (0,), (1, 1), (), (5,), (True,), "1"], ids=str
)
def test_stat_dims_are_read_exactly_as_the_reference_reads_them(ndim, stat_dims):
    from forgetless.activations.ash import resolve_stat_dims

    ours = ash._statistic_dims(ndim, stat_dims)
    try:
        theirs = resolve_stat_dims("ash", ndim, stat_dims)
    except ValueError:
        theirs = None
    assert ours == theirs
