"""Fused APA and AGLU with learnable κ, λ (one value, or one per channel).

"Adaptive Parametric Activation" (Alexandridis et al., ECCV 2024). With u = κ·z − ln λ,
ls = logsigmoid(u), σ = sigmoid(u), p = APA(z):

    p = APA(z)  = exp(ls / λ)                       AGLU(z) = z · p
    ∂p/∂z = (κ/λ) · p·(1 − σ)                       ∂AGLU/∂z = p + z · ∂p/∂z
    ∂p/∂κ = (z/λ) · p·(1 − σ)                       ∂AGLU/∂κ = z · ∂p/∂κ
    ∂p/∂λ = −p · (ls + 1 − σ) / λ²   (both terms)   ∂AGLU/∂λ = z · ∂p/∂λ

λ is used as max(λ, 1e-4) with the gradient passed straight through to λ, exactly like the
reference (``LAM_MIN`` of :mod:`forgetless.activations.apa`). Safe evaluation order: p·(1 − σ)
and p·(ls + 1 − σ) are formed first (they are 0 wherever p or 1 − σ underflow), and only then
multiplied by z, so |z| up to the fp32 maximum never gives inf·0 (where κ·z overflows, p = 0
and the λ term is set to its limit 0). logsigmoid and both
sigmoids come from exp(−|u|) (:mod:`forgetless.kernels._math`).

κ and λ are read by pointer; their gradients are reduced deterministically from per-program
partial sums (:mod:`forgetless.kernels._channels`). Python-number κ or λ become constant
one-element tensors (no gradient).
"""

from __future__ import annotations

import torch
import triton
import triton.language as tl
from torch.library import triton_op, wrap_triton

from ._channels import (
    ChannelLayout,
    as_channel_vector,
    channel_layout,
    column_channels,
    forward_tiles,
    reduce_partials,
    reduction_tiles,
    tile_position,
)
from ._common import TILE_WARPS, kernel_dtype_ok, plain_float, reference
from ._math import logsigmoid_and_sigmoids

# Must equal forgetless.activations.apa.LAM_MIN (a test checks it).
LAM_MIN = 1e-4
LAM_INV = tl.constexpr(10000.0)  # globals read inside @triton.jit must be constexpr


@triton.jit
def _lam_min(cdt: tl.constexpr):
    """1e-4 rounded once to the compute type (a bare literal would be fp32 even in fp64 mode)."""
    return tl.full([], 1.0, cdt) / LAM_INV


@triton.jit
def _apa_gate(z, kappa, log_lam, inv_lam):
    """(p, log σ(u), 1 − σ(u)) with u = κ·z − ln λ."""
    ls, _, one_minus_sig = logsigmoid_and_sigmoids(kappa * z - log_lam)
    return tl.exp(ls * inv_lam), ls, one_minus_sig


@triton.jit
def _load_parameters(kappa_ptr, lam_ptr, ch, cdt: tl.constexpr):
    """(κ, ln λ, 1/λ) with λ clamped to >= 1e-4, at channel indices ``ch`` (always in range:
    no mask needed). Per tile row or column, not per element."""
    kappa = tl.load(kappa_ptr + ch).to(cdt)
    lam = tl.maximum(tl.load(lam_ptr + ch).to(cdt), _lam_min(cdt))
    return kappa, tl.log(lam), 1.0 / lam


@triton.jit
def _apa_fwd_kernel(
    x_ptr, kappa_ptr, lam_ptr, y_ptr, rows, cols, channels, inner, col_blocks,
    GLU: tl.constexpr, PER_ROW: tl.constexpr, WIDE: tl.constexpr,
    BLOCK_R: tl.constexpr, BLOCK_C: tl.constexpr,
):  # fmt: skip
    cdt = tl.float64 if WIDE else tl.float32
    _, _, row, col = tile_position(tl.program_id(0), col_blocks, BLOCK_R, BLOCK_C)
    offs = row[:, None] * cols + col[None, :]
    mask = (row < rows)[:, None] & (col < cols)[None, :]
    if PER_ROW:
        ch = (row % channels)[:, None]
    else:
        ch = column_channels(col, channels, inner)[None, :]
    kappa, log_lam, inv_lam = _load_parameters(kappa_ptr, lam_ptr, ch, cdt)
    z = tl.load(x_ptr + offs, mask=mask, other=0.0).to(cdt)
    p, _, _ = _apa_gate(z, kappa, log_lam, inv_lam)
    y = z * p if GLU else p
    tl.store(y_ptr + offs, y.to(y_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _apa_tile(
    x_ptr, dy_ptr, dx_ptr, offs, mask, kappa, log_lam, inv_lam,
    GLU: tl.constexpr, cdt: tl.constexpr,
):  # fmt: skip
    """Write dx for one tile; return its (dκ, dλ) contributions (0 where masked)."""
    z = tl.load(x_ptr + offs, mask=mask, other=0.0).to(cdt)
    dy = tl.load(dy_ptr + offs, mask=mask, other=0.0).to(cdt)
    p, ls, one_minus_sig = _apa_gate(z, kappa, log_lam, inv_lam)
    a = p * one_minus_sig  # p·(1 − σ), 0 where either underflows
    dp_dz = (kappa * inv_lam) * a
    dp_dkappa = (z * a) * inv_lam
    # κ·z may overflow fp32 (|z| near the fp32 maximum): then ls = −inf and p = 0; the product
    # p·(ls + 1 − σ) is 0 there, not 0·inf.
    dp_dlam = tl.where(p > 0.0, -(p * (ls + one_minus_sig)) * (inv_lam * inv_lam), 0.0)
    if GLU:
        dx = dy * (p + z * dp_dz)
        d_kappa = dy * (dp_dkappa * z)
        d_lam = dy * (dp_dlam * z)
    else:
        dx = dy * dp_dz
        d_kappa = dy * dp_dkappa
        d_lam = dy * dp_dlam
    tl.store(dx_ptr + offs, dx.to(dx_ptr.dtype.element_ty), mask=mask)
    return tl.where(mask, d_kappa, 0.0), tl.where(mask, d_lam, 0.0)


@triton.jit
def _apa_bwd_kernel(
    x_ptr, dy_ptr, dx_ptr, kappa_ptr, lam_ptr, part_kappa_ptr, part_lam_ptr,
    rows, cols, channels, inner, row_programs, col_blocks,
    GLU: tl.constexpr, PER_ROW: tl.constexpr, WIDE: tl.constexpr,
    BLOCK_R: tl.constexpr, BLOCK_C: tl.constexpr,
):  # fmt: skip
    cdt = tl.float64 if WIDE else tl.float32
    pid_r, pid_c, _, col = tile_position(tl.program_id(0), col_blocks, BLOCK_R, BLOCK_C)
    col_ok = col < cols
    if not PER_ROW:  # the parameters of a column tile are the same on every row
        ch = column_channels(col, channels, inner)[None, :]
        kappa, log_lam, inv_lam = _load_parameters(kappa_ptr, lam_ptr, ch, cdt)
    acc_kappa = tl.zeros([BLOCK_R, BLOCK_C], dtype=cdt)
    acc_lam = tl.zeros([BLOCK_R, BLOCK_C], dtype=cdt)
    for r0 in range(pid_r * BLOCK_R, rows, row_programs * BLOCK_R):
        row = tl.cast(r0, tl.int64) + tl.arange(0, BLOCK_R)
        offs = row[:, None] * cols + col[None, :]
        mask = (row < rows)[:, None] & col_ok[None, :]
        if PER_ROW:
            ch = (row % channels)[:, None]
            kappa, log_lam, inv_lam = _load_parameters(kappa_ptr, lam_ptr, ch, cdt)
        c_kappa, c_lam = _apa_tile(
            x_ptr, dy_ptr, dx_ptr, offs, mask, kappa, log_lam, inv_lam, GLU, cdt
        )
        if PER_ROW:
            slot = pid_c.to(tl.int64) * rows + row
            tl.store(part_kappa_ptr + slot, tl.sum(c_kappa, axis=1), mask=row < rows)
            tl.store(part_lam_ptr + slot, tl.sum(c_lam, axis=1), mask=row < rows)
        else:
            acc_kappa += c_kappa
            acc_lam += c_lam
    if not PER_ROW:
        slot = pid_r.to(tl.int64) * cols + col
        tl.store(part_kappa_ptr + slot, tl.sum(acc_kappa, axis=0), mask=col_ok)
        tl.store(part_lam_ptr + slot, tl.sum(acc_lam, axis=0), mask=col_ok)


def _forward(
    x: torch.Tensor, kappa: torch.Tensor, lam: torch.Tensor, inner: int, glu: bool
) -> torch.Tensor:
    y = torch.empty_like(x)
    channels = kappa.numel()
    if x.numel() > 0:
        layout = ChannelLayout(x.numel() // (channels * inner), channels, inner)
        tiles = forward_tiles(layout)
        wrap_triton(_apa_fwd_kernel)[tiles.grid](
            x,
            kappa,
            lam,
            y,
            tiles.rows,
            tiles.cols,
            channels,
            inner,
            tiles.col_blocks,
            GLU=glu,
            PER_ROW=tiles.per_row,
            WIDE=x.dtype == torch.float64,
            BLOCK_R=tiles.block_rows,
            BLOCK_C=tiles.block_cols,
            num_warps=TILE_WARPS,
        )
    return y


def _backward_kernels(
    x: torch.Tensor,
    kappa: torch.Tensor,
    lam: torch.Tensor,
    dy: torch.Tensor,
    inner: int,
    glu: bool,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    dy = dy.contiguous()
    channels = kappa.numel()
    layout = ChannelLayout(x.numel() // max(1, channels * inner), channels, inner)
    tiles = reduction_tiles(layout)
    dx = torch.empty_like(x)
    part_dtype = torch.float64 if x.dtype == torch.float64 else torch.float32
    part_kappa = torch.empty(tiles.partial_shape, dtype=part_dtype, device=x.device)
    part_lam = torch.empty(tiles.partial_shape, dtype=part_dtype, device=x.device)
    wrap_triton(_apa_bwd_kernel)[tiles.grid](
        x,
        dy,
        dx,
        kappa,
        lam,
        part_kappa,
        part_lam,
        tiles.rows,
        tiles.cols,
        channels,
        inner,
        tiles.row_programs,
        tiles.col_blocks,
        GLU=glu,
        PER_ROW=tiles.per_row,
        WIDE=x.dtype == torch.float64,
        BLOCK_R=tiles.block_rows,
        BLOCK_C=tiles.block_cols,
        num_warps=TILE_WARPS,
    )
    d_kappa = reduce_partials(part_kappa, tiles, layout).to(kappa.dtype)
    d_lam = reduce_partials(part_lam, tiles, layout).to(lam.dtype)
    return dx, d_kappa, d_lam


@triton_op("forgetless::apa", mutates_args={})
def apa_op(x: torch.Tensor, kappa: torch.Tensor, lam: torch.Tensor, inner: int) -> torch.Tensor:
    """APA(x) with κ[c], λ[c], c = (k // inner) % len(κ), for a contiguous x."""
    return _forward(x, kappa, lam, inner, False)


@triton_op("forgetless::aglu", mutates_args={})
def aglu_op(x: torch.Tensor, kappa: torch.Tensor, lam: torch.Tensor, inner: int) -> torch.Tensor:
    """AGLU(x) = x·APA(x) with κ[c], λ[c], c = (k // inner) % len(κ), for a contiguous x."""
    return _forward(x, kappa, lam, inner, True)


@triton_op("forgetless::apa_backward", mutates_args={})
def apa_backward_op(
    x: torch.Tensor, kappa: torch.Tensor, lam: torch.Tensor, dy: torch.Tensor, inner: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(dx, dκ, dλ) of APA."""
    return _backward_kernels(x, kappa, lam, dy, inner, False)


@triton_op("forgetless::aglu_backward", mutates_args={})
def aglu_backward_op(
    x: torch.Tensor, kappa: torch.Tensor, lam: torch.Tensor, dy: torch.Tensor, inner: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(dx, dκ, dλ) of AGLU."""
    return _backward_kernels(x, kappa, lam, dy, inner, True)


def _setup_context(ctx, inputs, output) -> None:
    x, kappa, lam, inner = inputs
    ctx.save_for_backward(x, kappa, lam)
    ctx.inner = inner


def _apa_backward(ctx, dy: torch.Tensor):
    x, kappa, lam = ctx.saved_tensors
    return (*apa_backward_op(x, kappa, lam, dy, ctx.inner), None)


def _aglu_backward(ctx, dy: torch.Tensor):
    x, kappa, lam = ctx.saved_tensors
    return (*aglu_backward_op(x, kappa, lam, dy, ctx.inner), None)


apa_op.register_autograd(_apa_backward, setup_context=_setup_context)
aglu_op.register_autograd(_aglu_backward, setup_context=_setup_context)


def _as_tensor(value: object, like: torch.Tensor) -> torch.Tensor | None:
    if isinstance(value, torch.Tensor):
        return value
    number = plain_float(value)
    if number is None:
        return None
    return torch.full((1,), number, dtype=torch.float32, device=like.device)


def _fused(name: str, op, x, kappa, lam, channel_dim) -> torch.Tensor:
    kappa_t, lam_t = _as_tensor(kappa, x), _as_tensor(lam, x)
    layout = None
    if kappa_t is not None and lam_t is not None:
        layout = channel_layout(x, (kappa_t, lam_t), channel_dim)
    if layout is None or not kernel_dtype_ok(x) or x.numel() == 0:
        return reference("apa", f"{name}_reference")(x, kappa, lam, channel_dim)
    return op(
        x.contiguous(),
        as_channel_vector(kappa_t, layout),
        as_channel_vector(lam_t, layout),
        layout.inner,
    )


def fused_apa(
    x: torch.Tensor,
    kappa: torch.Tensor | float,
    lam: torch.Tensor | float,
    channel_dim: int = 1,
) -> torch.Tensor:
    """Fused ``apa_reference``; unsupported cases (bad shapes, empty x) run the reference."""
    return _fused("apa", apa_op, x, kappa, lam, channel_dim)


def fused_aglu(
    x: torch.Tensor,
    kappa: torch.Tensor | float,
    lam: torch.Tensor | float,
    channel_dim: int = 1,
) -> torch.Tensor:
    """Fused ``aglu_reference``; unsupported cases (bad shapes, empty x) run the reference."""
    return _fused("aglu", aglu_op, x, kappa, lam, channel_dim)
