"""bf16 / fp16 input: every kernel reads and writes full-size tensors in the input dtype.

The kernels load in the input dtype and compute in fp32 registers; nothing full-size in fp32
may be written, neither by a kernel (arguments of every launch) nor on the host (no ``.float()``
copies: every aten op the fused forward and backward run is recorded). The only fp32 buffers
are the parameter-gradient partial sums, a few rows of programs, far smaller than x.
"""

import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode

pytest.importorskip("triton")

from forgetless.kernels import _channels, _launch, apa, ash, elephant, learnable_elephant  # noqa: E402
from forgetless.kernels import tempered_sigmoid as ts  # noqa: E402

ROWS, UNITS = 64, 48
OPS = {
    "elephant": (elephant.elephant_op, (1.0, 4.0), False),
    "tempered_sigmoid": (ts.tempered_sigmoid_op, (2.0, 2.0, 1.0), False),
    "ash": (ash.ash_op, (3.0, 2.3, UNITS), False),
    "hard_ash": (ash.hard_ash_op, (3.0, 2.3, UNITS), False),
    "learnable_elephant": (learnable_elephant.learnable_elephant_op, (4.0, 1), True),
    "apa": (apa.apa_op, (1,), True),
    "aglu": (apa.aglu_op, (1,), True),
}


class _Created(TorchDispatchMode):
    """Records (op, dtype, numel) of every tensor an aten op returns."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, torch.dtype, int]] = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for t in out if isinstance(out, (tuple, list)) else (out,):
            if isinstance(t, torch.Tensor):
                self.seen.append((str(func), t.dtype, t.numel()))
        return out


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16], ids=["bf16", "fp16"])
@pytest.mark.parametrize("name", list(OPS))
def test_full_size_tensors_stay_in_the_input_dtype(name, dtype, monkeypatch):
    op, constants, has_params = OPS[name]
    launched: list[tuple[torch.dtype, int]] = []

    def record(kernel, grid, *args, num_warps, **constexprs):
        launched.extend((a.dtype, a.numel()) for a in args if isinstance(a, torch.Tensor))

    for module in (_launch, ash, _channels):  # every launcher's module (no kernel runs)
        monkeypatch.setattr(module, "launch", record)
    x = torch.randn(ROWS, UNITS).to(dtype).requires_grad_()
    params = [torch.ones(UNITS, requires_grad=True) for _ in range(2 if has_params else 0)]
    with _Created() as created:
        y = op(x, *params, *constants)
        torch.autograd.grad(y, [x, *params], torch.ones_like(y))
    assert launched, "no kernel launch recorded"
    full = x.numel()
    assert all(d == dtype for d, n in launched if n >= full), launched
    assert all(n <= full // 8 for d, n in launched if d == torch.float32), launched
    wide = [(f, d, n) for f, d, n in created.seen if d == torch.float32 and n > full // 8]
    assert not wide, wide
