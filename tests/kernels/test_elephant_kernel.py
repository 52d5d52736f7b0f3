"""Fused elephant and tempered sigmoid (elementwise kernels) against their references."""

from functools import partial

import pytest
import torch

pytest.importorskip("triton")
# numpy (under the interpreter) warns about inf/NaN in branches that tl.where then discards.
pytestmark = pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")

from kernel_checks import compare_with_reference, random_input  # noqa: E402

from forgetless.activations.elephant import elephant_reference  # noqa: E402
from forgetless.activations.tempered_sigmoid import tempered_sigmoid_reference  # noqa: E402
from forgetless.kernels import elephant, tempered_sigmoid  # noqa: E402

# dispatch hands every fused function its reference (run for unsupported calls); so do the tests.
fused_elephant = partial(elephant.fused_elephant, elephant_reference)
fused_tempered_sigmoid = partial(
    tempered_sigmoid.fused_tempered_sigmoid, tempered_sigmoid_reference
)

# Hyperparameters are exact in fp32 (the kernels receive them as fp32 scalars, as on a GPU),
# so the fp64 runs compare exactly.
CASES = [
    (
        "elephant",
        lambda x: fused_elephant(x, 0.75, 4.0),
        lambda x: elephant_reference(x, 0.75, 4.0),
    ),
    (
        "elephant_d1",
        lambda x: fused_elephant(x, 2.0, 1.0),
        lambda x: elephant_reference(x, 2.0, 1.0),
    ),
    # A fractional d takes the log-domain power (whole d in [1, 8] multiply).
    (
        "elephant_d2.5",
        lambda x: fused_elephant(x, 0.5, 2.5),
        lambda x: elephant_reference(x, 0.5, 2.5),
    ),
    (
        "tempered_sigmoid",
        lambda x: fused_tempered_sigmoid(x, 2.0, 2.0, 1.0),
        lambda x: tempered_sigmoid_reference(x, 2.0, 2.0, 1.0),
    ),
    (
        "tempered_sigmoid_custom",
        lambda x: fused_tempered_sigmoid(x, 1.5, 0.5, 0.25),
        lambda x: tempered_sigmoid_reference(x, 1.5, 0.5, 0.25),
    ),
]
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize("name,fused,ref", CASES, ids=IDS)
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["fp32", "bf16"])
@pytest.mark.parametrize("shape", [(1,), (1023,), (3, 5, 7), (2049,)], ids=str)
def test_matches_reference(name, fused, ref, dtype, shape):
    compare_with_reference(fused, ref, [random_input(shape, dtype, scale=2.0)])


@pytest.mark.parametrize("name,fused,ref", CASES, ids=IDS)
def test_float16(name, fused, ref):
    compare_with_reference(fused, ref, [random_input((300,), torch.float16, scale=2.0)])


@pytest.mark.parametrize("name,fused,ref", CASES, ids=IDS)
def test_non_contiguous_input(name, fused, ref):
    base = random_input((12, 10), torch.float32, scale=2.0)
    for view in (base.t(), base[:, ::3], base[1::2]):
        assert not view.is_contiguous()
        compare_with_reference(fused, ref, [view])


@pytest.mark.parametrize("name,fused,ref", CASES, ids=IDS)
def test_empty_input(name, fused, ref):
    x = torch.empty(0, 4, requires_grad=True)
    y = fused(x)
    assert y.shape == (0, 4)
    y.sum().backward()
    assert x.grad.shape == (0, 4)


@pytest.mark.parametrize("name,fused,ref", CASES, ids=IDS)
def test_extreme_inputs_stay_finite(name, fused, ref):
    x = torch.tensor([1e30, -1e30, 3e38, -3e38, 0.0, 1e-30, -1e-38], requires_grad=True)
    y = fused(x)
    y.sum().backward()
    assert torch.isfinite(y).all() and torch.isfinite(x.grad).all()
    torch.testing.assert_close(y, ref(x.detach()))


def test_elephant_far_from_zero_is_zero_and_one_at_zero():
    x = torch.tensor([0.0, 1e30, -1e30], requires_grad=True)
    y = fused_elephant(x, 0.1, 4.0)
    y.sum().backward()
    assert y.tolist() == [1.0, 0.0, 0.0]
    assert x.grad.abs().max().item() == 0.0


def test_elephant_slope_formula_at_a_known_point():
    # d/dx 1/(1+x^4) at x = 1 (a = 1) is -4 * 1 / (1 + 1)^2 = -1.
    x = torch.tensor([1.0, -1.0], requires_grad=True)
    fused_elephant(x, 1.0, 4.0).sum().backward()
    torch.testing.assert_close(x.grad, torch.tensor([-1.0, 1.0]))


@pytest.mark.parametrize("name,fused,ref", CASES, ids=IDS)
def test_float64_gradcheck(name, fused, ref):
    # The interpreter runs fp64, and the kernels then compute in fp64 registers: an exact check.
    x = random_input((37,), torch.float64, scale=2.0).requires_grad_()
    assert torch.autograd.gradcheck(fused, (x,))
    compare_with_reference(fused, ref, [x])


def test_tensor_or_invalid_hyperparameters_use_the_reference_and_its_errors():
    x = random_input((5,), torch.float32)
    torch.testing.assert_close(
        fused_elephant(x, torch.tensor(0.5), 4.0), elephant_reference(x, torch.tensor(0.5), 4.0)
    )
    with pytest.raises(ValueError, match="d"):
        from forgetless.activations.elephant import elephant

        elephant(x, 1.0, 0.5)
