"""Host (Python) overhead per call of the fused activations, measured without a GPU.

At small sizes a fused activation is host-bound: what a call costs is the Python between the
user's call and the kernel launch (argument checks, dispatch, ``torch.library`` and autograd
plumbing, output allocation, launch configuration), not the kernel. This script times exactly
that on CPU tensors, with Triton's launch replaced by a no-op:

* ``triton.runtime.jit.JITFunction.run`` (where ``kernel[grid](...)`` ends: Triton's own
  argument binding and the driver launch) does nothing but count launches, so the times are
  forgetless's overhead plus PyTorch's, excluding Triton's own launch cost;
* ``forgetless.kernels.dispatch.can_fuse`` returns True, as for CUDA tensors (CPU tensors
  would otherwise take the reference).

Per activation, on an x of 64×1024 (fp32) with the benchmark's parameters (1024 units per
row / channel), it reports the ``timeit`` median per call (µs) of the forward under grad mode
and of forward + backward (``torch.autograd.grad``, so no gradient accumulation is timed), and
the launches per call. Times are CPU time of the process (``time.process_time``), which
other processes on a shared machine disturb much less than wall time. Run it on two versions of forgetless to compare them:

    python benchmarks/kernel_host_overhead.py [--json out.json]
    PYTHONPATH=/path/to/other/checkout python benchmarks/kernel_host_overhead.py

It refuses to run under ``TRITON_INTERPRET=1`` (the interpreter has no JITFunction.run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import timeit

import torch
from kernel_cases import ACTIVATIONS, _functions, parameter_inputs

SHAPE = (64, 1024)


def _calls(name: str, x: torch.Tensor):
    """(public functional bound to its arguments, the parameter tensors)."""
    _, public, extra = _functions(name)
    params = parameter_inputs(name, x.shape[1], device=str(x.device))
    return lambda t, p: public(t, *p, *extra), params


def _median_us(fn, number: int, repeat: int) -> float:
    # CPU time of this process, not wall time: on a shared machine it is far less disturbed by
    # other processes (the work is single-threaded Python; torch threads are set to 1).
    times = timeit.repeat(fn, number=number, repeat=repeat, timer=time.process_time)
    return statistics.median(times) / number * 1e6


def measure(names=ACTIVATIONS, number: int = 200, repeat: int = 7) -> dict[str, dict]:
    """Median µs per call (forward, forward + backward) and launches per call, per activation."""
    import triton.runtime.jit as jit

    import forgetless.kernels.dispatch as dispatch_module

    launches = [0]

    def no_launch(self, *args, **kwargs):
        launches[0] += 1

    saved_run, saved_can_fuse = jit.JITFunction.run, dispatch_module.can_fuse
    jit.JITFunction.run = no_launch
    dispatch_module.can_fuse = lambda *tensors: True
    results = {}
    try:
        for name in names:
            x = torch.randn(SHAPE, requires_grad=True)
            call, params = _calls(name, x)
            for p in params:
                p.requires_grad_()
            leaves = [x, *params]
            y = call(x, params)
            grad_fn = type(y.grad_fn).__name__
            assert "forgetless" in grad_fn.lower(), f"{name}: no fused autograd node ({grad_fn})"
            dy = torch.ones_like(y)

            def forward(call=call, x=x, params=params):
                call(x, params)

            def forward_backward(call=call, x=x, params=params, leaves=leaves, dy=dy):
                torch.autograd.grad(call(x, params), leaves, dy)

            launches[0] = 0
            forward_backward()
            per_call = launches[0]
            results[name] = {
                "fwd_us": _median_us(forward, number, repeat),
                "fwd+bwd_us": _median_us(forward_backward, number, repeat),
                "launches_fwd+bwd": per_call,
            }
    finally:
        jit.JITFunction.run = saved_run
        dispatch_module.can_fuse = saved_can_fuse
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--number", type=int, default=200, help="calls per timing")
    parser.add_argument("--repeat", type=int, default=7, help="timings (the median is kept)")
    parser.add_argument("--activations", nargs="+", choices=ACTIVATIONS, default=ACTIVATIONS)
    args = parser.parse_args(argv)
    if os.environ.get("TRITON_INTERPRET") == "1":
        print("kernel_host_overhead.py: unset TRITON_INTERPRET", file=sys.stderr)
        return 2
    torch.set_num_threads(1)
    results = measure(args.activations, args.number, args.repeat)
    print(f"host overhead per call, x {SHAPE[0]}x{SHAPE[1]} fp32, kernel launch = no-op")
    print(f"{'activation':<20}{'fwd µs':>9}{'fwd+bwd µs':>12}{'launches':>10}")
    for name, row in results.items():
        print(
            f"{name:<20}{row['fwd_us']:>9.1f}{row['fwd+bwd_us']:>12.1f}"
            f"{row['launches_fwd+bwd']:>10}"
        )
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"torch": torch.__version__, "shape": SHAPE, "results": results}, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
