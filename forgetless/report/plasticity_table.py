"""The plasticity table of a comparison over a long stream: LA on the first and the last tenth
of the experiences (``la_first_tenth``, ``la_last_tenth``) and, with ``monitors.plasticity``, the
monitors at the same two points, mean ± std over seeds per row of the comparison table.

The monitor columns average each metric over the layers that have it (the hidden layers; the
mean weight magnitude: every linear layer; :func:`forgetless.plasticity.history.layer_mean`) at
the experience ends of that tenth.
"""

from __future__ import annotations

import math
from typing import Any

from forgetless.plasticity.history import TABLE_METRICS, layer_mean
from forgetless.report.numbers import fmt, mean_std

LA_KEYS = ("la_first_tenth", "la_last_tenth")
HEADERS = {
    "dormant_units": "Dormant units",
    "tau_dormant_0": "τ-dormant (τ=0)",
    "effective_rank": "Eff. rank",
    "weight_magnitude": "Weight mag.",
}
TABLE_NOTE = (
    "LA on the first and the last 10 % of the experiences; change = last − first (negative: "
    "lost plasticity). Monitor columns (first → last 10 %, mean over hidden layers at the "
    "experience ends; docs/plasticity.md): Dormant units = fraction of units active on fewer "
    "than 1 % of the probe inputs, τ-dormant = fraction with ReDo score 0, Eff. rank = "
    "exp(entropy of the normalised singular values), Weight mag. = mean absolute weight, averaged "
    "over the linear layers (the output layer included)."
)


def plasticity_columns(cells: list[dict[str, Any]]) -> dict[str, tuple[float, float]]:
    """The table's values for one row from its finished cells: ``la_first_tenth``,
    ``la_last_tenth``, ``la_change`` and ``<metric>_first_tenth`` / ``<metric>_last_tenth`` of
    :data:`~forgetless.plasticity.history.TABLE_METRICS` (mean, std); NaN where absent."""
    out = {key: mean_std([c.get(key) for c in cells]) for key in LA_KEYS}
    changes = [
        c["la_last_tenth"] - c["la_first_tenth"]
        for c in cells
        if c.get("la_first_tenth") is not None and c.get("la_last_tenth") is not None
    ]
    out["la_change"] = mean_std(changes)
    for metric in TABLE_METRICS:
        for tenth in ("first_tenth", "last_tenth"):
            values = [layer_mean(c.get(f"plasticity_{tenth}") or {}, metric) for c in cells]
            out[f"{metric}_{tenth}"] = mean_std(values)
    return out


def format_plasticity(rows: list[dict[str, Any]]) -> str | None:
    """The Markdown plasticity table of the aggregated ``rows`` that have ``la_first_tenth``
    (None when none has: a stream of fewer than ten experiences), in the rows' order."""
    rows = [r for r in rows if math.isfinite(r.get("la_first_tenth", (math.nan,))[0])]
    if not rows:
        return None
    monitored = [
        m for m in TABLE_METRICS if any(math.isfinite(r[f"{m}_last_tenth"][0]) for r in rows)
    ]
    show_rule = any(r["rule"] != "backprop" for r in rows)
    head = (["Rule"] if show_rule else []) + ["Activation", "Strategy"]
    head += ["LA first 10 %", "LA last 10 %", "Change", *(HEADERS[m] for m in monitored)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        n = r["seeds"]
        cells = ([r["rule"]] if show_rule else []) + [r["activation"], r["strategy"]]
        cells += [fmt(r[k], n, 3) for k in (*LA_KEYS, "la_change")]
        for m in monitored:
            digits = 1 if m == "effective_rank" else 3
            first, last = (
                fmt(r[f"{m}_first_tenth"], n, digits),
                fmt(r[f"{m}_last_tenth"], n, digits),
            )
            cells.append(f"{first} → {last}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
