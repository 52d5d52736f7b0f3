"""The reference rows of a comparison: the joint upper bounds and the closed-form heads.

:func:`attach_bounds` gives every sequential cell ``acc_vs_joint`` (its ACC as a fraction of the
joint bound of the same rule, activation and seed) and ``intransigence`` (mean_j a*_j − R[j, j],
:mod:`forgetless.metrics.bounds`); :func:`format_references` is the table of the reference rows
that summary.md and the terminal show under the grid's table; :func:`reference_summary` is
results.json's ``references``.
"""

from __future__ import annotations

from typing import Any

from forgetless.metrics.bounds import intransigence, relative_to_joint
from forgetless.report.labels import NO_HEAD, REFERENCE
from forgetless.report.numbers import fmt

JOINT = "joint"  # the upper-bound strategy (strategy_specs: upper_bound=True)
BOUND_KEYS = ("acc_vs_joint", "intransigence")


def is_reference(row: dict[str, Any]) -> bool:
    """A joint bound's or a reference head's row (or record)."""
    return row["strategy"] == JOINT or row["rule"] == REFERENCE


def attach_bounds(records: list[dict[str, Any]]) -> None:
    """Set ``acc_vs_joint`` and ``intransigence`` on each finished sequential record that has a
    finished joint record of the same rule, activation and seed (None otherwise)."""
    bounds = {
        (r["rule"], r["activation"], r["seed"]): r["joint_accuracy"]
        for r in records
        if r["strategy"] == JOINT and r.get("error") is None and r.get("joint_accuracy")
    }
    for record in records:
        if is_reference(record) or record.get("error") is not None:
            continue
        joint = bounds.get((record["rule"], record["activation"], record["seed"]))
        R = record.get("accuracy_matrix")
        if joint is None or not R or record.get("acc") is None:
            record.update(dict.fromkeys(BOUND_KEYS))
            continue
        record["acc_vs_joint"] = relative_to_joint(record["acc"], joint)
        record["intransigence"] = intransigence(R, joint)


def _name(row: dict[str, Any]) -> str:
    if row["rule"] == REFERENCE:
        return row.get("head", NO_HEAD)
    prefix = "" if row["rule"] == "backprop" else f"{row['rule']}/"
    return f"{prefix}{row['activation']}/{JOINT} (upper bound)"


def format_references(rows: list[dict[str, Any]]) -> str:
    """A Markdown table of the reference rows of ``rows`` (aggregated rows), "" when none."""
    refs = [r for r in rows if is_reference(r)]
    if not refs:
        return ""
    lines = ["| Reference | ACC | LA | Forgetting | Train s | Seeds |", "|---|---|---|---|---|---|"]
    for r in refs:
        if r["seeds"] == 0:
            lines.append(f"| {_name(r)} | failed: {'; '.join(r['errors'])} | | | | 0 |")
            continue
        cells = [fmt(r[k], r["seeds"]) for k in ("acc", "la", "forgetting")]
        seconds = f"{r['train_seconds'][0]:.1f}"
        lines.append(f"| {_name(r)} | {' | '.join(cells)} | {seconds} | {r['seeds']} |")
    return "\n".join(lines)


REFERENCE_NOTE = (
    "Reference rows: the joint upper bound (the same model, optimizer and total steps trained "
    "once on the union of the experiences, i.i.d.; LA = its ACC) and closed-form streaming heads "
    "(slda: streaming LDA, Hayes & Kanan 2020; ncm: nearest class mean) on the standardised "
    "inputs (pixels) or a fixed random ReLU map (random). ACC / joint: a cell's ACC as a fraction "
    "of its joint bound's; Intransigence: mean_j (a*_j − R[j,j]), a*_j the joint accuracy on "
    "experience j (Chaudhry et al. 2018)."
)


def reference_summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """results.json's ``references``: name, ACC / LA mean and std, seeds of each reference row."""
    return [
        {
            "name": _name(r),
            "rule": r["rule"],
            "activation": r["activation"],
            "strategy": r["strategy"],
            "head": r.get("head", NO_HEAD),
            "acc": list(r["acc"]),
            "la": list(r["la"]),
            "seeds": r["seeds"],
        }
        for r in rows
        if is_reference(r)
    ]
