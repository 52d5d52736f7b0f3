"""Run a whole comparison grid into one run folder.

The folder is written under a hidden temporary name and renamed into place only when the report
is complete, so an invalid config, missing data or an interrupted run leaves nothing half-written.
A failure inside one cell is recorded in that cell (and in the table) and the other cells finish;
the command then exits non-zero (see :func:`failed_cells`). A cell whose learning accuracy (LA)
is under :func:`forgetless.metrics.learning_threshold` is flagged "did not learn" and a warning
says what to change: its forgetting numbers are not a result.
"""

from __future__ import annotations

import itertools
import json
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from forgetless.app.configs import validate
from forgetless.app.run.cell import Cell, resolve_device, run_cell
from forgetless.app.run.scenario_builder import build_scenario
from forgetless.metrics import learning_threshold
from forgetless.report import (
    aggregate,
    format_table,
    plot_bars,
    plot_heatmaps,
    write_results,
    write_summary,
)
from forgetless.report.results_json import environment
from forgetless.report.table import not_learned
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


def failed_cells(folder: Path) -> list[str]:
    """``"rule/activation/strategy seed s: error"`` for every failed cell of a run folder."""
    cells = json.loads((folder / "results.json").read_text())["cells"]
    return [
        f"{c['rule']}/{c['activation']}/{c['strategy']} seed {c['seed']}: {c['error']}"
        for c in cells
        if c.get("error")
    ]


def _not_learned_warning(flagged: list[str], threshold: float) -> str:
    return (
        f"warning: {len(flagged)} cell(s) did not learn (LA < {threshold:.2f}, halfway between "
        f"chance and perfect): {', '.join(flagged)}. Their forgetting numbers are not a result. "
        "Train longer (train.epochs, or rule_train.<rule>.epochs), raise optimizer.lr, or keep "
        "the method's recipe (docs/recipes.md)."
    )


def run_compare(
    cfg: DictConfig, *, echo: Callable[[str], None] = print, cell_runner: CellRunner = run_cell
) -> Path:
    """Validate ``cfg``, run every cell, write the report; return the run folder."""
    validate(cfg)
    cells = grid(cfg)
    started = time.perf_counter()
    # Load data before creating anything on disk: a missing source fails here, cleanly.
    scenarios = {seed: build_scenario(cfg.scenario, seed) for seed in cfg.seeds}
    if cfg.privacy.enabled:  # δ < 1/N needs N: checked here, before anything is written
        from forgetless.app.configs.validate import privacy_settings

        for scenario in scenarios.values():
            privacy_settings(cfg).validate(sum(len(d) for d in scenario.train))
    device = resolve_device(cfg.train.device)
    threshold = learning_threshold([len(c) for c in scenarios[cfg.seeds[0]].classes])
    out_root = Path(cfg.output_dir)
    out_root.mkdir(parents=True, exist_ok=True)
    name = cfg.run_name or f"{datetime.now():%Y%m%d-%H%M%S}-{cfg.preset}"
    final = out_root / name
    if final.exists():
        raise FileExistsError(f"output_dir/run_name: {final} already exists; pick another run_name")
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=out_root))
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
            try:
                record.update(cell_runner(cfg, cell, scenarios[cell.seed], on_experience))
                record["learned"] = bool(record["la"] >= threshold)
            except Exception as error:  # one failing cell must not stop the others
                record["error"] = f"{type(error).__name__}: {error}".splitlines()[0]
                record["traceback"] = traceback.format_exc()
            records.append(record)
            bar.update(1)
        bar.close()
        wall = time.perf_counter() - started
        rows = aggregate(records, la_threshold=threshold)
        config = OmegaConf.to_container(cfg, resolve=True)
        write_results(
            tmp / "results.json",
            config,
            environment(device),
            records,
            wall_seconds=wall,
            la_threshold=threshold,
        )
        title = f"forgetless compare: {cfg.preset} ({scenarios[cfg.seeds[0]].name}, {len(scenarios[cfg.seeds[0]])} experiences)"
        notes = [
            *(
                ["privacy: DP-SGD (Opacus); ε is accounted over the whole stream, all experiences"]
                if cfg.privacy.enabled
                else []
            ),
            f"wall time {wall:.1f} s for {len(cells)} cells on {device}",
            f"did not learn: LA < {threshold:.2f} (halfway between chance and perfect)",
            "config: results.json → config",
        ]
        write_summary(tmp / "summary.md", rows, title, notes)
        plot_heatmaps(tmp / "accuracy_matrices.png", records)
        plot_bars(tmp / "acc_forgetting.png", rows)
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
    flagged = not_learned(rows)
    if flagged:
        echo("\n" + _not_learned_warning(flagged, threshold))
    echo(f"\nwall time {wall:.1f} s; results in {final}")
    return final
