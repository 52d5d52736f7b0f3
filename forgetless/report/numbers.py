"""Mean ± std over seeds, computed and printed one way in every table of the report."""

from __future__ import annotations

import math
import statistics


def mean_std(values: list[float | None]) -> tuple[float, float]:
    """Mean and sample std of the finite ``values`` (std 0 for one; NaN, NaN for none)."""
    found = [v for v in values if v is not None and math.isfinite(v)]
    if not found:
        return math.nan, math.nan
    return statistics.fmean(found), statistics.stdev(found) if len(found) > 1 else 0.0


def fmt(pair: tuple[float, float], seeds: int, digits: int = 3) -> str:
    """``mean ± std`` (``mean`` alone for one seed, ``–`` for NaN) with ``digits`` decimals."""
    mean, std = pair
    if not math.isfinite(mean):
        return "–"
    return f"{mean:.{digits}f} ± {std:.{digits}f}" if seeds > 1 else f"{mean:.{digits}f}"
