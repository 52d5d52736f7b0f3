"""Run a whole comparison grid into one run folder.

The folder is written under a hidden temporary name and renamed into place only when the report
is complete, so an invalid config, missing data or an interrupted run leaves nothing half-written.
A failure inside one cell is recorded in that cell (and in the table) and the other cells finish.
"""

from __future__ import annotations

import itertools
import shutil
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from forgetless.app.configs import validate
from forgetless.app.run.cell import Cell, resolve_device, run_cell
from forgetless.app.run.loggers import LOG_FOLDER
from forgetless.app.run.run_folder import create_run_folders
from forgetless.app.run.scenario_builder import build_scenarios
from forgetless.report import (
    aggregate,
    format_table,
    plot_bars,
    plot_heatmaps,
    write_results,
    write_summary,
)
from forgetless.report.plots import BARS_FILE, HEATMAP_FILE
from forgetless.report.results_json import environment
from forgetless.scenarios import Scenario

CellRunner = Callable[[DictConfig, Cell, Scenario, Callable[[int, int], None]], dict[str, Any]]


def grid(cfg: DictConfig) -> list[Cell]:
    """activations x rules x strategies x seeds, in that nesting order (seeds innermost)."""
    return [
        Cell(activation, rule, strategy, seed)
        for rule, activation, strategy, seed in itertools.product(
            cfg.rules, cfg.activations, cfg.strategies, cfg.seeds
        )
    ]


def _progress(cells: list[Cell], enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(
        total=len(cells), desc="cells", unit="cell", disable=not enabled, dynamic_ncols=True
    )


def run_compare(
    cfg: DictConfig, *, echo: Callable[[str], None] = print, cell_runner: CellRunner = run_cell
) -> Path:
    """Validate ``cfg``, run every cell, write the report; return the run folder."""
    validate(cfg)
    cells = grid(cfg)
    started = time.perf_counter()
    # Load data before creating anything on disk: a missing source fails here, cleanly.
    scenarios = build_scenarios(cfg.scenario, list(cfg.seeds))
    if cfg.privacy.enabled:  # δ < 1/N needs N: checked here, before anything is written
        from forgetless.app.configs.validate import privacy_settings

        for scenario in scenarios.values():
            privacy_settings(cfg).validate(sum(len(d) for d in scenario.train))
    device = resolve_device(cfg.train.device)
    final, tmp = create_run_folders(cfg.output_dir, cfg.run_name, cfg.preset)
    try:
        records = []
        bar = _progress(cells, cfg.progress)
        for cell in cells:
            bar.set_description(cell.label + f" seed {cell.seed}")

            def on_experience(i: int, n: int, bar=bar) -> None:
                bar.set_postfix_str(f"experience {i + 1}/{n}")

            record: dict[str, Any] = {
                "activation": cell.activation,
                "rule": cell.rule,
                "strategy": cell.strategy,
                "seed": cell.seed,
                "error": None,
            }
            logs = {"log_root": tmp / LOG_FOLDER} if cfg.loggers else {}
            try:
                record.update(cell_runner(cfg, cell, scenarios[cell.seed], on_experience, **logs))
            except Exception as error:  # one failing cell must not stop the others
                record["error"] = f"{type(error).__name__}: {error}".splitlines()[0]
                record["traceback"] = traceback.format_exc()
            records.append(record)
            bar.update(1)
        bar.close()
        wall = time.perf_counter() - started
        rows = aggregate(records)
        config = OmegaConf.to_container(cfg, resolve=True)
        write_results(tmp / "results.json", config, environment(device), records, wall_seconds=wall)
        title = f"forgetless compare: {cfg.preset} ({scenarios[cfg.seeds[0]].name}, {len(scenarios[cfg.seeds[0]])} experiences)"
        notes = [
            *(
                ["privacy: DP-SGD (Opacus); ε is accounted over the whole stream, all experiences"]
                if cfg.privacy.enabled
                else []
            ),
            f"wall time {wall:.1f} s for {len(cells)} cells on {device}",
            "config: results.json → config",
        ]
        write_summary(tmp / "summary.md", rows, title, notes)
        plot_heatmaps(tmp / HEATMAP_FILE, records, title=title)
        plot_bars(tmp / BARS_FILE, rows, title=title)
        tracebacks = [
            f"== {r['rule']}/{r['activation']}/{r['strategy']} seed {r['seed']}\n{r['traceback']}"
            for r in records
            if r.get("traceback")
        ]
        if tracebacks:
            (tmp / "errors.log").write_text("".join(tracebacks))
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    echo(format_table(rows))
    echo(f"\nwall time {wall:.1f} s; results in {final}")
    return final
