"""The stability–plasticity figure: learning accuracy (plasticity) against forgetting
(instability), one labelled point per grid row.

``stability_plasticity.png`` (:data:`STABILITY_FILE`): x = LA = mean_j R[j, j], y = max-based
forgetting (Chaudhry et al. 2018), both the mean over seeds (± one standard deviation as error
bars where a row has several). The best corner is bottom right. Rows flagged "did not learn"
are grey crosses (their forgetting measures nothing), the joint upper bound (a strategy whose
spec has ``upper_bound``, or ``joint``) a gold star at forgetting 0 (it trains once), a closed-form head cell (``head`` other than
``"none"``; missing means ``"none"``) a green diamond; with a learning threshold a dashed line
marks it. Like :mod:`forgetless.report.plots`, matplotlib is imported on first use.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from forgetless.report.labels import cell_label
from forgetless.report.plots import NOT_LEARNED_COLOUR, pyplot, wrapped

STABILITY_FILE = "stability_plasticity.png"

# kind -> (marker, colour, legend label)
KINDS = {
    "learned": ("o", "tab:blue", "cell"),
    "not_learned": ("x", NOT_LEARNED_COLOUR, "did not learn (forgetting not a result)"),
    "upper_bound": ("*", "gold", "joint upper bound"),
    "head": ("D", "tab:green", "closed-form head"),
}


def is_upper_bound(strategy: str) -> bool:
    """Whether ``strategy`` is an upper bound (its spec's ``upper_bound``, or ``joint``)."""
    from forgetless.strategy_specs import STRATEGIES

    return strategy == "joint" or bool(getattr(STRATEGIES.get(strategy), "upper_bound", False))


def point_kind(row: dict[str, Any]) -> str:
    """``learned``, ``not_learned``, ``upper_bound`` or ``head``: how a row is drawn."""
    if row.get("learned") is False:
        return "not_learned"
    if is_upper_bound(row["strategy"]):
        return "upper_bound"
    if (row.get("head") or "none") != "none":
        return "head"
    return "learned"


def _row_label(row: dict[str, Any]) -> str:
    return cell_label(row["rule"], row["activation"], row["strategy"], row.get("head") or "none")


def _forgetting(row: dict[str, Any]) -> tuple[float, float]:
    """The row's forgetting (mean, std); a joint bound trains once and forgets nothing: 0."""
    return (0.0, 0.0) if is_upper_bound(row["strategy"]) else tuple(row["forgetting"])


def plot_stability_plasticity(
    path: Path, rows: list[dict[str, Any]], title: str = "", la_threshold: float | None = None
) -> None:
    """Draw LA against forgetting, one labelled point per row of
    :func:`~forgetless.report.table.aggregate` (rows without a finite LA and forgetting, e.g.
    one experience or all seeds failed, are left out and the caption counts them)."""
    drawn = [
        r
        for r in rows
        if r["seeds"] > 0 and math.isfinite(r["la"][0]) and math.isfinite(_forgetting(r)[0])
    ]
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 5.0), layout="constrained")
    seen = set()
    for r in drawn:
        kind = point_kind(r)
        marker, colour, legend = KINDS[kind]
        several = r["seeds"] > 1
        forgetting = _forgetting(r)
        ax.errorbar(
            r["la"][0],
            forgetting[0],
            xerr=r["la"][1] if several else None,
            yerr=forgetting[1] if several else None,
            fmt=marker,
            color=colour,
            markersize=12 if kind == "upper_bound" else 7,
            label=None if kind in seen else legend,
        )
        seen.add(kind)
        ax.annotate(
            _row_label(r),
            (r["la"][0], forgetting[0]),
            textcoords="offset points",
            xytext=(5, 4),
            fontsize=7,
        )
    if la_threshold is not None:
        ax.axvline(la_threshold, color="k", linestyle="--", linewidth=1, label="did-not-learn LA")
    top = max([0.0, *(sum(_forgetting(r)) for r in drawn)])
    ax.set_xlim(0.0, 1.05)
    ax.set_ylim(min([0.0, *(_forgetting(r)[0] for r in drawn)]) - 0.02, max(top, 0.1) * 1.15)
    ax.set_xlabel("LA: learning accuracy, mean_j R[j,j] (plasticity →)")
    ax.set_ylabel("forgetting, max-based (← stability)")
    left_out = len(rows) - len(drawn)
    caption = "one point per row; best: bottom right"
    if left_out:
        caption += f"; {left_out} row(s) without LA / forgetting not drawn"
    ax.set_title(wrapped(f"{title}\n{caption}" if title else caption, 5.6, 9), fontsize=9)
    if drawn or la_threshold is not None:
        ax.legend(fontsize=7, loc="best")
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
