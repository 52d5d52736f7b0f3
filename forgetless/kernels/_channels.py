"""Layouts for activations with learnable per-channel (or one-element) parameters.

A contiguous input is viewed as (outer, channels, inner) around ``channel_dim``; element at flat
offset ``k`` belongs to channel ``(k // inner) % channels``. One-element parameters are expanded
to ``channels`` entries before the op (autograd of ``expand`` sums their gradient back); when
every parameter has one element the whole tensor is one channel: (1, 1, numel).

Parameter gradients are reduced without atomics, so they are deterministic: each program of
the backward kernel writes fp32 partial sums of its tile into its own slot of a ``partial``
buffer, and a plain ``torch.sum`` over that (small) buffer finishes the reduction. Two tilings:

* ``per_row`` (``inner >= 512``, e.g. conv maps): the view is (outer·channels, inner); a tile
  row lies in one channel, each program sums its tile along the columns and writes one partial
  per row: buffer (column blocks, outer·channels).
* otherwise (e.g. ``Linear`` outputs (N, C), inner = 1): the view is (outer, channels·inner);
  programs own a block of columns and walk down the rows with a stride, accumulating in
  registers, and write one partial per column: buffer (row programs, channels·inner), at most
  about ``TARGET_PROGRAMS`` rows of it.

The forward kernels use the same tilings with one tile per program. Either way the channel of
a tile row (``per_row``) or tile column is computed once per tile, never per element.

:func:`channel_forward` and :func:`channel_backward` launch every such kernel (APA, AGLU,
learnable elephant) with one argument order, and :func:`per_channel_op` turns a fused
function's arguments into an op call (or None where the kernels do not support them).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch
import triton
import triton.language as tl

from forgetless.checks import kernel_dim, kernel_dtype_ok

from ._launch import launch, next_pow2

PER_ROW_MIN_INNER = 512
# Tile kernels that also reduce parameter gradients aim at roughly this many programs
# (several per streaming multiprocessor of an H100) and this many elements per tile, with
# TILE_WARPS warps (8 elements per thread: ~110 registers, no spills for the APA backward;
# 4096-element tiles with 4 warps spilled).
TARGET_PROGRAMS = 1024
TILE_ELEMENTS = 2048
TILE_WARPS = 8


@dataclass(frozen=True)
class ChannelLayout:
    """A contiguous tensor seen as (outer, channels, inner)."""

    outer: int
    channels: int
    inner: int


@dataclass(frozen=True)
class ChannelTiles:
    """How a kernel tiles the (rows, cols) view and, in the backward, where partial sums go.

    ``row_programs`` programs per column block: in the forward one per row block (each program
    one tile); in the backward of the column tiling fewer, each walking down the rows.
    """

    per_row: bool
    rows: int
    cols: int
    block_rows: int
    block_cols: int
    row_programs: int
    col_blocks: int

    @property
    def grid(self) -> tuple[int]:
        return (self.row_programs * self.col_blocks,)

    @property
    def partial_shape(self) -> tuple[int, int]:
        if self.per_row:
            return (self.col_blocks, self.rows)
        return (self.row_programs, self.cols)

    @property
    def constexprs(self) -> dict[str, Any]:
        return {"PER_ROW": self.per_row, "BLOCK_R": self.block_rows, "BLOCK_C": self.block_cols}


@triton.jit
def tile_position(pid, col_blocks, BLOCK_R: tl.constexpr, BLOCK_C: tl.constexpr):
    """(first rows, columns) of program ``pid``'s tile; int64 so offsets never overflow."""
    pid_r = pid // col_blocks
    pid_c = pid % col_blocks
    rows = pid_r.to(tl.int64) * BLOCK_R + tl.arange(0, BLOCK_R)
    cols = pid_c.to(tl.int64) * BLOCK_C + tl.arange(0, BLOCK_C)
    return pid_r, pid_c, rows, cols


@triton.jit
def column_channels(cols, channels, inner):
    """Channel of each tile column in the column tiling, computed once per program (never per
    element: 64-bit division would make these memory-bound kernels compute bound). 32-bit
    (``channel_layout`` guarantees channels·inner < 2^31 here); Triton specialises inner == 1,
    the Linear case, to no division at all; columns past the end are clamped into range."""
    return tl.minimum(cols.to(tl.int32) // inner, channels - 1)


@triton.jit
def forward_tile(
    rows, cols, channels, inner, col_blocks,
    PER_ROW: tl.constexpr, BLOCK_R: tl.constexpr, BLOCK_C: tl.constexpr,
):  # fmt: skip
    """A forward program's tile: (offsets, mask, channel of each tile row or column)."""
    _, _, row, col = tile_position(tl.program_id(0), col_blocks, BLOCK_R, BLOCK_C)
    offs = row[:, None] * cols + col[None, :]
    mask = (row < rows)[:, None] & (col < cols)[None, :]
    if PER_ROW:
        ch = (row % channels)[:, None]
    else:
        ch = column_channels(col, channels, inner)[None, :]
    return offs, mask, ch


@triton.jit
def row_block(r0, rows, cols, col, col_ok, BLOCK_R: tl.constexpr):
    """The rows ``r0 ..`` of a backward program's column block: (rows, offsets, mask)."""
    row = tl.cast(r0, tl.int64) + tl.arange(0, BLOCK_R)
    offs = row[:, None] * cols + col[None, :]
    mask = (row < rows)[:, None] & col_ok[None, :]
    return row, offs, mask


@triton.jit
def store_partials(first_ptr, second_ptr, first, second, slot, mask, AXIS: tl.constexpr):
    """Store the sums along ``AXIS`` of two parameter-gradient contributions at ``slot``."""
    tl.store(first_ptr + slot, tl.sum(first, axis=AXIS), mask=mask)
    tl.store(second_ptr + slot, tl.sum(second, axis=AXIS), mask=mask)


def channel_layout(
    x: torch.Tensor, params: Sequence[torch.Tensor], channel_dim: object
) -> ChannelLayout | None:
    """The (outer, channels, inner) view for ``params`` along ``channel_dim``, or None.

    None means the kernels do not support this case (then the reference runs and raises its
    own error for invalid input): a parameter neither one-element nor 1-D with
    ``x.shape[channel_dim]`` entries, or an invalid ``channel_dim``.
    """
    if not all(isinstance(p, torch.Tensor) and p.is_floating_point() for p in params):
        return None
    if all(p.numel() == 1 for p in params):
        return ChannelLayout(1, 1, x.numel())
    if x.dim() == 0:
        return None
    dim = kernel_dim(channel_dim, x.dim())
    if dim is None:
        return None
    channels = x.shape[dim]
    for p in params:
        if p.numel() != 1 and (p.dim() != 1 or p.numel() != channels):
            return None
    outer = math.prod(x.shape[:dim])
    inner = math.prod(x.shape[dim + 1 :])
    if inner < PER_ROW_MIN_INNER and channels * inner >= 2**31:
        return None  # column tiling with 32-bit column indices: reference for such giants
    return ChannelLayout(outer, channels, inner)


def as_channel_vector(param: torch.Tensor, layout: ChannelLayout) -> torch.Tensor:
    """``param`` as a contiguous 1-D tensor of ``layout.channels`` entries (differentiable);
    ``param`` itself when it already is one (no view and expand nodes per call)."""
    if param.dim() == 1 and param.shape[0] == layout.channels and param.is_contiguous():
        return param
    return param.reshape(-1).expand(layout.channels).contiguous()


def channel_tiles(layout: ChannelLayout, *, walk_rows: bool) -> ChannelTiles:
    """Tiling of ``layout`` (see the module docstring); ``walk_rows`` for the backward.

    Cached per layout (computed once per shape, not per call); the tuning constants are part
    of the key, so changing them (as the tests do) never reuses an older tiling.
    """
    return _tiles(layout, walk_rows, PER_ROW_MIN_INNER, TILE_ELEMENTS, TARGET_PROGRAMS)


@functools.lru_cache(maxsize=1024)
def _tiles(
    layout: ChannelLayout, walk_rows: bool, per_row_min: int, tile: int, programs: int
) -> ChannelTiles:
    per_row = layout.inner >= per_row_min
    if per_row:
        rows, cols = layout.outer * layout.channels, layout.inner
        block_cols = min(next_pow2(cols), 2048)
    else:
        rows, cols = layout.outer, layout.channels * layout.inner
        block_cols = min(next_pow2(cols), 1024)
    block_rows = min(next_pow2(rows), max(1, tile // block_cols))
    col_blocks = triton.cdiv(cols, block_cols)
    row_blocks = triton.cdiv(rows, block_rows)
    row_programs = row_blocks
    if walk_rows and not per_row:
        row_programs = min(row_blocks, max(1, programs // col_blocks))
    return ChannelTiles(per_row, rows, cols, block_rows, block_cols, row_programs, col_blocks)


def forward_tiles(layout: ChannelLayout) -> ChannelTiles:
    """One tile per program: the forward kernels."""
    return channel_tiles(layout, walk_rows=False)


def reduction_tiles(layout: ChannelLayout) -> ChannelTiles:
    """The backward kernels: the column tiling walks down the rows, accumulating partials."""
    return channel_tiles(layout, walk_rows=True)


def reduce_partials(
    partial: torch.Tensor, tiles: ChannelTiles, layout: ChannelLayout
) -> torch.Tensor:
    """Finish the deterministic reduction: per-channel fp32 sums of the kernel's partials."""
    if tiles.per_row:
        return partial.view(tiles.col_blocks, layout.outer, layout.channels).sum(dim=(0, 1))
    return partial.view(tiles.row_programs, layout.channels, layout.inner).sum(dim=(0, 2))


def channel_forward(
    kernel: Any,
    x: torch.Tensor,
    params: Sequence[torch.Tensor],
    inner: int,
    *scalars: Any,
    **constexprs: Any,
) -> torch.Tensor:
    """y of a forward kernel ``kernel(x, *params, y, rows, cols, channels, inner, col_blocks,
    *scalars, ...)``; ``params`` hold one entry per channel, x is contiguous."""
    y = torch.empty_like(x)
    channels = params[0].numel()
    if x.numel() > 0:
        tiles = forward_tiles(ChannelLayout(x.numel() // (channels * inner), channels, inner))
        sizes = (tiles.rows, tiles.cols, channels, inner, tiles.col_blocks)
        constexprs.update(tiles.constexprs)
        launch(
            kernel, tiles.grid, x, *params, y, *sizes, *scalars, num_warps=TILE_WARPS, **constexprs
        )
    return y


def channel_backward(
    kernel: Any,
    x: torch.Tensor,
    params: Sequence[torch.Tensor],
    dy: torch.Tensor,
    inner: int,
    *scalars: Any,
    **constexprs: Any,
) -> tuple[torch.Tensor, ...]:
    """(dx, one gradient per parameter, in its dtype) of a backward kernel ``kernel(x, dy, dx,
    *params, *partials, rows, cols, channels, inner, row_programs, col_blocks, *scalars, ...)``
    that writes dx and one buffer of partial sums per parameter."""
    dy = dy.contiguous()
    channels = params[0].numel()
    layout = ChannelLayout(x.numel() // max(1, channels * inner), channels, inner)
    tiles = reduction_tiles(layout)
    dx = torch.empty_like(x)
    part_dtype = torch.float64 if x.dtype == torch.float64 else torch.float32
    partials = [torch.empty(tiles.partial_shape, dtype=part_dtype, device=x.device) for _ in params]
    sizes = (tiles.rows, tiles.cols, channels, inner, tiles.row_programs, tiles.col_blocks)
    constexprs.update(tiles.constexprs)
    tensors = (x, dy, dx, *params, *partials)
    launch(kernel, tiles.grid, *tensors, *sizes, *scalars, num_warps=TILE_WARPS, **constexprs)
    grads = [
        reduce_partials(part, tiles, layout).to(p.dtype)
        for part, p in zip(partials, params, strict=True)
    ]
    return (dx, *grads)


def per_channel_op(
    op: Callable[..., torch.Tensor],
    x: torch.Tensor,
    params: Sequence[torch.Tensor],
    channel_dim: object,
    *constants: float,
) -> torch.Tensor | None:
    """``op(x, *params as channel vectors, *constants, inner)``, or None when the kernels do not
    support the call (see :func:`channel_layout`; also other dtypes and empty x)."""
    layout = channel_layout(x, params, channel_dim)
    if layout is None or not kernel_dtype_ok(x) or x.numel() == 0:
        return None
    vectors = [as_channel_vector(p, layout) for p in params]
    return op(x.contiguous(), *vectors, *constants, layout.inner)
