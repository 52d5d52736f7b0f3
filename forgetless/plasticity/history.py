"""A monitor history over a stream, summarised per tenth of the stream.

A history is the list of rows :class:`~forgetless.avalanche.PlasticityMonitorPlugin` keeps: each
row holds ``step``, ``experience`` (1..T) and ``plasticity/<layer>/<metric>`` values. The row
measured last within an experience is that experience's end.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

PREFIX = "plasticity/"
# The metrics the comparison's plasticity table shows, averaged over the layers that have them
# (the hidden layers; weight_magnitude: every linear layer).
TABLE_METRICS = ("dormant_units", "tau_dormant_0", "effective_rank", "weight_magnitude")


def experience_ends(history: Sequence[dict[str, float]]) -> list[dict[str, float]]:
    """The last row of each experience, in stream order."""
    ends: dict[float, dict[str, float]] = {}
    for row in history:
        ends[row["experience"]] = row
    return [ends[k] for k in sorted(ends)]


def tenth_means(
    history: Sequence[dict[str, float]], n_experiences: int
) -> dict[str, dict[str, float]]:
    """``{"first_tenth": {name: mean}, "last_tenth": {name: mean}}``: each monitored value's
    mean over the experience-end rows of the first and the last tenth of a stream of
    ``n_experiences`` (the tenths of ``la_first_tenth`` / ``la_last_tenth``); ``{}`` for fewer
    than ten experiences or an empty history.

    Raises:
        ValueError: the history does not end every experience 1..``n_experiences``.
    """
    tenth = n_experiences // 10
    if tenth == 0 or not history:
        return {}
    ends = experience_ends(history)
    if [row["experience"] for row in ends] != [float(k) for k in range(1, n_experiences + 1)]:
        raise ValueError(f"plasticity history: expected the ends of experiences 1..{n_experiences}")
    out = {}
    for key, rows in (("first_tenth", ends[:tenth]), ("last_tenth", ends[-tenth:])):
        names = [name for name in rows[0] if name.startswith(PREFIX)]
        out[key] = {name: statistics.fmean(row[name] for row in rows) for name in names}
    return out


def layer_mean(values: dict[str, float], metric: str) -> float | None:
    """The mean of ``plasticity/<layer>/<metric>`` over the layers that have it (None: none)."""
    found = [
        v for name, v in values.items() if name.startswith(PREFIX) and name.endswith(f"/{metric}")
    ]
    return statistics.fmean(found) if found else None


def monitor_record(history: Sequence[dict[str, float]], n_experiences: int) -> dict[str, object]:
    """What a cell's record keeps of its monitor: ``plasticity_monitor`` (the history) and
    ``plasticity_first_tenth`` / ``plasticity_last_tenth`` (:func:`tenth_means`; None for a
    stream of fewer than ten experiences)."""
    tenths = tenth_means(history, n_experiences)
    return {
        "plasticity_monitor": list(history),
        "plasticity_first_tenth": tenths.get("first_tenth"),
        "plasticity_last_tenth": tenths.get("last_tenth"),
    }
