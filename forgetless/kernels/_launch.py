"""The one place where the kernel files launch Triton kernels and register ``torch.library`` ops.

* :func:`launch` runs a kernel through ``torch.library.wrap_triton`` (so that
  ``torch.compile(fullgraph=True)`` traces it) and passes it ``WIDE``: fp64 registers for
  fp64 input. float64 never reaches the kernels through dispatch (it takes the reference path);
  the float64 mode exists so that the tests can gradcheck the kernels' formulas exactly.
* :func:`elementwise` launches the flat one-pass kernels (elephant, tempered sigmoid), and
  :func:`element_block` is its kernel side; the per-channel and per-row kernels have their
  launchers in :mod:`._channels` and :mod:`.ash`.
* :func:`define_ops` registers an activation's forward and backward as the ops
  ``forgetless::<name>`` and ``forgetless::<name>_backward`` (``triton_op``) and connects them
  with ``register_autograd``, under one convention: the forward op takes its tensors first and
  then its constants, ``forward(*tensors, *constants)``, and the backward op takes
  ``(*tensors, dy, *constants)`` and returns one gradient per tensor (constants get none). The
  backward saves only the forward's input tensors and recomputes everything else.

Two paths to the same kernels. Under ``torch.compile`` (and for ``opcheck`` / tracing) the
fused functions call the ``torch.library`` ops, whose launches go through ``wrap_triton``. In
eager mode they call a plain ``torch.autograd.Function`` (:class:`_Eager`) that runs the same
Python launchers directly and launches with ``kernel[grid](...)``: no dispatcher round trip,
no op-level autograd plumbing. Both paths launch the same kernels with the same arguments, so
their results are bit-identical. Why two paths (the host time they save):
docs/activations.md#kernel-launch-path.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import torch
import triton
import triton.language as tl
from torch.library import triton_op, wrap_triton

# Elementwise kernels: one program handles ELEMENTWISE_BLOCK contiguous elements, 8 per thread
# with 8 warps of 32 lanes (two 128-bit fp32 loads per thread and tensor). Checked offline with
# ptxas for sm_90a: <= 64 registers, no spills, for every elementwise kernel.
ELEMENTWISE_BLOCK = 2048
ELEMENTWISE_WARPS = 8


def next_pow2(n: int) -> int:
    """Smallest power of two >= n (1 for n <= 1)."""
    return 1 if n <= 1 else 1 << (int(n) - 1).bit_length()


# Set (per thread: autograd may run a backward on another thread) while an eager
# torch.autograd.Function runs the launchers: they then launch directly, not via wrap_triton.
_EAGER = threading.local()


def launch(
    kernel: Any, grid: tuple[int, ...], *args: Any, num_warps: int, **constexprs: Any
) -> None:
    """Run ``kernel[grid](*args, **constexprs)``; ``WIDE`` follows the first argument's dtype.

    Directly in the eager path, through ``wrap_triton`` otherwise (inside the ``torch.library``
    ops, where ``torch.compile`` and fake-tensor tracing need it).
    """
    wide = args[0].dtype == torch.float64
    runner = kernel if getattr(_EAGER, "on", False) else wrap_triton(kernel)
    runner[grid](*args, WIDE=wide, num_warps=num_warps, **constexprs)


def elementwise(
    kernel: Any, tensors: tuple[torch.Tensor, ...], *scalars: Any, **constexprs: Any
) -> None:
    """Launch ``kernel(*tensors, numel, *scalars, ..., BLOCK)`` over the contiguous tensors: the
    first is the input, the last the output; nothing to do for empty ones."""
    numel = tensors[0].numel()
    if numel > 0:
        grid = (triton.cdiv(numel, ELEMENTWISE_BLOCK),)
        launch(
            kernel,
            grid,
            *tensors,
            numel,
            *scalars,
            BLOCK=ELEMENTWISE_BLOCK,
            num_warps=ELEMENTWISE_WARPS,
            **constexprs,
        )


@triton.jit
def element_block(x_ptr, numel, cdt: tl.constexpr, BLOCK: tl.constexpr):
    """The kernel side of :func:`elementwise`: this program's (int64 offsets, mask, x there in
    the compute type ``cdt``)."""
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < numel
    return offs, mask, tl.load(x_ptr + offs, mask=mask, other=0.0).to(cdt)


def define_ops(
    name: str, forward: Callable[..., Any], backward: Callable[..., Any], *, tensors: int
) -> tuple[Callable[..., Any], Any]:
    """Register ``forward`` and ``backward`` (typed Python functions that launch the kernels) as
    ``forgetless::<name>`` and ``forgetless::<name>_backward``, the forward's first ``tensors``
    arguments being its differentiable tensors.

    Returns (``op``, the backward op): ``op(*tensors, *constants)`` calls the ``torch.library``
    op while ``torch.compile`` traces, and the eager :class:`_Eager` function otherwise.
    """
    forward_op = triton_op(f"forgetless::{name}", forward, mutates_args={})
    backward_op = triton_op(f"forgetless::{name}_backward", backward, mutates_args={})

    def setup_context(ctx, inputs, output) -> None:
        ctx.save_for_backward(*inputs[:tensors])
        ctx.constants = inputs[tensors:]

    def gradients(ctx, dy: torch.Tensor):
        grads = backward_op(*ctx.saved_tensors, dy, *ctx.constants)
        if isinstance(grads, torch.Tensor):
            grads = (grads,)
        return (*grads, *(None,) * len(ctx.constants))

    forward_op.register_autograd(gradients, setup_context=setup_context)
    eager = type(f"forgetless_{name}", (_Eager,), {"run": (forward, backward, tensors)})
    apply = eager.apply
    is_compiling = torch.compiler.is_compiling

    def op(*args: Any) -> Any:
        return forward_op(*args) if is_compiling() else apply(*args)

    op.__name__ = op.__qualname__ = f"{name}_op"
    op.library_op = forward_op  # type: ignore[attr-defined]
    return op, backward_op


class _Eager(torch.autograd.Function):
    """The eager path of one activation's ops (a subclass per activation sets ``run`` =
    (forward launcher, backward launcher, number of tensor arguments)): saves only the input
    tensors, recomputes in the backward kernel, launches directly (:data:`_EAGER`)."""

    run: tuple[Callable[..., Any], Callable[..., Any], int]

    @staticmethod
    def forward(ctx, *args: Any) -> torch.Tensor:  # type: ignore[override]
        forward, _, tensors = ctx._forward_cls.run
        ctx.save_for_backward(*args[:tensors])
        ctx.constants = args[tensors:]
        _EAGER.on = True
        try:
            return forward(*args)
        finally:
            _EAGER.on = False

    @staticmethod
    def backward(ctx, dy: torch.Tensor) -> tuple[Any, ...]:  # type: ignore[override]
        backward = ctx._forward_cls.run[1]
        _EAGER.on = True
        try:
            grads = backward(*ctx.saved_tensors, dy, *ctx.constants)
        finally:
            _EAGER.on = False
        if isinstance(grads, torch.Tensor):
            grads = (grads,)
        return (*grads, *(None,) * len(ctx.constants))
