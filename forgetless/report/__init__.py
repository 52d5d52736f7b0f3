"""The report of a comparison: aggregated table, results.json, summary.md and PNG plots."""

from forgetless.report.plots import plot_bars, plot_heatmaps
from forgetless.report.results_json import RESULT_KEYS, write_results
from forgetless.report.stability_plot import plot_stability_plasticity
from forgetless.report.table import aggregate, format_table, write_summary

__all__ = [
    "RESULT_KEYS",
    "aggregate",
    "format_table",
    "plot_bars",
    "plot_heatmaps",
    "plot_stability_plasticity",
    "write_results",
    "write_summary",
]
