"""In-register pieces of ASH / Hard ASH shared by the on-chip and the long-row kernels.

See :mod:`forgetless.kernels.ash` for the formulas and the derivation of the backward pass.
"""

from __future__ import annotations

import triton
import triton.language as tl

EPS = tl.constexpr(1e-12)  # = forgetless.activations.ash.EPS (globals must be constexpr)


@triton.jit
def smallest_normal(WIDE: tl.constexpr):
    """The dtype's smallest normal number: the floor of s = max|x − μ| (as the reference)."""
    return 2.2250738585072014e-308 if WIDE else 1.1754943508222875e-38


@triton.jit
def clip(v, low, high):
    """clamp(v, low, high) that keeps NaN, like torch.clamp (Triton's min/max drop it by default:
    a NaN row of Hard ASH would come out 0, not NaN as in the reference)."""
    v = tl.maximum(v, low, propagate_nan=tl.PropagateNan.ALL)
    return tl.minimum(v, high, propagate_nan=tl.PropagateNan.ALL)


@triton.jit
def ash_output(x, u, HARD: tl.constexpr):
    """ASH: x·sigmoid(u); Hard ASH: clip(x, 0, 2)·clip(u + 3, 0, 6)/6."""
    if HARD:
        y = clip(x, 0.0, 2.0) * (clip(u + 3.0, 0.0, 6.0) / 6.0)
    else:
        y = x * (1.0 / (1.0 + tl.exp(-u)))
    return y


@triton.jit
def ash_slopes(x, dy, u, HARD: tl.constexpr):
    """(dy·∂y/∂x at fixed u, a = dy·∂y/∂u); the clip masks are open intervals like torch.clamp's."""
    if HARD:
        v = u + 3.0
        gate = clip(v, 0.0, 6.0) / 6.0
        clipped = clip(x, 0.0, 2.0)
        direct = dy * tl.where((x > 0.0) & (x < 2.0), gate, 0.0)
        a = tl.where((v > 0.0) & (v < 6.0), dy * clipped / 6.0, 0.0)
    else:
        e = tl.exp(-tl.abs(u))
        inv = 1.0 / (1.0 + e)
        sig = tl.where(u >= 0, inv, e * inv)
        one_minus_sig = tl.where(u >= 0, e * inv, inv)
        direct = dy * sig
        a = dy * x * (sig * one_minus_sig)
    return direct, a
