"""Numerically safe building blocks shared by the Triton kernels (all in registers)."""

from __future__ import annotations

import triton
import triton.language as tl


@triton.jit
def bell(log2_ratio, d):
    """Elephant's bell g = 1 / (1 + t), t = |x/σ|^d = 2^(d·log2|x/σ|), and 1 − g.

    Returns (g, 1 − g). 1 − g is computed as t·g while t < 1 (no cancellation for small |x|)
    and as 1 − g otherwise (t may be inf there, where t·g would be inf·0). x = 0 gives
    log2 = −inf, t = 0, g = 1; |x| → inf gives t = inf, g = 0: never inf/inf.
    """
    t = tl.exp2(d * log2_ratio)
    g = 1.0 / (1.0 + t)
    one_minus_g = tl.where(t < 1.0, t * g, 1.0 - g)
    return g, one_minus_g


@triton.jit
def sigmoid_pair(u):
    """(sigmoid(u), sigmoid(−u)) = (σ, 1 − σ), each accurate in its own tail, from e = exp(−|u|)."""
    e = tl.exp(-tl.abs(u))
    inv = 1.0 / (1.0 + e)
    pos = u >= 0
    return tl.where(pos, inv, e * inv), tl.where(pos, e * inv, inv)


@triton.jit
def logsigmoid(u):
    """log σ(u) = min(u, 0) − log1p(exp(−|u|)).

    log1p(e) = log(w)·e/(w − 1) with w = 1 + e (Goldberg's correction; e where w rounds to 1)
    is accurate to a few ulps in fp32 and fp64 alike; APA divides log σ by λ (down to 1e-4),
    so a plain log(1 + e) would lose digits there.
    """
    e = tl.exp(-tl.abs(u))
    w = 1.0 + e
    log1p_e = tl.where(w == 1.0, e, tl.log(w) * (e / tl.where(w == 1.0, 1.0, w - 1.0)))
    return tl.minimum(u, 0.0) - log1p_e
