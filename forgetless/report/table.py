"""The comparison table: mean ± std over seeds per (rule, activation, strategy), sorted by ACC."""

from __future__ import annotations

import math
import statistics
from pathlib import Path
from typing import Any

METRICS = ("acc", "bwt", "fwt", "forgetting", "avalanche_forgetting", "train_seconds")

DEFINITIONS = """\
- **ACC**: mean accuracy over all experiences after training on the last one, mean_j R[T,j].
- **BWT**: backward transfer, mean_{j<T} (R[T,j] − R[j,j]) (Lopez-Paz & Ranzato 2017); negative = forgetting.
- **FWT**: forward transfer, mean_{j>1} (R[j−1,j] − b_j), b_j = the untrained model's accuracy on j.
- **Forgetting**: mean_{j<T} (max_{l<T} R[l,j] − R[T,j]) (Chaudhry et al. 2018), max-based.
- **Av. forgetting**: Avalanche's StreamForgetting, mean_{j<T} (R[j,j] − R[T,j]) = −BWT.
- **Train s**: seconds spent in training (evaluation excluded), per seed.
- **ε (stream)**: with privacy on, the (ε, δ)-DP budget spent over the whole stream (Opacus accountant).
"""


def _mean_std(values: list[float]) -> tuple[float, float]:
    values = [v for v in values if v is not None and math.isfinite(v)]
    if not values:
        return math.nan, math.nan
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def aggregate(cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (rule, activation, strategy): ``mean``/``std`` per metric, seeds, failures."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for cell in cells:
        groups.setdefault((cell["rule"], cell["activation"], cell["strategy"]), []).append(cell)
    rows = []
    for (rule, activation, strategy), members in groups.items():
        ok = [c for c in members if c.get("error") is None]
        row: dict[str, Any] = {
            "rule": rule,
            "activation": activation,
            "strategy": strategy,
            "seeds": len(ok),
            "errors": [f"seed {c['seed']}: {c['error']}" for c in members if c.get("error")],
        }
        for key in METRICS:
            row[key] = _mean_std([c.get(key) for c in ok])
        spent = [c["privacy"]["epsilon"] for c in ok if c.get("privacy")]
        row["epsilon"] = _mean_std(spent) if spent else None
        rows.append(row)
    rows.sort(key=lambda r: -r["acc"][0] if math.isfinite(r["acc"][0]) else math.inf)
    return rows


def _fmt(pair: tuple[float, float], seeds: int, digits: int = 3) -> str:
    mean, std = pair
    if not math.isfinite(mean):
        return "–"
    return f"{mean:.{digits}f} ± {std:.{digits}f}" if seeds > 1 else f"{mean:.{digits}f}"


def format_table(rows: list[dict[str, Any]]) -> str:
    """A Markdown table, one line per row; failed cells say why."""
    show_rule = any(r["rule"] != "backprop" for r in rows)
    show_eps = any(r.get("epsilon") for r in rows)
    head = ["Rule"] if show_rule else []
    head += [
        "Activation",
        "Strategy",
        "ACC",
        "BWT",
        "FWT",
        "Forgetting",
        "Av. forgetting",
        "Train s",
    ]
    head += ["ε (stream)", "Seeds"] if show_eps else ["Seeds"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["rule"]] if show_rule else []
        cells += [r["activation"], r["strategy"]]
        if r["seeds"] == 0:
            cells += ["failed: " + "; ".join(r["errors"])] + [""] * (6 if show_eps else 5) + ["0"]
        else:
            cells += [_fmt(r[k], r["seeds"]) for k in METRICS[:5]]
            cells += [_fmt(r["train_seconds"], r["seeds"], 1)]
            if show_eps:
                cells += [_fmt(r["epsilon"], r["seeds"], 2) if r.get("epsilon") else "–"]
            cells += [str(r["seeds"])]
            if r["errors"]:
                cells[-1] += f" ({len(r['errors'])} failed)"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_summary(path: Path, rows: list[dict[str, Any]], title: str, notes: list[str]) -> None:
    """``summary.md``: title, table, failures, metric definitions, notes."""
    parts = [f"# {title}", "", format_table(rows), ""]
    failures = [(r, e) for r in rows for e in r["errors"]]
    if failures:
        parts += ["## Failed cells", ""]
        parts += [f"- {r['rule']}/{r['activation']}/{r['strategy']} {e}" for r, e in failures]
        parts.append("")
    parts += ["## Metrics", "", DEFINITIONS]
    if notes:
        parts += ["## Notes", "", *[f"- {n}" for n in notes], ""]
    path.write_text("\n".join(parts))
