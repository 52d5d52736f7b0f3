"""PNG plots of a comparison: accuracy-matrix heatmaps and ACC / forgetting bars.

Both doors write the same two files: ``accuracy_matrices.png`` (:data:`HEATMAP_FILE`) and
``acc_forgetting.png`` (:data:`BARS_FILE`); ``forgetless compare`` also writes
``stability_plasticity.png`` (:mod:`forgetless.report.stability_plot`). Experiences are numbered
1..T on every axis (as in the papers and the terminal table). Each figure carries a title naming
the scenario and preset, the heatmaps a colour bar, the bars their y-axis labels; error bars
(± one standard deviation over the seeds) are drawn only when a row has more than one seed, and
the caption says so. Cells flagged "did not learn" (``learned`` False) are grey and hatched, with
a legend entry saying so; with a learning threshold the LA panel draws it and the chance level
it is derived from. Figures use constrained layout and are saved with ``bbox_inches="tight"``,
so titles and the colour-bar label are never clipped, whatever the grid size.
matplotlib (Agg backend) is imported by the plotting functions, not with this module: importing
:mod:`forgetless.report` stays cheap for code that only writes tables or results.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from forgetless.report.labels import cell_label

HEATMAP_FILE = "accuracy_matrices.png"
BARS_FILE = "acc_forgetting.png"
NOT_LEARNED_COLOUR = "0.6"  # grey
NOT_LEARNED_HATCH = "//"

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


def wrapped(text: str, width_inches: float, fontsize: float) -> str:
    """``text`` broken into lines that fit ``width_inches`` at ``fontsize`` points (an average
    glyph is taken as 0.6 em wide), so a long title fits a figure of one small panel."""
    chars = max(12, int(width_inches * 72 / (0.6 * fontsize)))
    return "\n".join(textwrap.fill(line, chars) for line in text.split("\n"))


def chance_from_threshold(la_threshold: float) -> float:
    """The chance level the threshold of :func:`forgetless.metrics.learning_threshold` is
    halfway from: ``threshold = (1 + chance) / 2``."""
    return 2.0 * la_threshold - 1.0


# Up to this many experiences a heatmap prints its accuracies; a longer stream (100 tasks of
# preset=plasticity) gets colours only and one tick per T // ANNOTATED_UP_TO experiences.
ANNOTATED_UP_TO = 12


def plot_heatmaps(path: Path, cells: list[dict[str, Any]], title: str = "") -> None:
    """A grid of accuracy-matrix heatmaps, one per successful cell: row i = after training on
    experience i, column j = evaluated on experience j (both 1-based), one shared colour bar;
    entries never evaluated (NaN, null in results.json) are left blank; past
    :data:`ANNOTATED_UP_TO` experiences the numbers are left out.
    A cell flagged "did not learn" (``learned`` False) is hatched and its title says so."""
    ok = [c for c in cells if c.get("accuracy_matrix")]
    n = max(len(ok), 1)
    cols = min(n, 4)
    rows = math.ceil(n / cols)
    plt = pyplot()
    size = (3.3 * cols + 0.9, 3.1 * rows + 0.6)
    fig, axes = plt.subplots(rows, cols, figsize=size, squeeze=False, layout="constrained")
    for ax in axes.flat:
        ax.axis("off")
    image = None
    for ax, cell in zip(axes.flat, ok, strict=False):
        R = np.array(cell["accuracy_matrix"], dtype=float)
        ax.axis("on")
        image = ax.imshow(R, vmin=0.0, vmax=1.0, cmap="viridis")
        T = R.shape[0]
        for i in range(T if T <= ANNOTATED_UP_TO else 0):
            for j in range(T):
                if not math.isfinite(R[i, j]):  # not evaluated (train.evaluate=current)
                    continue
                ax.text(
                    j,
                    i,
                    f"{R[i, j]:.2f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if R[i, j] < 0.6 else "black",
                )
        ticks = range(0, T, max(1, T // ANNOTATED_UP_TO))
        ax.set_xticks(ticks, [str(j + 1) for j in ticks])
        ax.set_yticks(ticks, [str(i + 1) for i in ticks])
        ax.set_xlabel("evaluated on experience", fontsize=8)
        ax.set_ylabel("after training on experience", fontsize=8)
        heading = f"{_label(cell)}\nACC {cell['acc']:.3f}"
        if cell.get("learned") is False:
            heading += " (did not learn)"
            ax.add_patch(_hatch_patch(ax, T))
        colour = "0.4" if cell.get("learned") is False else "k"
        ax.set_title(wrapped(heading, 3.0, 9), fontsize=9, color=colour)
    if not ok:
        axes.flat[0].text(0.5, 0.5, "no successful cell", ha="center", va="center")
    fig.suptitle(wrapped(title or "Accuracy matrices", size[0] - 0.3, 11), fontsize=11)
    if image is not None:
        fig.colorbar(image, ax=axes, label="test accuracy", shrink=0.8)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def _hatch_patch(ax: Any, T: int) -> Any:
    """A hatched, unfilled square over a T x T heatmap: the "did not learn" mark."""
    from matplotlib.patches import Rectangle

    return Rectangle(
        (-0.5, -0.5),
        T,
        T,
        fill=False,
        hatch=NOT_LEARNED_HATCH,
        edgecolor=NOT_LEARNED_COLOUR,
        linewidth=0,
        label="did not learn",
    )


def _reference_lines(ax: Any, key: str, la_threshold: float | None) -> None:
    """On the LA panel: the "did not learn" threshold and the chance level it comes from."""
    if key != "la" or la_threshold is None:
        return
    ax.axhline(
        la_threshold, color="k", linestyle="--", linewidth=1, label="did-not-learn threshold"
    )
    chance = chance_from_threshold(la_threshold)
    ax.axhline(chance, color="k", linestyle=":", linewidth=1, label="chance (within experience)")


def plot_bars(
    path: Path, rows: list[dict[str, Any]], title: str = "", la_threshold: float | None = None
) -> None:
    """Bars of ACC, LA (when present) and forgetting per grid row: the mean over seeds, with
    ± one standard deviation as error bars where a row has more than one seed. Rows flagged
    "did not learn" are grey and hatched; ``la_threshold`` draws that threshold and the chance
    level on the LA panel."""
    ok = [r for r in rows if r["seeds"] > 0]
    panels = [p for p in BAR_PANELS if any(p[0] in r for r in ok)] or list(BAR_PANELS[:1])
    labels = [
        cell_label(r["rule"], r["activation"], r["strategy"], r.get("head") or "none") for r in ok
    ]
    x = np.arange(len(ok))
    width = max(5.0, 0.9 * len(ok) + 2.5)
    plt = pyplot()
    size = (width * len(panels) / 2 + 1, 4.4)
    fig, axes = plt.subplots(1, len(panels), figsize=size, squeeze=False, layout="constrained")
    flagged = [r.get("learned") is False for r in ok]
    seeds = sorted({r["seeds"] for r in ok})
    for ax, (key, panel_title, ylabel) in zip(axes.flat, panels, strict=True):
        means = [r[key][0] if key in r else math.nan for r in ok]
        stds = [r[key][1] if key in r and r["seeds"] > 1 else 0.0 for r in ok]
        errors = stds if any(r["seeds"] > 1 for r in ok) else None
        colour = "tab:red" if key == "forgetting" else "tab:blue"
        colours = [NOT_LEARNED_COLOUR if f else colour for f in flagged]
        bars = ax.bar(x, means, yerr=errors, capsize=3 if errors else 0, color=colours)
        for bar, f in zip(bars, flagged, strict=True):
            if f:
                bar.set_hatch(NOT_LEARNED_HATCH)
        if any(flagged):
            bars[flagged.index(True)].set_label("did not learn (ignore its forgetting)")
        _reference_lines(ax, key, la_threshold)
        if any(flagged) or (key == "la" and la_threshold is not None):
            ax.legend(fontsize=7, loc="best")
        ax.set_xticks(x, labels, rotation=35, ha="right", fontsize=8)
        ax.set_ylim(0, 1.12)  # room above 1.0 for the value labels, below the panel title
        ax.set_yticks(np.linspace(0, 1, 6))
        ax.set_ylabel(ylabel)
        ax.set_title(wrapped(panel_title, size[0] / len(panels) - 0.6, 10), fontsize=10)
        for xi, m, s in zip(x, means, stds, strict=False):
            if math.isfinite(m):
                ax.text(xi, min(m + s, 1.0) + 0.02, f"{m:.2f}", ha="center", fontsize=7)
    if seeds and seeds[-1] > 1:
        caption = f"bars: mean over {'/'.join(map(str, seeds))} seeds; error bars: ± 1 std"
    else:
        caption = "one seed per bar (no error bars)"
    heading = f"{title}\n{caption}" if title else caption
    fig.suptitle(wrapped(heading, size[0] - 0.3, 10), fontsize=10)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
