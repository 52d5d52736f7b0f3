"""``forgetless sweep``: select a configuration on a validation split, then test it alone.

1. Every point of the grid (:mod:`forgetless.app.run.sweep_grid`) is an ordinary compare run of
   the base config plus the point's overrides, on the selection seeds, with
   ``scenario.validation_fraction`` (0.1 unless the base config sets one) held out of each
   experience's training data and ``scenario.evaluate_on=validation``.
2. Each point × (rule, activation, strategy) of the base config is a candidate row: the
   activation is part of what is selected. The rows are ranked by mean validation ACC
   (:mod:`forgetless.app.run.sweep_report`).
3. The best row alone is run again as a compare run restricted to its cell, on the final seeds,
   evaluated on the test stream with the same fraction held out (so it trains on the very data it
   was selected with). Its test ACC, LA and forgetting and the ``forgetless compare`` command
   that reproduces them are written; no other row gets test numbers.

Layout of ``<output_dir>/<run_name>/`` (default name: time and ``sweep-<preset>``):
``sweep.md`` and ``sweep.json`` (the table and the selected config's test numbers),
``points/point_<i>/`` (each point's compare run folder), ``selected/`` (the test run).
Running the same command again with the same ``run_name`` continues an interrupted sweep: a point
with a report is reused, an unfinished one is resumed like ``compare resume=``.

Parallelism: with ``launcher.kind=local`` and ``launcher.jobs=N > 1``, when there are at least N
points to run they run N at a time, one worker process each (its cells in that process);
otherwise the points run one after another and each spreads its cells over the launcher.
"""

from __future__ import annotations

import json
import shlex
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from forgetless.app.configs import ConfigError, load_config, validate
from forgetless.app.run.cell_store import load_run_config, write_atomically
from forgetless.app.run.run_folder import create_run_folder
from forgetless.app.run.sweep_grid import parse_grid, points
from forgetless.app.run.sweep_report import candidate_rows, rank, selected_numbers, write_summary

DEFAULT_FRACTION = 0.1
SPEC_FILE = "sweep_spec.json"
#: Base overrides the sweep sets itself, and the option to use instead.
SET_BY_SWEEP = {
    "seeds": "--select-seeds / --seeds",
    "scenario.evaluate_on": "nothing: points use validation, the selected run test",
    "resume": "the same command with the same run_name",
}


@dataclass(frozen=True)
class SweepSpec:
    """What a sweep runs: base ``key=value`` overrides, ``--grid`` specs, sampling and seeds."""

    overrides: tuple[str, ...]
    grid: tuple[str, ...]
    random: int | None = None
    seed: int = 0
    select_seeds: tuple[int, ...] = (0,)
    seeds: tuple[int, ...] = (0, 1, 2)


def _seeds(values: Sequence[int]) -> str:
    return "[" + ",".join(str(int(s)) for s in values) + "]"


def _check_base(spec: SweepSpec) -> DictConfig:
    for item in spec.overrides:
        key = item.partition("=")[0].strip()
        if key in SET_BY_SWEEP:
            raise ConfigError(f"{key}: set by the sweep; use {SET_BY_SWEEP[key]}")
    for option, seeds in (("--select-seeds", spec.select_seeds), ("--seeds", spec.seeds)):
        if not seeds or len(set(seeds)) != len(seeds) or min(seeds) < 0:
            raise ConfigError(f"{option}: expected distinct seeds >= 0, got {list(seeds)}")
    base = load_config(list(spec.overrides))
    validate(base)
    for option, seeds in (("--select-seeds", spec.select_seeds), ("--seeds", spec.seeds)):
        try:  # before the sweep's folder exists: a bad seed leaves nothing behind
            validate(load_config([*spec.overrides, f"seeds={_seeds(seeds)}"]))
        except ConfigError as error:
            raise ConfigError(f"{option}: {error}") from None
    return base


def plan(spec: SweepSpec) -> tuple[DictConfig, list[list[str]], list[str]]:
    """Check everything before anything runs: the base config, then every point's config.

    Returns ``(base config, the points' overrides, the overrides the sweep adds to each)``.
    The held-out fraction goes before a point's overrides: a ``--grid`` over
    ``scenario.validation_fraction`` sets each point's own."""
    base = _check_base(spec)
    fraction = base.scenario.validation_fraction or DEFAULT_FRACTION
    held = [f"scenario.validation_fraction={fraction!r}"]
    chosen = points(parse_grid(spec.grid), spec.random, spec.seed)
    on_validation = "scenario.evaluate_on=validation"
    for overrides in chosen:
        try:
            validate(load_config([*spec.overrides, *held, *overrides, on_validation]))
        except ConfigError as error:
            raise ConfigError(f"--grid {error}") from None
    return base, chosen, held


NO_REFERENCES = ("references.joint=false", "references.heads=[]")  # a sweep ranks its own grid


def point_config(
    spec: SweepSpec, overrides: list[str], held: list[str], folder: Path, name: str
) -> DictConfig:
    """The compare config of the point ``overrides`` (run folder ``folder/name``)."""
    return load_config(
        [
            *spec.overrides,
            *held,
            *overrides,
            "scenario.evaluate_on=validation",
            *NO_REFERENCES,
            f"seeds={_seeds(spec.select_seeds)}",
            f"output_dir={folder}",
            f"run_name={name}",
        ]
    )


def run_point(cfg: DictConfig, folder: str) -> dict:
    """One point's compare run into ``folder`` (resumed if begun); returns its results.json.
    Module-level: worker processes call it."""
    from forgetless.app.run.compare import run_compare

    path = Path(folder)
    if path.is_dir() and not (path / "config.yaml").is_file() and not any(path.iterdir()):
        path.rmdir()  # created, then interrupted before the run started: start it afresh
    if not (path / "results.json").is_file():
        if path.exists():
            launcher = [f"launcher.{k}={v}" for k, v in cfg.launcher.items() if v is not None]
            resumed = load_run_config(path, [*launcher, f"progress={cfg.progress}"])
            run_compare(resumed, echo=lambda _: None, resume=path)
        else:
            run_compare(cfg, echo=lambda _: None)
    return json.loads((path / "results.json").read_text())


def _run_points(
    configs: list[DictConfig], folders: list[Path], echo: Callable[[str], None]
) -> list[dict]:
    """Every point's results, N points at a time in worker processes when that is faster."""
    launcher = configs[0].launcher
    jobs = int(launcher.jobs)
    todo = [f for f in folders if not (f / "results.json").is_file()]
    if launcher.kind != "local" or jobs < 2 or len(todo) < jobs:
        out = []
        for index, (cfg, folder) in enumerate(zip(configs, folders, strict=True)):
            out.append(run_point(cfg, str(folder)))
            echo(f"point {index + 1}/{len(configs)} done ({folder.name})")
        return out
    from forgetless.app.run import process_context

    alone = [load_config_copy(cfg, ["launcher.jobs=1", "progress=false"]) for cfg in configs]
    from forgetless.app.run.worker import watch_parent

    pool = ProcessPoolExecutor(jobs, mp_context=process_context.context(), initializer=watch_parent)
    try:
        futures = [pool.submit(run_point, c, str(f)) for c, f in zip(alone, folders, strict=True)]
        out = []
        for index, future in enumerate(futures):
            out.append(future.result())
            echo(f"point {index + 1}/{len(configs)} done ({folders[index].name})")
    except BaseException:
        process_context.stop_pool_now(pool)
        raise
    pool.shutdown(wait=True)
    return out


def load_config_copy(cfg: DictConfig, overrides: list[str]) -> DictConfig:
    """``cfg`` with ``overrides`` merged (a new config)."""
    from forgetless.app.configs.load import apply_overrides

    return apply_overrides(cfg.copy(), overrides)


def _sweep_folder(spec: SweepSpec, base: DictConfig) -> Path:
    """The sweep's folder: new, or the same sweep's (same spec) to continue it."""
    if base.run_name is not None:
        folder = Path(base.output_dir).expanduser() / base.run_name
        saved = folder / SPEC_FILE
        if saved.is_file() and json.loads(saved.read_text()) == _identity(spec):
            return folder
        if folder.exists():
            raise FileExistsError(
                f"output_dir/run_name: {folder} exists and is not this sweep; pick another run_name"
            )
    folder = create_run_folder(base.output_dir, base.run_name, f"sweep-{base.preset}")
    write_atomically(folder / SPEC_FILE, json.dumps(_identity(spec), indent=2))
    return folder


#: Base overrides that do not change what a sweep computes (left out of its identity).
PLACE_KEYS = ("run_name", "output_dir", "progress", "launcher")


def _identity(spec: SweepSpec) -> dict[str, Any]:
    """The spec as JSON data, without the overrides that only say where or how it runs: the
    same sweep continued from another shell compares equal."""
    data = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(spec).items()}
    keys = [o.partition("=")[0].strip() for o in spec.overrides]
    data["overrides"] = [
        o for o, k in zip(spec.overrides, keys, strict=True) if k.split(".")[0] not in PLACE_KEYS
    ]
    return data


def held_fractions(configs: list[DictConfig]) -> float | list[float]:
    """The fraction the points held out: one number, or the sorted distinct ones when
    ``--grid`` varies ``scenario.validation_fraction``."""
    fractions = sorted({float(c.scenario.validation_fraction) for c in configs})
    return fractions[0] if len(fractions) == 1 else fractions


def compare_command(spec: SweepSpec, row: dict[str, Any], held: list[str]) -> list[str]:
    """The ``forgetless compare`` arguments that rerun the selected row on the test stream."""
    replaced = ("run_name", "rules", "activations", "strategies")
    base = [o for o in spec.overrides if o.partition("=")[0].strip() not in replaced]
    return [
        *base,
        *held,
        *row["overrides"],
        f"rules=[{row['rule']}]",
        f"activations=[{row['activation']}]",
        f"strategies=[{row['strategy']}]",
        f"seeds={_seeds(spec.seeds)}",
        *NO_REFERENCES,
    ]


def run_sweep(spec: SweepSpec, echo: Callable[[str], None] = print) -> Path:
    """Run the sweep of ``spec`` (see the module docstring); return its folder."""
    started = time.perf_counter()
    base, chosen, held = plan(spec)
    folder = _sweep_folder(spec, base)
    (folder / "points").mkdir(exist_ok=True)
    names = [f"point_{i:03d}" for i in range(len(chosen))]
    configs = [
        point_config(spec, o, held, folder / "points", n)
        for o, n in zip(chosen, names, strict=True)
    ]
    echo(f"sweep {folder}: {len(chosen)} points on the validation split")
    try:
        return _select_and_test(spec, folder, chosen, configs, held, base, echo, started)
    except KeyboardInterrupt as stop:  # SIGINT, or SIGTERM under sigterm_as_interrupt
        stop.sweep_folder = folder  # the same command with its run_name continues it
        raise


def _select_and_test(
    spec: SweepSpec,
    folder: Path,
    chosen: list[list[str]],
    configs: list[DictConfig],
    held: list[str],
    base: DictConfig,
    echo: Callable[[str], None],
    started: float,
) -> Path:
    """Run the points, rank their rows, run the best on the test stream, write the summary."""
    names = [c.run_name for c in configs]
    results = _run_points(configs, [folder / "points" / n for n in names], echo)
    rows = rank([r for i, res in enumerate(results) for r in candidate_rows(i, chosen[i], res)])
    summary: dict[str, Any] = {
        "preset": base.preset,
        "scenario": base.scenario.name,
        "validation_fraction": held_fractions(configs),
        "select_seeds": list(spec.select_seeds),
        "seeds": list(spec.seeds),
        "spec": _identity(spec),
        "rows": rows,
        "selected": None,
    }
    best = rows[0] if rows and rows[0]["validation"]["acc"][0] is not None else None
    if best is None:
        write_summary(folder, summary)
        raise ConfigError(f"sweep: no configuration finished; see {folder}/points/*/errors.log")
    command = compare_command(spec, best, held)
    final = load_config([*command, f"output_dir={folder}", "run_name=selected"])
    best["test"] = selected_numbers(run_point(final, str(folder / "selected")))
    best["run"] = str(folder / "selected")
    best["command"] = "forgetless compare " + shlex.join(command)
    summary["selected"] = best
    summary["wall_seconds"] = time.perf_counter() - started
    write_summary(folder, summary)
    echo((folder / "sweep.md").read_text())
    return folder
