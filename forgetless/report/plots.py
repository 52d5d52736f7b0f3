"""PNG plots of a comparison: accuracy-matrix heatmaps and ACC / forgetting bars.

Both doors write the same two files: ``accuracy_matrices.png`` (:data:`HEATMAP_FILE`) and
``acc_forgetting.png`` (:data:`BARS_FILE`). Experiences are numbered 1..T on every axis (as in
the papers and the terminal table). Each figure carries a title naming the scenario and preset,
the heatmaps a colour bar, the bars their y-axis labels; error bars (± one standard deviation over
the seeds) are drawn only when a row has more than one seed, and the caption says so.
matplotlib (Agg backend) is imported by the plotting functions, not with this module: importing
:mod:`forgetless.report` stays cheap for code that only writes tables or results.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from forgetless.report.labels import cell_label

HEATMAP_FILE = "accuracy_matrices.png"
BARS_FILE = "acc_forgetting.png"

# Panels of the bar plot: (row key, panel title, y-axis label); a key absent from the rows is skipped.
BAR_PANELS = (
    ("acc", "ACC: final accuracy (higher is better)", "ACC"),
    ("la", "LA: learned when trained (higher is better)", "learning accuracy"),
    ("forgetting", "Forgetting, max-based (lower is better)", "forgetting"),
)


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the non-interactive Agg backend (imported on first use)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _label(cell: dict[str, Any]) -> str:
    label = cell_label(
        cell["rule"], cell["activation"], cell["strategy"], cell.get("head") or "none"
    )
    return f"{label} s{cell['seed']}"


def plot_heatmaps(path: Path, cells: list[dict[str, Any]], title: str = "") -> None:
    """A grid of accuracy-matrix heatmaps, one per successful cell: row i = after training on
    experience i, column j = evaluated on experience j (both 1-based), one shared colour bar."""
    ok = [c for c in cells if c.get("accuracy_matrix")]
    n = max(len(ok), 1)
    cols = min(n, 4)
    rows = math.ceil(n / cols)
    plt = pyplot()
    fig, axes = plt.subplots(
        rows, cols, figsize=(3.3 * cols + 0.9, 3.1 * rows + 0.6), squeeze=False
    )
    for ax in axes.flat:
        ax.axis("off")
    image = None
    for ax, cell in zip(axes.flat, ok, strict=False):
        R = np.array(cell["accuracy_matrix"], dtype=float)
        ax.axis("on")
        image = ax.imshow(R, vmin=0.0, vmax=1.0, cmap="viridis")
        T = R.shape[0]
        for i in range(T):
            for j in range(T):
                ax.text(
                    j,
                    i,
                    f"{R[i, j]:.2f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if R[i, j] < 0.6 else "black",
                )
        ax.set_xticks(range(T), [str(j + 1) for j in range(T)])
        ax.set_yticks(range(T), [str(i + 1) for i in range(T)])
        ax.set_xlabel("evaluated on experience", fontsize=8)
        ax.set_ylabel("after training on experience", fontsize=8)
        ax.set_title(f"{_label(cell)}\nACC {cell['acc']:.3f}", fontsize=9)
    if not ok:
        axes.flat[0].text(0.5, 0.5, "no successful cell", ha="center", va="center")
    fig.suptitle(title or "Accuracy matrices", fontsize=11)
    fig.tight_layout(rect=(0, 0, 0.9 if image is not None else 1, 0.97))
    if image is not None:
        bar_axes = fig.add_axes((0.92, 0.15, 0.02, 0.7))
        fig.colorbar(image, cax=bar_axes, label="test accuracy")
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_bars(path: Path, rows: list[dict[str, Any]], title: str = "") -> None:
    """Bars of ACC, LA (when present) and forgetting per grid row: the mean over seeds, with
    ± one standard deviation as error bars where a row has more than one seed."""
    ok = [r for r in rows if r["seeds"] > 0]
    panels = [p for p in BAR_PANELS if any(p[0] in r for r in ok)] or list(BAR_PANELS[:1])
    labels = [
        cell_label(r["rule"], r["activation"], r["strategy"], r.get("head") or "none") for r in ok
    ]
    x = np.arange(len(ok))
    width = max(5.0, 0.9 * len(ok) + 2.5)
    plt = pyplot()
    fig, axes = plt.subplots(
        1, len(panels), figsize=(width * len(panels) / 2 + 1, 4.4), squeeze=False
    )
    seeds = sorted({r["seeds"] for r in ok})
    for ax, (key, panel_title, ylabel) in zip(axes.flat, panels, strict=True):
        means = [r[key][0] if key in r else math.nan for r in ok]
        stds = [r[key][1] if key in r and r["seeds"] > 1 else 0.0 for r in ok]
        errors = stds if any(r["seeds"] > 1 for r in ok) else None
        colour = "tab:red" if key == "forgetting" else "tab:blue"
        ax.bar(x, means, yerr=errors, capsize=3 if errors else 0, color=colour)
        ax.set_xticks(x, labels, rotation=35, ha="right", fontsize=8)
        ax.set_ylim(0, 1.12)  # room above 1.0 for the value labels, below the panel title
        ax.set_yticks(np.linspace(0, 1, 6))
        ax.set_ylabel(ylabel)
        ax.set_title(panel_title, fontsize=10)
        for xi, m, s in zip(x, means, stds, strict=False):
            if math.isfinite(m):
                ax.text(xi, min(m + s, 1.0) + 0.02, f"{m:.2f}", ha="center", fontsize=7)
    if seeds and seeds[-1] > 1:
        caption = f"bars: mean over {'/'.join(map(str, seeds))} seeds; error bars: ± 1 std"
    else:
        caption = "one seed per bar (no error bars)"
    fig.suptitle(f"{title}\n{caption}" if title else caption, fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    fig.savefig(path, dpi=110)
    plt.close(fig)
