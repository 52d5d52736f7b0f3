"""Hard ASH's fused bf16 gradient against the float64 reference from the same bf16 inputs.

Away from the kinks (x ∈ {0, 2}, v ∈ {0, 6}) the fused gradient must equal the float64 one up
to bf16 rounding of the result; at a kink it must equal one of the two one-sided derivatives
(``hard_ash_kinks.py`` beside this file explains why either is right).
"""

from functools import partial

import pytest
import torch

pytest.importorskip("triton")
pytestmark = pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")

from hard_ash_kinks import hard_ash_gradient_check, hard_ash_kinks, reference_gradient  # noqa: E402
from kernel_checks import random_input  # noqa: E402

from forgetless.activations.ash import _mean_and_std, hard_ash_reference  # noqa: E402
from forgetless.kernels import ash  # noqa: E402

fused = partial(ash.fused_hard_ash, hard_ash_reference)
ALPHA = 3.0
# bf16 rounding of the result: < 1 ulp (the interpreter truncates, a GPU rounds to nearest), an
# ulp being at most 2^-7 of the value; atol for the fp32 kernel's cancellation near 0.
BF16_RTOL, BF16_ATOL = 2.0**-7, 1e-4


def _fused_gradient(x: torch.Tensor, dy: torch.Tensor, z_k: float) -> torch.Tensor:
    leaf = x.detach().clone().requires_grad_()
    fused(leaf, ALPHA, z_k, None).backward(dy)
    return leaf.grad


def _close(got: torch.Tensor, ref: torch.Tensor) -> torch.Tensor:
    return (got.double() - ref).abs() <= BF16_ATOL + BF16_RTOL * ref.abs()


def test_away_from_the_kinks_the_bf16_gradient_is_the_float64_one_rounded():
    x = random_input((6, 300), torch.bfloat16, scale=1.5, seed=3)
    x[(x == 0) | (x == 2)] = 1.0  # no exact x kink
    dy = random_input(x.shape, torch.bfloat16, seed=4)
    at_x, near_v, _ = hard_ash_kinks(x, ALPHA, 0.5)
    assert not at_x.any() and not near_v.any()
    got, ref = _fused_gradient(x, dy, 0.5), reference_gradient(x, dy, ALPHA, 0.5)
    assert _close(got, ref).all(), (got.double() - ref).abs().max()
    # Not vacuous: a kernel that dropped the (small, 1/M) gradient through μ and σ would fail.
    assert not _close(_gradient_with_detached_statistics(x, dy, 0.5), ref).all()


def _gradient_with_detached_statistics(x, dy, z_k):
    wide = x.double().requires_grad_()
    mu, sigma = (t.detach() for t in _mean_and_std(wide, (1,)))
    gate = (ALPHA * (wide - mu - z_k * sigma) + 3.0).clamp(0.0, 6.0) / 6.0
    (wide.clamp(0.0, 2.0) * gate).backward(dy.double())
    return wide.grad.to(torch.bfloat16)


def test_exact_x_kinks_take_a_one_sided_derivative_and_their_neighbours_are_exact():
    x = random_input((4, 64), torch.bfloat16, scale=1.5, seed=5)
    x[(x == 0) | (x == 2)] = 1.0  # kinks only where placed below
    below, above = torch.tensor([2.0, 2.0], dtype=torch.bfloat16).nextafter(
        torch.tensor([0.0, 4.0], dtype=torch.bfloat16)
    )
    x[:, :4] = torch.tensor([0.0, 2.0, below.item(), above.item()], dtype=torch.bfloat16)
    dy = random_input(x.shape, torch.bfloat16, seed=6).abs() + 0.5  # dy·gate clearly non-zero
    got = _fused_gradient(x, dy, 0.5).double()
    ref = reference_gradient(x, dy, ALPHA, 0.5)
    at_x, near_v, gate = hard_ash_kinks(x, ALPHA, 0.5)
    assert at_x[:, :2].all() and not at_x[:, 2:].any() and not near_v.any()
    assert (gate[:, :2] > 0.05).all()  # the two one-sided derivatives differ by dy·gate
    assert _close(got[~at_x], ref[~at_x]).all()  # 2 ± one bf16 ulp: no kink, exact
    # The one-sided derivatives: the float64 reference a hair to either side of each kink.
    left = reference_gradient(x.double() - 1e-9 * at_x, dy, ALPHA, 0.5)
    right = reference_gradient(x.double() + 1e-9 * at_x, dy, ALPHA, 0.5)
    assert (_close(got, left) | _close(got, right))[at_x].all()
    assert not _close(left, right)[at_x].any()
    check = hard_ash_gradient_check(x, dy, got, ALPHA, 0.5, rtol=BF16_RTOL, atol=BF16_ATOL)
    assert check.checked.all() and check.failures == 0
    wrong = got.clone()
    wrong[0, 10] += 0.1  # one element off by more than bf16 rounding: caught
    assert (
        hard_ash_gradient_check(x, dy, wrong, ALPHA, 0.5, rtol=BF16_RTOL, atol=BF16_ATOL).failures
        == 1
    )


def test_a_v_kink_row_takes_one_of_the_two_one_sided_gradients():
    x = random_input((3, 200), torch.bfloat16, scale=1.5, seed=7)
    dy = random_input(x.shape, torch.bfloat16, seed=8)
    row, unit = 1, int(x[1].argmax())
    mu, sigma = _mean_and_std(x.double(), (1,))
    # z_k that puts v = α(x − μ − z_k σ) + 3 of (row, unit) on 0, rounded to fp32 as the kernel
    # receives it: v is then within ~1e-7 of the kink, where fp32 and fp64 may disagree.
    z_k = ((x[row, unit] - mu[row, 0] + 3.0 / ALPHA) / sigma[row, 0]).float().item()
    at_x, near_v, _ = hard_ash_kinks(x, ALPHA, z_k)
    assert near_v[row, unit] and near_v.sum() == 1 and not at_x.any()
    got = _fused_gradient(x, dy, z_k).double()
    left = reference_gradient(x, dy, ALPHA, z_k + 1e-5)  # v just below 0: a_j = 0
    right = reference_gradient(x, dy, ALPHA, z_k - 1e-5)  # v just above 0: a_j counts
    assert not _close(left[row], right[row]).all()  # the sides differ beyond bf16 rounding
    assert _close(got[row], left[row]).all() or _close(got[row], right[row]).all()
    others = torch.arange(3) != row
    ref = reference_gradient(x, dy, ALPHA, z_k)
    assert _close(got[others], ref[others]).all()
    check = hard_ash_gradient_check(x, dy, got, ALPHA, z_k, rtol=BF16_RTOL, atol=BF16_ATOL)
    assert not check.checked[row].any() and check.checked[others].all()
    assert check.failures == 0
