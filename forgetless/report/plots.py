"""PNG plots of a comparison: accuracy-matrix heatmaps and ACC / forgetting bars."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def _label(cell: dict[str, Any]) -> str:
    rule = "" if cell["rule"] == "backprop" else f"{cell['rule']}/"
    return f"{rule}{cell['activation']}/{cell['strategy']} s{cell['seed']}"


def plot_heatmaps(path: Path, cells: list[dict[str, Any]]) -> None:
    """A grid of accuracy-matrix heatmaps, one per successful cell: row i = after training on
    experience i, column j = evaluated on experience j."""
    ok = [c for c in cells if c.get("accuracy_matrix")]
    n = max(len(ok), 1)
    cols = min(n, 4)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 3.0 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, cell in zip(axes.flat, ok, strict=False):
        R = np.array(cell["accuracy_matrix"], dtype=float)
        ax.axis("on")
        ax.imshow(R, vmin=0.0, vmax=1.0, cmap="viridis")
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
        ax.set_xlabel("evaluated on experience")
        ax.set_ylabel("after training on")
        ax.set_title(f"{_label(cell)}\nACC {cell['acc']:.3f}", fontsize=9)
    if not ok:
        axes.flat[0].text(0.5, 0.5, "no successful cell", ha="center", va="center")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_bars(path: Path, rows: list[dict[str, Any]]) -> None:
    """Side-by-side bars of ACC and forgetting (mean ± std over seeds) per grid row."""
    ok = [r for r in rows if r["seeds"] > 0]
    labels = [
        ("" if r["rule"] == "backprop" else f"{r['rule']}/") + f"{r['activation']}/{r['strategy']}"
        for r in ok
    ]
    x = np.arange(len(ok))
    fig, axes = plt.subplots(1, 2, figsize=(max(6.0, 1.1 * len(ok) + 3), 4.0), squeeze=False)
    for ax, key, title in (
        (axes[0, 0], "acc", "ACC (higher is better)"),
        (axes[0, 1], "forgetting", "Forgetting, max-based (lower is better)"),
    ):
        means = [r[key][0] for r in ok]
        stds = [r[key][1] for r in ok]
        ax.bar(x, means, yerr=stds, capsize=3, color="tab:blue" if key == "acc" else "tab:red")
        ax.set_xticks(x, labels, rotation=35, ha="right", fontsize=8)
        ax.set_ylim(0, 1)
        ax.set_title(title, fontsize=10)
        for xi, m in zip(x, means, strict=False):
            if math.isfinite(m):
                ax.text(xi, m + 0.02, f"{m:.2f}", ha="center", fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
