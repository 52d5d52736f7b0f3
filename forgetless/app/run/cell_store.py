"""The run folder of ``forgetless compare`` during and after a run, and how it is resumed.

Layout of ``<output_dir>/<run_name>/``:

- ``config.yaml``: the whole merged config, written when the run starts (after the config was
  validated and the data loaded: a bad config or missing data still creates no folder).
- ``cells/<rule>__<activation>__<strategy>__seed<seed>.json``: one record per cell, written as
  soon as the cell ends (also a failed cell, with its ``error`` and ``traceback``).
- ``logs/``: what the cells' loggers write (with ``loggers=[...]``); a re-run cell starts afresh.
- ``results.json``, ``summary.md``, the plots and ``errors.log``: the report, written when every
  cell has a record.

No file is ever half-written: each is written to a hidden temporary name in the same folder and
renamed into place (atomic on POSIX). So a folder with ``config.yaml`` but no ``results.json``
is an interrupted run, and a killed run loses only the cells that were running. Each record
carries the config's hash and its own checksum (:mod:`forgetless.app.run.cell_integrity`): a
resume refuses, in one line naming the file, a record it could not use as written.
``forgetless compare resume=<run folder>`` (:func:`load_run_config`, then
:func:`~forgetless.app.run.compare.run_compare` with ``resume=``) re-runs the cells that have no
record or a failed one and writes the report a single uninterrupted run would have written.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from forgetless.app.configs.load import ConfigError, apply_overrides
from forgetless.app.configs.schema import CompareConfig
from forgetless.app.run.cell import Cell
from forgetless.app.run.cell_integrity import check_record, config_hash, seal

CONFIG_FILE = "config.yaml"
CELLS_DIR = "cells"
#: Keys that may change when resuming: they choose where cells run, not what they compute.
RESUME_KEYS = ("launcher", "progress")


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file renamed into place."""
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cell_file(folder: Path, cell: Cell) -> Path:
    """Where the record of ``cell`` is kept."""
    head = "" if cell.head == "none" else f"__{cell.head}"  # no head: the name it always had
    name = f"{cell.rule}__{cell.activation}__{cell.strategy}{head}__seed{cell.seed}.json"
    return folder / CELLS_DIR / name


def start_run(folder: Path, cfg: DictConfig) -> None:
    """Fill a new run folder (see :func:`~forgetless.app.run.run_folder.create_run_folder`) with
    ``config.yaml`` and an empty ``cells/``."""
    (folder / CELLS_DIR).mkdir()
    write_atomically(folder / CONFIG_FILE, OmegaConf.to_yaml(cfg, resolve=True))


def save_cell(folder: Path, record: dict[str, Any], cfg: DictConfig) -> None:
    """Write one cell's record (atomically) as soon as it ends, sealed with ``cfg``'s hash and
    its checksum (:func:`~forgetless.app.run.cell_integrity.seal`)."""
    sealed = seal(record, config_hash(cfg, RESUME_KEYS))
    write_atomically(cell_file(folder, Cell.of(record)), json.dumps(sealed, indent=1) + "\n")


def load_cells(folder: Path, cells: Sequence[Cell], cfg: DictConfig) -> dict[Cell, dict[str, Any]]:
    """The saved records of ``cells`` (a cell without a record file is left out).

    Raises:
        ConfigError: ``cells/`` is missing, holds a record of a cell outside the grid, or a
            record file is unreadable, edited, of another config or of another cell (one line
            naming the file).
    """
    if not (folder / CELLS_DIR).is_dir():
        raise ConfigError(f"resume: {folder / CELLS_DIR} not found; expected a compare run folder")
    expected = {cell_file(folder, cell) for cell in cells}
    for path in sorted((folder / CELLS_DIR).glob("*.json")):
        if path not in expected:
            raise ConfigError(
                f"resume: {path} is no cell of config.yaml's grid (was config.yaml edited?); "
                "start a new run"
            )
    cfg_hash = config_hash(cfg, RESUME_KEYS)
    found = {}
    for cell in cells:
        path = cell_file(folder, cell)
        if not path.exists():
            continue
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            detail = " ".join(str(error).split())
            raise ConfigError(
                f"resume: {path}: unreadable ({detail}); delete it to re-run that cell"
            ) from None
        coordinates = {
            "activation": cell.activation,
            "rule": cell.rule,
            "strategy": cell.strategy,
            "seed": cell.seed,
        }
        found[cell] = check_record(
            path, record, coordinates, cfg_hash, int(cfg.scenario.n_experiences)
        )
    return found


def previous_wall_seconds(folder: Path) -> float:
    """The ``wall_seconds`` of the report already in ``folder`` (0.0 without one): a resumed run
    adds its own time to it."""
    try:
        return float(json.loads((folder / "results.json").read_text())["wall_seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


def remove_leftovers(folder: Path) -> None:
    """Delete what a killed run may leave: temporary files and a half-written report folder."""
    import shutil

    for path in [*folder.glob(".report.*"), *folder.glob(".*.tmp"), *folder.glob("*/.*.tmp")]:
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)


def load_run_config(folder: str | os.PathLike, overrides: Sequence[str] = ()) -> DictConfig:
    """The config of the run in ``folder``, with ``launcher.*`` / ``progress`` overrides.

    Raises :class:`ConfigError` (one line naming the file or key) when ``folder`` is not a run
    folder, its config no longer loads, or an override would change what the cells compute.
    """
    path = Path(folder).expanduser() / CONFIG_FILE
    if not path.is_file():
        raise ConfigError(f"resume: {path} not found; expected the folder of a compare run")
    for item in overrides:
        key = item.partition("=")[0].strip()
        if key.split(".")[0] not in RESUME_KEYS:
            raise ConfigError(
                f"{key}: cannot change when resuming (only {', '.join(RESUME_KEYS)} can); "
                "start a new run instead"
            )
    try:
        saved = OmegaConf.load(path)
        cfg = OmegaConf.merge(OmegaConf.structured(CompareConfig), saved)
    except Exception as error:
        detail = " ".join(str(error).split())
        raise ConfigError(f"resume: {path}: {detail}") from None
    missing = sorted(set(cfg) - set(saved)) if OmegaConf.is_dict(saved) else []
    if not OmegaConf.is_dict(saved) or missing:
        got = f"no keys {missing}" if missing else "not a mapping"
        raise ConfigError(f"resume: {path}: {got}; expected the config a compare run wrote")
    return apply_overrides(cfg, list(overrides))
