"""The plots explain themselves: titles, a colour bar, labelled axes, error bars only with seeds."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest
from matplotlib.container import BarContainer

from forgetless.report import aggregate, plot_bars, plot_heatmaps, plots


@pytest.fixture
def kept_figures(monkeypatch):
    """Keep the figures open after saving so the test can inspect them."""
    monkeypatch.setattr(plots.pyplot(), "close", lambda fig: None)
    yield
    plt.close("all")


def _cell(seed: int, acc: float) -> dict:
    R = [[1.0, 0.0], [0.5, acc]]
    return {
        "activation": "relu",
        "rule": "backprop",
        "strategy": "naive",
        "seed": seed,
        "error": None,
        "accuracy_matrix": R,
        "acc": (0.5 + acc) / 2,
        "bwt": -0.5,
        "fwt": math.nan,
        "forgetting": 0.5,
        "avalanche_forgetting": 0.5,
        "train_seconds": 1.0,
    }


def test_heatmap_has_title_colour_bar_and_one_based_axes(tmp_path, kept_figures):
    plot_heatmaps(tmp_path / plots.HEATMAP_FILE, [_cell(0, 0.9)], title="split_mnist (2 exp.)")
    fig = plt.gcf()
    assert fig._suptitle.get_text() == "split_mnist (2 exp.)"
    colour_bars = [ax for ax in fig.axes if ax.get_ylabel() == "test accuracy"]
    assert len(colour_bars) == 1
    heat = fig.axes[0]
    assert [t.get_text() for t in heat.get_xticklabels()] == ["1", "2"]
    assert heat.get_xlabel() and heat.get_ylabel()


@pytest.mark.parametrize(("seeds", "error_bars"), [(1, False), (3, True)])
def test_bars_draw_error_bars_only_over_several_seeds(tmp_path, kept_figures, seeds, error_bars):
    rows = aggregate([_cell(s, 0.8 + 0.05 * s) for s in range(seeds)])
    plot_bars(tmp_path / plots.BARS_FILE, rows, title="t")
    fig = plt.gcf()
    caption = fig._suptitle.get_text()
    assert ("± 1 std" in caption) == error_bars and ("no error bars" in caption) != error_bars
    for ax in fig.axes:
        assert ax.get_ylabel()  # every panel says what its y axis is
        assert ax.get_ylim()[1] > 1.0  # room for value labels above 1.0
        bars = next(c for c in ax.containers if isinstance(c, BarContainer))
        assert (bars.errorbar is not None) == error_bars
