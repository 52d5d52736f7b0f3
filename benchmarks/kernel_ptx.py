"""``benchmarks/kernels.py --ptx``: no GPU needed. Records the launch of every kernel in the
benchmark's configurations (launches replaced by a recorder) and compiles each for sm_90a,
reporting ptxas's registers and spills: a memory-bound kernel that spills will not reach copy
bandwidth."""

from __future__ import annotations

import os

import torch

_TRITON_TYPES = {torch.float32: "fp32", torch.float16: "fp16", torch.bfloat16: "bf16"}


def _recorded_launches(dtype: torch.dtype) -> list[tuple]:
    """Run every launcher on small CPU tensors with launches recorded instead of executed.

    Shapes give the benchmark's launch configurations: rows / channels of 1000 units, flat
    inputs, conv-like maps (per-row tiling) and ASH rows longer than the on-chip limit.
    """
    from forgetless.kernels import _launch, apa, ash, elephant, learnable_elephant, tempered_sigmoid

    launches: list[tuple] = []

    def recorder(kernel):
        def launch(*args, **kwargs):
            launches.append((kernel, args, kwargs))

        class Grid:
            def __getitem__(self, grid):
                return launch

        return Grid()

    saved = _launch.wrap_triton  # every kernel file launches through forgetless.kernels._launch
    try:
        _launch.wrap_triton = recorder
        rows = torch.randn(64, 1000).to(dtype)
        maps = torch.randn(2, 8, 784).to(dtype)
        long_rows = torch.randn(2, 20000).to(dtype)
        units, dy = torch.ones(1000), torch.ones_like(rows)
        elephant.elephant_op.library_op(rows, 1.0, 4.0)
        elephant.elephant_backward_op(rows, dy, 1.0, 4.0)
        elephant.elephant_backward_op(rows, dy, 1.0, 2.5)
        tempered_sigmoid.tempered_sigmoid_op.library_op(rows, 2.0, 2.0, 1.0)
        tempered_sigmoid.tempered_sigmoid_backward_op(rows, dy, 2.0, 2.0, 1.0)
        for op in (ash.ash_op.library_op, ash.hard_ash_op.library_op):
            op(rows, 3.0, 2.3, 1000)
            op(long_rows, 3.0, 2.3, 20000)
        for op in (ash.ash_backward_op, ash.hard_ash_backward_op):
            op(rows, dy, 3.0, 2.3, 1000)
            op(long_rows, torch.ones_like(long_rows), 3.0, 2.3, 20000)
        for x, params, inner in ((rows, (units, units), 1), (maps, (units[:8],) * 2, 784)):
            learnable_elephant.learnable_elephant_op.library_op(x, *params, 4.0, inner)
            learnable_elephant.learnable_elephant_backward_op(
                x, *params, torch.ones_like(x), 4.0, inner
            )
            apa.aglu_op.library_op(x, *params, inner)
            apa.aglu_backward_op(x, *params, torch.ones_like(x), inner)
    finally:
        _launch.wrap_triton = saved
    return launches


def ptx_report(dtype: torch.dtype) -> list[str]:
    """Compile every recorded launch for sm_90a (no GPU needed) and report ptxas's register
    and spill counts: a memory-bound kernel that spills will not reach copy bandwidth."""
    import re
    import subprocess
    import tempfile

    import triton
    from triton.backends.compiler import GPUTarget
    from triton.compiler import ASTSource

    ptxas = os.path.join(os.path.dirname(triton.__file__), "backends", "nvidia", "bin", "ptxas")
    lines = []
    for kernel, args, kwargs in _recorded_launches(dtype):
        signature, constants = {}, {}
        positional = [n for n in kernel.arg_names if n not in kwargs]
        for arg_name, value in zip(positional, args, strict=True):
            if isinstance(value, torch.Tensor):
                signature[arg_name] = "*" + _TRITON_TYPES[value.dtype]
            elif isinstance(value, float):
                signature[arg_name] = "fp32"
            else:
                signature[arg_name] = "i32"
        for arg_name, value in kwargs.items():
            if arg_name in kernel.arg_names:
                signature[arg_name], constants[arg_name] = "constexpr", value
        options = {"num_warps": kwargs.get("num_warps", 4)}
        compiled = triton.compile(
            ASTSource(kernel, signature, constexprs=constants),
            target=GPUTarget("cuda", 90, 32),
            options=options,
        )
        with tempfile.NamedTemporaryFile("w", suffix=".ptx", delete=False) as handle:
            handle.write(compiled.asm["ptx"])
        done = subprocess.run(
            [ptxas, "-arch=sm_90a", "-v", handle.name, "-o", os.devnull],
            capture_output=True,
            text=True,
        )
        os.unlink(handle.name)
        registers = re.search(r"Used (\d+) registers", done.stderr)
        spills = re.search(r"(\d+) bytes spill stores", done.stderr)
        lines.append(
            f"{kernel.__name__:32s} {_TRITON_TYPES[dtype]} warps={options['num_warps']:<2} "
            f"registers={registers.group(1) if registers else '?':>3} "
            f"spill_stores={spills.group(1) if spills else '?':>4}B  {constants}"
        )
    return lines
