"""Avalanche logger writing scalars to one CSV: ``CSVScalarLogger``.

Avalanche's own ``CSVLogger`` writes a fixed set of columns (its accuracy and loss metrics) and
drops every other metric, so the forgetless names would never reach it. This logger writes any
scalar in the layout of Lightning's ``CSVLogger``: one row per logging call and step, a
``step`` column, then one column per metric name (empty where that row has no value). When a
new name appears, the file is rewritten with the wider header.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import torch
from avalanche.logging import BaseLogger


def scalar(value: Any) -> float | None:
    """``value`` as a float when it is a number or a one-element tensor, else None."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def scalars_by_step(metric_values: list[Any]) -> dict[int, dict[str, float]]:
    """``{x_plot: {name: value}}`` for the scalar entries of Avalanche ``MetricValue`` s."""
    by_step: dict[int, dict[str, float]] = {}
    for mval in metric_values:
        value = scalar(mval.value)
        if value is not None:
            by_step.setdefault(int(mval.x_plot), {})[mval.name] = value
    return by_step


class CSVScalarLogger(BaseLogger):
    """Write every scalar ``MetricValue`` to ``path`` (see the module docstring)."""

    def __init__(self, path: str | os.PathLike) -> None:
        super().__init__()
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.columns: list[str] = []
        self.rows: list[dict[str, float]] = []
        self._written = 0

    def log_metrics(self, metric_values: list[Any]) -> None:
        """One row per distinct ``x_plot`` among ``metric_values`` (non-scalars are skipped)."""
        by_step = scalars_by_step(metric_values)
        if not by_step:
            return
        new = sorted({name for row in by_step.values() for name in row} - set(self.columns))
        self.columns.extend(new)
        self.rows.extend({"step": step, **row} for step, row in by_step.items())
        self._write(rewrite=bool(new))

    def _write(self, rewrite: bool) -> None:
        header = ["step", *self.columns]
        start = 0 if rewrite else self._written
        with open(self.path, "w" if rewrite else "a", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            if rewrite:
                writer.writeheader()
            writer.writerows(self.rows[start:])
        self._written = len(self.rows)

    def close(self) -> None:
        """Nothing is buffered (every call writes through); present for symmetry."""
