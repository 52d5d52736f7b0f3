"""The eager autograd.Function path and the torch.library ops launch the same kernels: their
values and gradients are bit-identical, and the eager path needs no dispatcher round trip."""

import pytest
import torch

pytest.importorskip("triton")
pytestmark = pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")

from kernel_checks import random_input  # noqa: E402

from forgetless.kernels import _launch, apa, ash, elephant, learnable_elephant  # noqa: E402
from forgetless.kernels import tempered_sigmoid as ts  # noqa: E402

UNITS = 24
# (op, extra constants, parameter tensors?) with the arguments the fused functions pass.
CASES = {
    "elephant": (elephant.elephant_op, (0.75, 4.0), False),
    "elephant_d2.5": (elephant.elephant_op, (0.5, 2.5), False),
    "tempered_sigmoid": (ts.tempered_sigmoid_op, (2.0, 2.0, 1.0), False),
    "ash": (ash.ash_op, (3.0, 0.5, UNITS), False),
    "hard_ash": (ash.hard_ash_op, (3.0, 0.5, UNITS), False),
    "learnable_elephant": (learnable_elephant.learnable_elephant_op, (4.0, 1), True),
    "apa": (apa.apa_op, (1,), True),
    "aglu": (apa.aglu_op, (1,), True),
}


def _run(op, x, params, constants):
    leaves = [t.detach().clone().requires_grad_() for t in (x, *params)]
    y = op(*leaves, *constants)
    dy = random_input(y.shape, y.dtype, seed=9)
    return [y.detach(), *torch.autograd.grad(y, leaves, dy)]


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["fp32", "bf16"])
@pytest.mark.parametrize("name", list(CASES))
def test_eager_path_equals_the_library_op_bit_for_bit(name, dtype):
    op, constants, has_params = CASES[name]
    x = random_input((5, UNITS), dtype, scale=1.5, seed=1)
    params = []
    if has_params:
        params = [torch.linspace(0.6, 1.3, UNITS), torch.linspace(0.5, 1.5, UNITS)]
    eager = _run(op, x, params, constants)
    library = _run(op.library_op, x, params, constants)
    for a, b in zip(eager, library, strict=True):
        assert a.dtype == b.dtype and torch.equal(a, b)


def test_eager_path_builds_a_plain_autograd_node_and_launches_directly(monkeypatch):
    wrapped = []
    real = _launch.wrap_triton
    monkeypatch.setattr(_launch, "wrap_triton", lambda k: wrapped.append(k) or real(k))
    x = random_input((7,), torch.float32).requires_grad_()
    y = elephant.elephant_op(x, 1.0, 4.0)
    y.sum().backward()
    assert type(y.grad_fn).__name__ == "forgetless_elephantBackward"
    assert wrapped == []  # neither the forward nor the backward went through wrap_triton
    y = elephant.elephant_op.library_op(x, 1.0, 4.0)
    assert len(wrapped) == 1 and "forgetless" in type(y.grad_fn).__name__.lower()
