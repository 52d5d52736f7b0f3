"""``benchmarks/kernels.py --check``: the GPU-only checks, which fail loudly where the benchmark
would mislead: ``torch.library.opcheck`` of every op, the public functionals (fused on CUDA)
against the references in values and gradients (Hard ASH's gradient with its kinks allowed
for, ``tests/kernels/hard_ash_kinks.py``), and ``torch.compile(fullgraph=True)`` of a
model using every activation."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch
from kernel_cases import ACTIVATIONS, _functions, make_case


def _sample_ops(device: str = "cuda") -> list[tuple[str, tuple]]:
    """(op name, sample args) for every forgetless op, forward and backward."""
    x = torch.randn(6, 40, device=device, requires_grad=True)
    dy = torch.randn(6, 40, device=device)
    p1 = torch.rand(40, device=device, requires_grad=True) + 0.5
    p2 = torch.rand(40, device=device, requires_grad=True) + 0.5
    xd = x.detach()
    return [
        ("elephant", (x, 0.5, 4.0)),
        ("elephant_backward", (xd, dy, 0.5, 4.0)),
        ("tempered_sigmoid", (x, 2.0, 2.0, 1.0)),
        ("tempered_sigmoid_backward", (xd, dy, 2.0, 2.0, 1.0)),
        ("learnable_elephant", (x, p1, p2, 4.0, 1)),
        ("learnable_elephant_backward", (xd, p1.detach(), p2.detach(), dy, 4.0, 1)),
        ("ash", (x, 3.0, 2.3, 40)),
        ("ash_backward", (xd, dy, 3.0, 2.3, 40)),
        ("hard_ash", (x, 3.0, 2.3, 40)),
        ("hard_ash_backward", (xd, dy, 3.0, 2.3, 40)),
        ("apa", (x, p1, p2, 1)),
        ("apa_backward", (xd, p1.detach(), p2.detach(), dy, 1)),
        ("aglu", (x, p1, p2, 1)),
        ("aglu_backward", (xd, p1.detach(), p2.detach(), dy, 1)),
    ]


def _check_opcheck() -> None:
    import forgetless.kernels.apa  # noqa: F401  (registers the ops)
    import forgetless.kernels.ash  # noqa: F401
    import forgetless.kernels.elephant  # noqa: F401
    import forgetless.kernels.learnable_elephant  # noqa: F401
    import forgetless.kernels.tempered_sigmoid  # noqa: F401

    for op_name, args in _sample_ops():
        op = getattr(torch.ops.forgetless, op_name).default
        torch.library.opcheck(op, args)


class _EveryActivation(torch.nn.Module):
    """Linear layers separated by every activation (public functionals by default)."""

    def __init__(self, width: int = 64) -> None:
        super().__init__()
        self.layers = torch.nn.ModuleList(torch.nn.Linear(width, width) for _ in range(7))
        self.log_sigma = torch.nn.Parameter(torch.zeros(width))
        self.log_h = torch.nn.Parameter(torch.zeros(width))
        self.kappa = torch.nn.Parameter(torch.ones(width))
        self.lam = torch.nn.Parameter(torch.full((width,), 0.8))
        self.use_reference = False
        # Resolved here, not in forward: torch.compile cannot trace importlib.
        self.functions = {n: _functions(n)[:2] for n in ACTIVATIONS}

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = {n: pair[0 if self.use_reference else 1] for n, pair in self.functions.items()}
        h = f["learnable_elephant"](self.layers[0](x), self.log_sigma, self.log_h, 4.0, 1)
        h = f["aglu"](self.layers[1](h), self.kappa, self.lam, 1)
        h = f["ash"](self.layers[2](h), 3.0, 0.5, None)
        h = f["tempered_sigmoid"](self.layers[3](h), 2.0, 2.0, 1.0)
        h = f["hard_ash"](self.layers[4](h), 2.0, 0.0, None)
        h = h * f["apa"](self.layers[5](h), self.kappa, self.lam, 1)
        return f["elephant"](self.layers[6](h), 1.0, 2.0)


def _grads(model: torch.nn.Module, fn: Callable, x: torch.Tensor) -> list[torch.Tensor]:
    model.zero_grad()
    out = fn(x)
    out.square().mean().backward()
    return [out.detach()] + [p.grad.clone() for p in model.parameters()]


def _check_compile_fullgraph() -> None:
    torch.manual_seed(0)
    model = _EveryActivation().cuda()
    x = torch.randn(32, 64, device="cuda")
    model.use_reference = True
    expected = _grads(model, model, x)
    model.use_reference = False
    eager = _grads(model, model, x)  # also imports the kernel modules before tracing
    compiled = torch.compile(model, fullgraph=True)
    got = _grads(model, compiled, x)
    for a, b, c in zip(expected, eager, got, strict=True):
        torch.testing.assert_close(b, a, atol=1e-4, rtol=1e-4)
        torch.testing.assert_close(c, a, atol=1e-4, rtol=1e-4)


def _check_hard_ash_gradient(x, dy, grad, dtype) -> None:
    """Hard ASH's dx against the float64 reference from the same inputs, within the rounding of
    ``dtype``; exact kinks (x = 0 or 2: bf16 hits 2.0 often) may take either one-sided
    derivative, rows with v within rounding of 0 or 6 are skipped
    (``tests/kernels/hard_ash_kinks.py``). torch's own clamp gradient at x = 2 is 1 in
    older releases and 0 in newer ones, which failed the plain comparison in bf16."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "kernels"))
    from hard_ash_kinks import hard_ash_gradient_check

    rtol = {torch.float32: 1e-4, torch.bfloat16: 2.0**-7}[dtype]
    check = hard_ash_gradient_check(x, dy, grad, 3.0, 2.3, rtol=rtol, atol=1e-4)
    skipped = int((~check.checked).sum())
    assert check.failures == 0 and skipped < x.numel() // 4, (
        f"hard_ash {dtype} grad 0: {check.failures} elements beyond rounding of the float64 "
        f"reference ({skipped} skipped next to a kink of v)"
    )


def _check_fused_vs_reference() -> None:
    tolerances = {torch.float32: 1e-4, torch.bfloat16: 3e-2}
    for name in ACTIVATIONS:
        for dtype, tol in tolerances.items():
            case = make_case(name, 3 * 2**15 + 1000, dtype)
            fused_in = [t.detach().clone().requires_grad_() for t in case.inputs]
            ref_in = [t.detach().clone().requires_grad_() for t in case.inputs]
            y = case.public(*fused_in)
            assert y.grad_fn is not None and "forgetless" in type(y.grad_fn).__name__, (
                f"{name}: the public functional did not reach the fused kernel on CUDA "
                f"(grad_fn {type(y.grad_fn).__name__})"
            )
            r = case.reference(*ref_in)
            torch.testing.assert_close(y, r, atol=tol, rtol=tol, msg=f"{name} {dtype} values")
            dy = torch.randn_like(r)
            y.backward(dy)
            r.backward(dy)
            for i, (a, b) in enumerate(zip(fused_in, ref_in, strict=True)):
                if name == "hard_ash" and i == 0:
                    _check_hard_ash_gradient(case.inputs[0], dy, a.grad, dtype)
                    continue
                t = tol if i == 0 else 1e-3
                torch.testing.assert_close(
                    a.grad, b.grad, atol=t, rtol=t, msg=f"{name} {dtype} grad {i}"
                )
    os.environ["FORGETLESS_KERNELS"] = "0"
    try:
        case = make_case("elephant", 4096, torch.float32)
        assert torch.equal(case.public(*case.inputs), case.reference(*case.inputs))
    finally:
        os.environ.pop("FORGETLESS_KERNELS")


def run_checks() -> int:
    """Run every GPU check, report each, return the process exit code."""
    checks = {
        "torch.library.opcheck of every op": _check_opcheck,
        "fused (public functionals) vs reference on CUDA, values and grads": (
            _check_fused_vs_reference
        ),
        "torch.compile(fullgraph=True) of a model using every op": _check_compile_fullgraph,
    }
    failures = 0
    for label, check in checks.items():
        start = time.perf_counter()
        try:
            check()
        except Exception as error:  # report every check, then fail
            failures += 1
            print(f"FAIL  {label}: {type(error).__name__}: {error}", flush=True)
        else:
            print(f"ok    {label} ({time.perf_counter() - start:.1f} s)", flush=True)
    print("all checks passed" if not failures else f"{failures} check(s) failed")
    return 1 if failures else 0
