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
def bell_power(ratio, D: tl.constexpr):
    """:func:`bell` for a small integer d, from ratio = |x|/σ by D − 1 multiplications.

    No log2/exp2 (each a polynomial on the GPU): for d = 4, the default, this keeps the
    elementwise kernels memory bound even in bf16. ratio^D may overflow to inf: g = 0 then.
    """
    t = ratio
    for _ in tl.static_range(D - 1):
        t = t * ratio
    g = 1.0 / (1.0 + t)
    one_minus_g = tl.where(t < 1.0, t * g, 1.0 - g)
    return g, one_minus_g


@triton.jit
def elephant_bell(abs_x, log2_width, inv_width, d, D_INT: tl.constexpr):
    """(g, 1 − g) of g = 1/(1 + (|x|/width)^d): :func:`bell_power` when d is the small integer
    ``D_INT`` (> 0), else the log-domain :func:`bell`."""
    if D_INT > 0:
        g, one_minus_g = bell_power(abs_x * inv_width, D_INT)
    else:
        g, one_minus_g = bell(tl.log2(abs_x) - log2_width, d)
    return g, one_minus_g


@triton.jit
def sigmoid_pair(u):
    """(sigmoid(u), sigmoid(−u)) = (σ, 1 − σ), each accurate in its own tail, from e = exp(−|u|)."""
    e = tl.exp(-tl.abs(u))
    inv = 1.0 / (1.0 + e)
    pos = u >= 0
    return tl.where(pos, inv, e * inv), tl.where(pos, e * inv, inv)


@triton.jit
def logsigmoid_and_sigmoids(u):
    """(log σ(u), σ(u), 1 − σ(u)) from one e = exp(−|u|).

    log σ(u) = min(u, 0) − log1p(e), with log1p(e) = log(w) − ((w − 1) − e)/w, w = 1 + e: the
    first-order correction of the rounding of w, accurate to a few ulps (APA divides log σ by
    λ down to 1e-4, where a plain log(1 + e) would lose digits), and it reuses 1/w, which the
    sigmoids need anyway. Exactly e where w rounds to 1.
    """
    e = tl.exp(-tl.abs(u))
    w = 1.0 + e
    inv_w = 1.0 / w
    log1p_e = tl.log(w) - ((w - 1.0) - e) * inv_w
    pos = u >= 0
    sig = tl.where(pos, inv_w, e * inv_w)
    one_minus_sig = tl.where(pos, e * inv_w, inv_w)
    return tl.minimum(u, 0.0) - log1p_e, sig, one_minus_sig
