"""The table of a ``forgetless sweep``: one candidate row per grid point × (rule, activation,
strategy) of the base config, ranked by validation ACC, and the files ``sweep.md`` / ``sweep.json``.

Only the selected row (the best validation ACC) carries test numbers; every other row's ``test``
is null, so no test number can influence (or be mistaken for) the selection.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from forgetless.app.run.cell_store import write_atomically
from forgetless.report import aggregate
from forgetless.report.labels import cell_label
from forgetless.report.reference_rows import is_reference

SHOWN = ("acc", "la", "forgetting")


def candidate_rows(point_index: int, overrides: list[str], results: dict) -> list[dict[str, Any]]:
    """The rows of one point's compare run (its ``results.json``), means and stds over seeds."""
    rows = []
    for row in aggregate(results["cells"]):
        if is_reference(row):
            continue
        rows.append(
            {
                "point": point_index,
                "overrides": overrides,
                "rule": row["rule"],
                "activation": row["activation"],
                "strategy": row["strategy"],
                "validation": {key: _pair(row[key]) for key in SHOWN},
                "seeds": row["seeds"],
                "errors": row["errors"],
                "test": None,
            }
        )
    return rows


def _pair(pair: tuple[float, float]) -> list[float | None]:
    return [None if not math.isfinite(v) else v for v in pair]


def rank(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` by validation ACC, best first (rows without one last); ties keep grid order."""
    acc = [r["validation"]["acc"][0] for r in rows]
    order = sorted(range(len(rows)), key=lambda i: (acc[i] is None, -(acc[i] or 0.0), i))
    return [rows[i] for i in order]


def selected_numbers(results: dict) -> dict[str, Any]:
    """ACC, LA and forgetting (mean, std over seeds) of the selected config's test run."""
    (row,) = [r for r in aggregate(results["cells"]) if not is_reference(r)]  # not the bounds
    if results.get("evaluated_on") != "test":
        raise ValueError("the selected configuration's run must be evaluated on the test stream")
    return {key: _pair(row[key]) for key in SHOWN} | {
        "seeds": row["seeds"],
        "errors": row["errors"],
    }


def _fmt(pair: list[float | None] | None, seeds: int) -> str:
    if not pair or pair[0] is None:
        return "–"
    return f"{pair[0]:.3f} ± {pair[1]:.3f}" if seeds > 1 else f"{pair[0]:.3f}"


def _label(row: dict[str, Any]) -> str:
    return cell_label(row["rule"], row["activation"], row["strategy"])


def markdown(summary: dict[str, Any]) -> str:
    """``sweep.md``: what was measured, the ranked table, then the selected config's test run."""
    held = summary["validation_fraction"]
    f = f"{held:g}" if not isinstance(held, list) else "/".join(f"{v:g}" for v in held)
    head = ["#", "Overrides", "Cell", "Val ACC", "Val LA", "Val forgetting", "Test ACC"]
    lines = [
        f"# forgetless sweep: {summary['preset']} ({summary['scenario']})",
        "",
        f"Ranked by VALIDATION ACC: {f} of each experience's training data held out (never "
        f"trained on), seeds {summary['select_seeds']}. Only the selected row (first) was run on "
        f"the test stream, with seeds {summary['seeds']} and the same fraction held out.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for index, row in enumerate(summary["rows"], 1):
        val, seeds = row["validation"], row["seeds"]
        test = row["test"]
        cells = [str(index), " ".join(row["overrides"]) or "(base)", _label(row)]
        if seeds == 0:
            cells += ["failed: " + "; ".join(row["errors"]), "", "", ""]
        else:
            cells += [_fmt(val[k], seeds) for k in SHOWN]
            cells.append(_fmt(test["acc"], test["seeds"]) if test else "")
        lines.append("| " + " | ".join(cells) + " |")
    selected = summary.get("selected")
    if selected is not None:
        test = selected["test"]
        lines += [
            "",
            "## Selected configuration, on the test stream",
            "",
            f"- cell: {_label(selected)}, overrides: {' '.join(selected['overrides']) or '(base)'}",
            f"- test ACC {_fmt(test['acc'], 2)}, LA {_fmt(test['la'], 2)}, forgetting "
            f"{_fmt(test['forgetting'], 2)} (mean ± std over seeds {summary['seeds']})",
            f"- run folder: {selected['run']}",
            f"- reproduce: `{selected['command']}`",
        ]
    return "\n".join(lines) + "\n"


def write_summary(folder: Path, summary: dict[str, Any]) -> None:
    """Write ``sweep.json`` and ``sweep.md`` into ``folder`` (each atomically)."""
    write_atomically(folder / "sweep.json", json.dumps(summary, indent=2) + "\n")
    write_atomically(folder / "sweep.md", markdown(summary))
