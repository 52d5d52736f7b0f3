"""Run a whole comparison grid into one run folder.

The config is validated and the data loaded before anything is written, so an invalid config or
missing data creates no folder. Then the run folder is created, each cell's record is saved the
moment the cell ends and the report is written at the end (:mod:`forgetless.app.run.cell_store`
describes the layout; every file is written atomically). An interrupted run keeps its finished
cells and ``forgetless compare resume=<run folder>`` completes it. Cells run where
``launcher`` says (:mod:`forgetless.app.run.launcher`). A failure inside one cell is recorded in
that cell (and in the table) and the other cells finish. An interrupt (SIGINT, or SIGTERM from
the command line) stops the cells in flight and leaves the finished ones for a resume. When a
cell failed the command exits non-zero (see :func:`failed_cells`). A cell whose learning accuracy
(LA) is under :func:`forgetless.metrics.learning_threshold` is flagged "did not learn" and a
warning says what to change: its forgetting numbers are not a result.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from forgetless.app.configs import validate
from forgetless.app.run.cell import Cell, resolve_device, run_cell
from forgetless.app.run.cell_store import (
    load_cells,
    previous_wall_seconds,
    remove_leftovers,
    save_cell,
    start_run,
)
from forgetless.app.run.launcher import finish, run_cells
from forgetless.app.run.loggers import LOG_FOLDER, cell_log_dir
from forgetless.app.run.run_folder import create_run_folder
from forgetless.app.run.scenario_builder import build_scenarios
from forgetless.app.run.worker import cell_threads
from forgetless.metrics import learning_threshold
from forgetless.report import (
    aggregate,
    plot_bars,
    plot_heatmaps,
    plot_stability_plasticity,
    write_results,
    write_summary,
)
from forgetless.report.labels import REFERENCE
from forgetless.report.plots import BARS_FILE, HEATMAP_FILE
from forgetless.report.reference_rows import JOINT, attach_bounds, reference_summary
from forgetless.report.results_json import data_line, data_provenance, environment
from forgetless.report.stability_plot import STABILITY_FILE
from forgetless.report.table import PAPER_MARK, format_tables, not_learned, paper_notes
from forgetless.scenarios import Scenario

CellRunner = Callable[[DictConfig, Cell, Scenario, Callable[[int, int], None]], dict[str, Any]]


def grid(cfg: DictConfig) -> list[Cell]:
    """rules x activations x heads x strategies x seeds, in that nesting order (seeds
    innermost), then the reference cells (:func:`reference_cells`)."""
    cells = [
        Cell(activation, rule, strategy, seed, head)
        for rule, activation, head, strategy, seed in itertools.product(
            cfg.rules, cfg.activations, cfg.heads, cfg.strategies, cfg.seeds
        )
    ]
    return cells + [cell for cell in reference_cells(cfg) if cell not in cells]


def reference_cells(cfg: DictConfig) -> list[Cell]:
    """The cells every comparison adds (``references``): a joint bound per (rule, activation,
    seed) unless ``references.joint=false`` or privacy is on (DP-SGD has no joint strategy),
    and each ``references.heads`` head once per seed."""
    joint = cfg.references.joint and not cfg.privacy.enabled
    cells = [
        Cell(activation, rule, JOINT, seed)
        for rule, activation, seed in itertools.product(cfg.rules, cfg.activations, cfg.seeds)
        if joint
    ]
    return cells + [
        Cell(REFERENCE, REFERENCE, REFERENCE, seed, head)
        for head, seed in itertools.product(cfg.references.heads, cfg.seeds)
    ]


def _progress(cells: list[Cell], enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(
        total=len(cells), desc="cells", unit="cell", disable=not enabled, dynamic_ncols=True
    )


def failed_cells(folder: Path) -> list[str]:
    """``"rule/activation/strategy[/head] seed s: error"`` for every failed cell of a run folder."""
    cells = json.loads((folder / "results.json").read_text())["cells"]
    return [
        f"{c['rule']}/{c['activation']}/{c['strategy']}{_head(c)} seed {c['seed']}: {c['error']}"
        for c in cells
        if c.get("error")
    ]


def _head(record: dict[str, Any]) -> str:
    head = record.get("head") or "none"
    return "" if head == "none" else f"/{head}"


def _not_learned_warning(flagged: list[str], threshold: float) -> str:
    return (
        f"warning: {len(flagged)} cell(s) did not learn (LA < {threshold:.2f}, halfway between "
        f"chance and perfect): {', '.join(flagged)}. Their forgetting numbers are not a result. "
        "Train longer (train.epochs, or rule_train.<rule>.epochs), raise optimizer.lr, or keep "
        "the method's recipe (docs/recipes.md)."
    )


def stream_words(section: DictConfig) -> str:
    """What the metrics were measured on, for a title: ``test stream`` or ``VALIDATION stream``."""
    return "VALIDATION stream" if section.evaluate_on == "validation" else "test stream"


def stream_note(section: DictConfig) -> str:
    """One line saying which stream was evaluated and what was held out of training."""
    f = section.validation_fraction
    held = f"{f:g} of each experience's training data held out (never trained on)" if f else ""
    if section.evaluate_on == "validation":
        return f"evaluated on the validation split ({held}): these are NOT test numbers"
    return "evaluated on the test stream" + (f"; {held}" if held else "")


def run_compare(
    cfg: DictConfig,
    *,
    echo: Callable[[str], None] = print,
    cell_runner: CellRunner = run_cell,
    resume: str | os.PathLike | None = None,
) -> Path:
    """Validate ``cfg``, run every cell, write the report; return the run folder.

    With ``resume`` (a run folder whose config is ``cfg``, see
    :func:`~forgetless.app.run.cell_store.load_run_config`), only the cells without a record or
    with a failed one run. ``cell_runner`` must be a module-level function when cells run in
    other processes (``launcher.jobs > 1`` or Ray)."""
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
    threshold = learning_threshold([len(c) for c in scenarios[cfg.seeds[0]].classes])
    provenance = data_provenance(scenarios, cfg.scenario.source, cfg.scenario.root, sys.argv)
    echo(data_line(provenance))
    if resume is None:
        final = create_run_folder(cfg.output_dir, cfg.run_name, cfg.preset)
        start_run(final, cfg)
        done: dict[Cell, dict[str, Any]] = {}
    else:
        final = Path(resume).expanduser()
        remove_leftovers(final)
        done = {c: r for c, r in load_cells(final, cells, cfg).items() if r.get("error") is None}
    todo = [cell for cell in cells if cell not in done]
    if resume is not None and not todo and (final / "results.json").is_file():
        echo(f"{final} is finished: every cell has a record; its report is kept as it was")
        return final
    log_root = final / LOG_FOLDER if cfg.loggers else None
    for cell in todo if log_root is not None else []:  # a re-run cell logs from scratch
        shutil.rmtree(cell_log_dir(log_root, cell), ignore_errors=True)
    if resume is not None:
        echo(f"resuming {final}: {len(cells) - len(todo)} of {len(cells)} cells done")
    try:
        _run_grid(cfg, cells, todo, done, scenarios, final, cell_runner, log_root)
    except KeyboardInterrupt as stop:  # SIGINT, or SIGTERM under sigterm_as_interrupt
        stop.run_folder = final  # the finished cells are saved there: resume=<run folder>
        raise
    records = [done[cell] for cell in cells]
    for record in records:
        if record.get("error") is None:
            record["learned"] = bool(record["la"] >= threshold)
    attach_bounds(records)
    wall = time.perf_counter() - started + (previous_wall_seconds(final) if resume else 0.0)
    rows = aggregate(records, la_threshold=threshold)
    scenario = scenarios[cfg.seeds[0]]
    title = f"forgetless compare: {cfg.preset} ({scenario.name}, {len(scenario)} experiences)"
    title += f", {stream_words(cfg.scenario)}"
    if scenario.task_incremental:
        title += ", task-incremental (logits masked to each task's classes)"
    notes = [
        stream_note(cfg.scenario),
        *(
            ["privacy: DP-SGD (Opacus); ε is accounted over the whole stream, all experiences"]
            if cfg.privacy.enabled
            else []
        ),
        f"wall time {wall:.1f} s for {len(todo)} cells on {device}"
        + (f" (resumed: {len(cells) - len(todo)} cells from before)" if resume else ""),
        f"did not learn: LA < {threshold:.2f} (halfway between chance and perfect)",
        "config: results.json → config",
    ]
    env = {**environment(device), "torch_threads": cell_threads(records, cfg.launcher.threads)}
    env.update(provenance)  # the data, the command line and the git revision actually used
    _write_report(final, cfg, records, rows, title, notes, env, wall, threshold)
    finish()  # Ray's shutdown ran in the background while the report was written
    echo(format_tables(rows))
    marked = paper_notes(rows)
    if marked:
        echo(
            f"{PAPER_MARK} parameters that differ from the paper's bare function: "
            + "; ".join(marked)
        )
    flagged = not_learned(rows)
    if flagged:
        echo("\n" + _not_learned_warning(flagged, threshold))
    echo(f"\nwall time {wall:.1f} s; results in {final}")
    return final


def _run_grid(
    cfg: DictConfig,
    cells: list[Cell],
    todo: list[Cell],
    done: dict[Cell, dict[str, Any]],
    scenarios: dict[int, Scenario],
    folder: Path,
    cell_runner: CellRunner,
    log_root: Path | None,
) -> None:
    """Run the ``todo`` cells, saving each record in ``folder`` and in ``done`` as it arrives."""
    bar = _progress(cells, cfg.progress)
    bar.update(len(cells) - len(todo))

    def on_record(record: dict[str, Any]) -> None:
        save_cell(folder, record, cfg)
        cell = Cell.of(record)
        done[cell] = record
        bar.set_postfix_str(f"{cell.label} seed {cell.seed} done", refresh=False)
        bar.update(1)

    def on_experience(cell: Cell, i: int, n: int) -> None:
        bar.set_description(f"{cell.label} seed {cell.seed}")
        bar.set_postfix_str(f"experience {i + 1}/{n}")

    try:
        run_cells(cfg, todo, scenarios, cell_runner, on_record, on_experience, log_root, _warm_up)
    finally:
        bar.close()


def _warm_up() -> None:
    """While other processes run the first cells: import what the report will need (matplotlib,
    ~0.5 s), so that it is not on the critical path at the end of the grid."""
    from forgetless.report.plots import pyplot

    pyplot()


def _write_report(
    folder: Path,
    cfg: DictConfig,
    records: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    title: str,
    notes: list[str],
    env: dict[str, Any],
    wall: float,
    threshold: float,
) -> None:
    """Write the report into a hidden folder, then move each file into place (no half files)."""
    tmp = Path(tempfile.mkdtemp(prefix=".report.", dir=folder))
    try:
        config = OmegaConf.to_container(cfg, resolve=True)
        write_results(
            tmp / "results.json",
            config,
            env,
            records,
            wall_seconds=wall,
            la_threshold=threshold,
            evaluated_on=cfg.scenario.evaluate_on,
            validation_fraction=cfg.scenario.validation_fraction,
            references=reference_summary(rows),
        )
        write_summary(tmp / "summary.md", rows, title, notes)
        plot_heatmaps(tmp / HEATMAP_FILE, records, title=title)
        plot_bars(tmp / BARS_FILE, rows, title=title, la_threshold=threshold)
        plot_stability_plasticity(tmp / STABILITY_FILE, rows, title=title, la_threshold=threshold)
        tracebacks = [
            f"== {Cell.of(r).label} seed {r['seed']}\n{r['traceback']}"
            for r in records
            if r.get("traceback")
        ]
        (folder / "errors.log").unlink(missing_ok=True)  # from an earlier, resumed session
        if tracebacks:
            (tmp / "errors.log").write_text("".join(tracebacks))
        for path in tmp.iterdir():
            os.replace(path, folder / path.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
