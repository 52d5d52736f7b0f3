"""The comparison table: mean ± std over seeds per (rule, activation, strategy), sorted by ACC.

With a learning threshold (:func:`forgetless.metrics.learning_threshold`), a row whose mean LA
is below it is marked "did not learn" in its LA cell: its forgetting numbers measure nothing,
since a model that never learned its current task has nothing to forget.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from forgetless.report import streaming_table
from forgetless.report.labels import BACKPROP, NO_HEAD
from forgetless.report.numbers import fmt, mean_std
from forgetless.report.plasticity_table import TABLE_NOTE, format_plasticity, plasticity_columns
from forgetless.report.reference_rows import (
    BOUND_KEYS,
    REFERENCE_NOTE,
    format_references,
    is_reference,
)

METRICS = (
    "acc",
    "acc_task",
    "avg_incremental_acc",
    "la",
    "bwt",
    "fwt",
    "forgetting",
    "avalanche_forgetting",
    "train_seconds",
)
# The columns of the table in METRICS order (train_seconds has its own, with one digit).
COLUMNS = (
    "ACC",
    "ACC task-IL",
    "Avg inc. ACC",
    "LA",
    "BWT",
    "FWT",
    "Forgetting",
    "Av. forgetting",
)
NOT_LEARNED = "did not learn"
# Marks an activation whose resolved parameters differ from the paper's bare function.
PAPER_MARK = "†"

DEFINITIONS = """\
- **ACC**: mean accuracy over all experiences after training on the last one, mean_j R[T,j].
- **ACC task-IL**: ACC of the same run evaluated task-incrementally: the same logits masked to the classes of the experience being evaluated (the task label given at test time).
- **Avg inc. ACC**: average incremental accuracy, mean_k (mean_{j≤k} R[k,j]): the accuracy on the experiences seen so far, averaged over the stream (Rebuffi et al. 2017, iCaRL).
- **LA**: learning accuracy, mean_j R[j,j]: each experience right after training on it (Riemer et al. 2019). "did not learn": LA below the threshold halfway between chance and perfect; that row's forgetting numbers are not a result.
- **BWT**: backward transfer, mean_{j<T} (R[T,j] − R[j,j]) (Lopez-Paz & Ranzato 2017); negative = forgetting.
- **FWT**: forward transfer, mean_{j>1} (R[j−1,j] − b_j), b_j = the untrained model's accuracy on j. In a class-incremental run (one head, the classes of j never trained before j) R[j−1,j] ≈ 0, so FWT ≈ −mean_{j>1} b_j: minus the untrained model's accuracy on future classes, whatever the strategy; not a result there (docs/metrics.md).
- **Forgetting**: mean_{j<T} (max_{l<T} R[l,j] − R[T,j]) (Chaudhry et al. 2018), max-based.
- **Av. forgetting**: Avalanche's StreamForgetting, mean_{j<T} (R[j,j] − R[T,j]) = −BWT.
- **Train s**: seconds spent in training (evaluation excluded), per seed.
- **ε (stream)**: with privacy on, the (ε, δ)-DP budget spent over the whole stream (Opacus accountant).
"""


def aggregate(
    cells: list[dict[str, Any]], la_threshold: float | None = None
) -> list[dict[str, Any]]:
    """One row per (rule, activation, strategy): ``mean``/``std`` per metric, seeds, failures.

    With ``la_threshold``, ``row["learned"]`` is False where the mean LA is below it (True
    otherwise; None without a threshold or without a finished seed)."""
    groups: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    for cell in cells:
        key = (cell["rule"], cell["activation"], cell["strategy"], cell.get("head") or NO_HEAD)
        groups.setdefault(key, []).append(cell)
    rows = []
    for (rule, activation, strategy, head), members in groups.items():
        ok = [c for c in members if c.get("error") is None]
        row: dict[str, Any] = {
            "rule": rule,
            "activation": activation,
            "strategy": strategy,
            "head": head,
            "seeds": len(ok),
            "errors": [f"seed {c['seed']}: {c['error']}" for c in members if c.get("error")],
        }
        for key in (*METRICS, *BOUND_KEYS):
            row[key] = mean_std([c.get(key) for c in ok])
        la = row["la"][0]
        measured = la_threshold is not None and math.isfinite(la)
        row["learned"] = bool(la >= la_threshold) if measured else None
        resolved = [c for c in ok if c.get("activation_params") is not None]
        row["activation_params"] = resolved[0]["activation_params"] if resolved else None
        row["paper_differences"] = (
            resolved[0].get("activation_paper_differences") or {} if resolved else {}
        )
        row.update(plasticity_columns(ok))
        row.update(streaming_table.streaming_columns(ok))
        spent = [c["privacy"]["epsilon"] for c in ok if c.get("privacy")]
        row["epsilon"] = mean_std(spent) if spent else None
        rows.append(row)
    rows.sort(key=lambda r: -r["acc"][0] if math.isfinite(r["acc"][0]) else math.inf)
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    """A Markdown table, one line per row; failed cells say why."""
    show_rule = any(r["rule"] != BACKPROP for r in rows)
    show_eps = any(r.get("epsilon") for r in rows)
    show_head = any(r.get("head", NO_HEAD) != NO_HEAD for r in rows)
    show_bounds = any(math.isfinite(r.get("acc_vs_joint", (math.nan,))[0]) for r in rows)
    head = ["Rule"] if show_rule else []
    head += ["Activation", *(["Head"] if show_head else []), "Strategy", *COLUMNS, "Train s"]
    head += ["ACC / joint", "Intransigence"] if show_bounds else []
    head += ["ε (stream)", "Seeds"] if show_eps else ["Seeds"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["rule"]] if show_rule else []
        marked = PAPER_MARK if r.get("paper_differences") else ""
        head_cell = [r.get("head", NO_HEAD)] if show_head else []
        cells += [r["activation"] + marked, *head_cell, r["strategy"]]
        if r["seeds"] == 0:
            blank = len(COLUMNS) + (1 if show_eps else 0) + (2 if show_bounds else 0)
            cells += ["failed: " + "; ".join(r["errors"])] + [""] * blank + ["0"]
        else:
            la_column = len(cells) + METRICS.index("la")
            cells += [fmt(r[k], r["seeds"]) for k in METRICS[: len(COLUMNS)]]
            if r.get("learned") is False:
                cells[la_column] += f" ({NOT_LEARNED})"
            cells += [fmt(r["train_seconds"], r["seeds"], 1)]
            if show_bounds:
                cells += [fmt(r[k], r["seeds"]) for k in BOUND_KEYS]
            if show_eps:
                cells += [fmt(r["epsilon"], r["seeds"], 2) if r.get("epsilon") else "–"]
            cells += [str(r["seeds"])]
            if r["errors"]:
                cells[-1] += f" ({len(r['errors'])} failed)"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def format_tables(rows: list[dict[str, Any]]) -> str:
    """The grid's table, then the reference rows' table (when there are any)."""
    references = format_references(rows)
    grid = format_table([r for r in rows if not is_reference(r)])
    return grid + (f"\n\nReference rows:\n{references}" if references else "")


def not_learned(rows: list[dict[str, Any]]) -> list[str]:
    """Labels (``rule/activation/strategy``) of the rows flagged "did not learn"."""
    return [
        f"{r['rule']}/{r['activation']}/{r['strategy']}" for r in rows if r.get("learned") is False
    ]


def paper_notes(rows: list[dict[str, Any]]) -> list[str]:
    """One line per activation marked :data:`PAPER_MARK`: its parameters that differ from the
    paper's bare function, ``hard_ash: z_k 0.0 (paper 2.3), input_norm True (paper False)``."""
    seen: dict[str, str] = {}
    for r in rows:
        if r.get("paper_differences") and r["activation"] not in seen:
            parts = [f"{k} {v[0]} (paper {v[1]})" for k, v in r["paper_differences"].items()]
            seen[r["activation"]] = f"{r['activation']}{PAPER_MARK}: " + ", ".join(parts)
    return list(seen.values())


def write_summary(path: Path, rows: list[dict[str, Any]], title: str, notes: list[str]) -> None:
    """``summary.md``: title, table, the reference rows, the plasticity table (streams of ten
    experiences or more), the streaming-accuracy table, activations that differ from their paper, cells that did not learn,
    failures, definitions, notes."""
    references = format_references(rows)
    parts = [f"# {title}", "", format_table([r for r in rows if not is_reference(r)]), ""]
    if references:
        parts += ["## Reference rows", "", references, "", REFERENCE_NOTE, ""]
    plasticity = format_plasticity([r for r in rows if not is_reference(r)])
    if plasticity:
        parts += ["## Plasticity", "", plasticity, "", TABLE_NOTE, ""]
    streaming = streaming_table.format_streaming([r for r in rows if not is_reference(r)])
    if streaming:
        parts += ["## Streaming accuracy", "", streaming, "", streaming_table.TABLE_NOTE, ""]
    marked = paper_notes(rows)
    if marked:
        parts += [f"{PAPER_MARK} resolved parameters that differ from the paper's bare function:"]
        parts += [f"- {line}" for line in marked]
        parts.append("")
    flagged = not_learned(rows)
    if flagged:
        parts += ["## Cells that did not learn", ""]
        parts += [f"- {label}: LA below the threshold; ignore its forgetting" for label in flagged]
        parts.append("")
    failures = [(r, e) for r in rows for e in r["errors"]]
    if failures:
        parts += ["## Failed cells", ""]
        parts += [f"- {r['rule']}/{r['activation']}/{r['strategy']} {e}" for r, e in failures]
        parts.append("")
    parts += ["## Metrics", "", DEFINITIONS]
    if notes:
        parts += ["## Notes", "", *[f"- {n}" for n in notes], ""]
    path.write_text("\n".join(parts))
