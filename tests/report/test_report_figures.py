"""The stability–plasticity figure, and the plots' "did not learn" marks, threshold lines and
layout (nothing clipped on a one-cell grid)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from matplotlib.lines import Line2D

from forgetless.report import aggregate, plot_bars, plot_heatmaps, plot_stability_plasticity, plots
from forgetless.report.stability_plot import STABILITY_FILE

THRESHOLD = 0.75


@pytest.fixture
def kept_figures(monkeypatch):
    """Keep the figures open after saving so the test can inspect them."""
    monkeypatch.setattr(plots.pyplot(), "close", lambda fig: None)
    yield
    plt.close("all")


def _cell(activation: str, strategy: str, la: float, forgetting: float, seed: int = 0) -> dict:
    return {
        "activation": activation,
        "rule": "backprop",
        "strategy": strategy,
        "seed": seed,
        "error": None,
        "accuracy_matrix": [[la, 0.0], [la - forgetting, la]],
        "acc": la - forgetting / 2,
        "la": la,
        "bwt": -forgetting,
        "fwt": None,
        "forgetting": forgetting,
        "avalanche_forgetting": forgetting,
        "train_seconds": 1.0,
        "learned": la >= THRESHOLD,
    }


def _rows() -> list[dict]:
    rows = aggregate(
        [
            _cell("relu", "naive", 0.98, 0.9),
            _cell("hard_ash", "naive", 0.55, 0.07),
            _cell("relu", "joint", 0.97, 0.02),
            _cell("relu", "slda_head", 0.93, 0.05),
        ],
        la_threshold=THRESHOLD,
    )
    for row in rows:
        row["head"] = "slda" if row["strategy"] == "slda_head" else row.get("head")
    return rows


def _inside(fig, artist) -> bool:
    renderer = fig.canvas.get_renderer()
    box, outer = artist.get_window_extent(renderer), fig.bbox
    return (
        box.x0 >= outer.x0 - 1
        and box.y0 >= outer.y0 - 1
        and box.x1 <= outer.x1 + 1
        and box.y1 <= outer.y1 + 1
    )


def test_stability_plasticity_draws_one_labelled_point_per_row_and_marks_the_kinds(
    tmp_path, kept_figures
):
    plot_stability_plasticity(tmp_path / STABILITY_FILE, _rows(), "split_mnist", THRESHOLD)
    assert (tmp_path / STABILITY_FILE).stat().st_size > 0
    fig = plt.gcf()
    (ax,) = fig.axes
    assert "LA" in ax.get_xlabel() and "forgetting" in ax.get_ylabel()
    labels = {t.get_text() for t in ax.texts}
    assert labels == {"relu/naive", "hard_ash/naive", "relu/joint", "relu/slda_head/slda"}
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert legend == {
        "cell",
        "did not learn (forgetting not a result)",
        "joint upper bound",
        "closed-form head",
        "did-not-learn LA",
    }
    points = {
        tuple(line.get_xydata()[0]): line.get_marker()
        for line in ax.get_lines()
        if len(line.get_xdata()) == 1
    }
    assert points[(0.55, 0.07)] == "x" and points[(0.97, 0.0)] == "*"  # joint: forgets nothing
    assert points[(0.93, 0.05)] == "D" and points[(0.98, 0.9)] == "o"
    threshold = [line for line in ax.get_lines() if list(line.get_xdata()) == [THRESHOLD] * 2]
    assert len(threshold) == 1
    assert "split_mnist" in ax.get_title()


def test_bars_grey_and_hatch_the_cells_that_did_not_learn_and_draw_the_threshold(
    tmp_path, kept_figures
):
    rows = [r for r in _rows() if r["strategy"] == "naive"]  # one learned, one did not
    plot_bars(tmp_path / plots.BARS_FILE, rows, title="t", la_threshold=THRESHOLD)
    fig = plt.gcf()
    flagged = [r.get("learned") is False for r in rows]
    for ax in fig.axes:
        bars = ax.containers[0]
        assert [bool(bar.get_hatch()) for bar in bars] == flagged
        assert bars[flagged.index(True)].get_facecolor()[:3] == pytest.approx((0.6, 0.6, 0.6))
        assert any("did not learn" in t.get_text() for t in ax.get_legend().get_texts())
    la_panel = next(ax for ax in fig.axes if ax.get_ylabel() == "learning accuracy")
    levels = {line.get_ydata()[0] for line in la_panel.get_lines() if isinstance(line, Line2D)}
    assert {THRESHOLD, 2 * THRESHOLD - 1} <= levels  # threshold and the chance it comes from


def test_heatmap_marks_a_cell_that_did_not_learn(tmp_path, kept_figures):
    cells = [_cell("relu", "naive", 0.98, 0.9), _cell("hard_ash", "naive", 0.55, 0.07)]
    plot_heatmaps(tmp_path / plots.HEATMAP_FILE, cells, title="t")
    fig = plt.gcf()
    learned, flagged = fig.axes[0], fig.axes[1]
    assert "did not learn" in flagged.get_title() and "did not learn" not in learned.get_title()
    assert [p.get_hatch() for p in flagged.patches] == [plots.NOT_LEARNED_HATCH]
    assert not learned.patches


@pytest.mark.parametrize("which", ["heatmap", "bars", "stability"])
def test_titles_and_colour_bar_label_stay_inside_a_one_cell_figure(tmp_path, kept_figures, which):
    long_title = "forgetless compare: hard_ash_recipe (split_mnist, 5 experiences), test stream"
    cell = _cell("relu", "naive", 0.98, 0.9)
    if which == "heatmap":
        plot_heatmaps(tmp_path / "h.png", [cell], title=long_title)
    elif which == "bars":
        plot_bars(tmp_path / "b.png", aggregate([cell]), title=long_title)
    else:
        plot_stability_plasticity(tmp_path / "s.png", aggregate([cell]), title=long_title)
    fig = plt.gcf()
    fig.canvas.draw()
    texts = [ax.title for ax in fig.axes] + [ax.yaxis.label for ax in fig.axes]
    texts += [ax.xaxis.label for ax in fig.axes]
    if fig._suptitle is not None:
        texts.append(fig._suptitle)
    assert [t.get_text() for t in texts if t.get_text() and not _inside(fig, t)] == []
    if which == "heatmap":
        assert any(ax.get_ylabel() == "test accuracy" for ax in fig.axes)
