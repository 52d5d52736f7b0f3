"""The streaming-accuracy table of a comparison run with ``monitors.streaming_accuracy``:
prequential (test-then-train) accuracy over the whole stream, the anytime accuracy (pooled over
the experiences seen so far) averaged over its measurements and at its last one, next to ACC;
mean ± std over seeds per row of the comparison table."""

from __future__ import annotations

import math
from typing import Any

from forgetless.report.numbers import fmt, mean_std

KEYS = ("prequential_acc", "anytime_mean", "anytime_last", "acc")
HEADERS = ("Prequential ACC", "Anytime ACC (mean)", "Anytime ACC (last)", "ACC")
TABLE_NOTE = (
    "Prequential ACC: each training minibatch predicted before it is learned, pooled over the "
    "stream. Anytime ACC: accuracy on the evaluation data of the experiences seen so far, every "
    "monitors.anytime_every_n_steps iterations (mean over the stream, and the last measurement); "
    "ACC is measured after the last experience only (docs/plasticity.md)."
)


def streaming_columns(cells: list[dict[str, Any]]) -> dict[str, tuple[float, float]]:
    """``prequential_acc``, ``anytime_mean`` and ``anytime_last`` (mean, std over ``cells``)."""
    curves = [c.get("anytime_accuracy") or [] for c in cells]
    return {
        "prequential_acc": mean_std([c.get("prequential_acc") for c in cells]),
        "anytime_mean": mean_std([sum(a for _, a in xs) / len(xs) for xs in curves if xs]),
        "anytime_last": mean_std([xs[-1][1] for xs in curves if xs]),
    }


def format_streaming(rows: list[dict[str, Any]]) -> str | None:
    """The Markdown table of the aggregated ``rows`` with a prequential accuracy (None: none)."""
    rows = [r for r in rows if math.isfinite(r.get("prequential_acc", (math.nan,))[0])]
    if not rows:
        return None
    lines = ["| Activation | Strategy | " + " | ".join(HEADERS) + " |", "|" + "---|" * 6]
    for r in rows:
        values = [fmt(r[k], r["seeds"], 3) for k in KEYS]
        lines.append(f"| {r['activation']} | {r['strategy']} | " + " | ".join(values) + " |")
    return "\n".join(lines)
