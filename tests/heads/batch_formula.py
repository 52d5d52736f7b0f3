"""The float64 batch formulas the streaming heads must reproduce (test helper)."""

from __future__ import annotations

import torch


def class_statistics(x: torch.Tensor, y: torch.Tensor, num_classes: int) -> tuple:
    """``(counts (C,), means (C, d), Σ (d, d))`` of all of ``x`` at once, Σ = S / N with S the
    pooled within-class scatter, by the textbook two-pass formula."""
    x = x.double()
    d = x.shape[1]
    counts = torch.zeros(num_classes, dtype=torch.int64)
    means = torch.zeros(num_classes, d, dtype=torch.float64)
    scatter = torch.zeros(d, d, dtype=torch.float64)
    for c in range(num_classes):
        rows = x[y == c]
        counts[c] = rows.shape[0]
        if rows.shape[0]:
            means[c] = rows.mean(0)
            centred = rows - means[c]
            scatter += centred.T @ centred
    return counts, means, scatter / x.shape[0]


def lda_logits(
    x: torch.Tensor, means: torch.Tensor, sigma: torch.Tensor, s: float, seen
) -> torch.Tensor:
    """``w_c·x + b_c`` with Λ = ((1 − s) Σ + s tr(Σ)/d I)⁻¹, −inf where not ``seen``."""
    d = sigma.shape[0]
    shrunk = (1 - s) * sigma + s * torch.trace(sigma) / d * torch.eye(d, dtype=torch.float64)
    precision = torch.linalg.inv(shrunk)
    logits = x.double() @ precision @ means.T - 0.5 * torch.einsum(
        "cd,de,ce->c", means, precision, means
    )
    return logits.masked_fill(~seen, float("-inf"))
