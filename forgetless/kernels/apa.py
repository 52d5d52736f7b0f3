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

from forgetless.checks import Reference, plain_float

from ._channels import (
    channel_backward,
    channel_forward,
    column_channels,
    forward_tile,
    per_channel_op,
    row_block,
    store_partials,
    tile_position,
)
from ._launch import define_ops
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
def _limit_zero(z, p):
    """z, or 0 where the gate p is 0: AGLU = z·p tends to 0 there (z → −inf for κ > 0), where
    −inf·0 would be NaN; as the reference (``aglu_reference``)."""
    return tl.where(p == 0.0, 0.0, z)


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
    offs, mask, ch = forward_tile(
        rows, cols, channels, inner, col_blocks, PER_ROW, BLOCK_R, BLOCK_C
    )
    kappa, log_lam, inv_lam = _load_parameters(kappa_ptr, lam_ptr, ch, cdt)
    z = tl.load(x_ptr + offs, mask=mask, other=0.0).to(cdt)
    p, _, _ = _apa_gate(z, kappa, log_lam, inv_lam)
    y = _limit_zero(z, p) * p if GLU else p
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
    # p·(ls + 1 − σ) is 0 there, not 0·inf. A NaN z keeps its NaN (p == 0 is False for NaN).
    dp_dlam = tl.where(p == 0.0, 0.0, -(p * (ls + one_minus_sig)) * (inv_lam * inv_lam))
    if GLU:
        dx = dy * (p + _limit_zero(z, p) * dp_dz)
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
        row, offs, mask = row_block(r0, rows, cols, col, col_ok, BLOCK_R)
        if PER_ROW:
            ch = (row % channels)[:, None]
            kappa, log_lam, inv_lam = _load_parameters(kappa_ptr, lam_ptr, ch, cdt)
        c_kappa, c_lam = _apa_tile(
            x_ptr, dy_ptr, dx_ptr, offs, mask, kappa, log_lam, inv_lam, GLU, cdt
        )
        if PER_ROW:
            slot = pid_c.to(tl.int64) * rows + row
            store_partials(part_kappa_ptr, part_lam_ptr, c_kappa, c_lam, slot, row < rows, 1)
        else:
            acc_kappa += c_kappa
            acc_lam += c_lam
    if not PER_ROW:
        slot = pid_r.to(tl.int64) * cols + col
        store_partials(part_kappa_ptr, part_lam_ptr, acc_kappa, acc_lam, slot, col_ok, 0)


def _as_tensor(value: object, like: torch.Tensor) -> torch.Tensor | None:
    """A tensor κ or λ as it is; a Python number as a constant one-element fp32 tensor."""
    if isinstance(value, torch.Tensor):
        return value
    number = plain_float(value)
    if number is None:
        return None
    return torch.full((1,), number, dtype=torch.float32, device=like.device)


def _define(name: str, glu: bool):
    """The forward and backward ops of APA (``glu=False``) or AGLU, and its fused function."""

    def forward(
        x: torch.Tensor, kappa: torch.Tensor, lam: torch.Tensor, inner: int
    ) -> torch.Tensor:
        return channel_forward(_apa_fwd_kernel, x, (kappa, lam), inner, GLU=glu)

    def backward(
        x: torch.Tensor, kappa: torch.Tensor, lam: torch.Tensor, dy: torch.Tensor, inner: int
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return channel_backward(_apa_bwd_kernel, x, (kappa, lam), dy, inner, GLU=glu)

    op, backward_op = define_ops(name, forward, backward, tensors=3)

    def fused(
        reference: Reference,
        x: torch.Tensor,
        kappa: torch.Tensor | float,
        lam: torch.Tensor | float,
        channel_dim: int = 1,
    ) -> torch.Tensor:
        params = (_as_tensor(kappa, x), _as_tensor(lam, x))
        y = None
        if params[0] is not None and params[1] is not None:
            y = per_channel_op(op, x, params, channel_dim)
        return reference(x, kappa, lam, channel_dim) if y is None else y

    fused.__name__ = fused.__qualname__ = f"fused_{name}"
    fused.__doc__ = (
        f"Fused ``reference(x, kappa, lam, channel_dim)`` ({name}); unsupported cases (bad "
        "shapes, empty x) run the reference."
    )
    return op, backward_op, fused


# APA(x) and AGLU(x) = x·APA(x) with κ[c], λ[c], c = (k // inner) % len(κ), for a contiguous x;
# the backward ops return (dx, dκ, dλ).
apa_op, apa_backward_op, fused_apa = _define("apa", glu=False)
aglu_op, aglu_backward_op, fused_aglu = _define("aglu", glu=True)
