"""Integrity of a run folder's cell records: what a resume may trust.

Every record saved in ``cells/`` carries two extra keys:

- ``config_hash``: SHA-256 of the run's config (:func:`config_hash`, the resolved config as
  canonical JSON without the keys a resume may change), so a record made under another config
  (an edited ``config.yaml``: ``train.epochs``, ``optimizer.lr``, ``seeds``, ...) is never mixed
  into the report;
- ``checksum``: SHA-256 of the record itself as canonical JSON (sorted keys) without this key,
  so an edited value (0.94 → 0.84), a renamed key or a truncated row is detected.

:func:`check_record` refuses, in one line naming the file, anything a resume could not use as
written: not a JSON object, a bad checksum, another config's hash, another cell's coordinates,
an accuracy matrix that is not ``n × n``. The fix it names is to delete that file (the cell is
then re-run) or to start a new run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from forgetless.app.configs.load import ConfigError

CONFIG_HASH = "config_hash"
CHECKSUM = "checksum"


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=True)
    return hashlib.sha256(text.encode()).hexdigest()


def config_hash(cfg: DictConfig, free_keys: Iterable[str]) -> str:
    """SHA-256 of ``cfg`` resolved, without its top-level ``free_keys`` (what a resume may set)."""
    data = OmegaConf.to_container(cfg, resolve=True)
    for key in free_keys:
        data.pop(key, None)
    return _digest(data)


def seal(record: dict[str, Any], cfg_hash: str) -> dict[str, Any]:
    """``record`` with its ``config_hash`` and ``checksum`` (a new dict)."""
    sealed = {k: v for k, v in record.items() if k != CHECKSUM}
    sealed[CONFIG_HASH] = cfg_hash
    sealed[CHECKSUM] = _digest(sealed)
    return sealed


def check_record(
    path: Path, record: Any, coordinates: dict[str, Any], cfg_hash: str, n_experiences: int
) -> dict[str, Any]:
    """``record`` (read from ``path``) if a resume may use it, else :class:`ConfigError`.

    Args:
        path: the file the record was read from (named in every error).
        record: the parsed JSON.
        coordinates: the cell the file name says, ``{"activation": ..., "seed": ...}``.
        cfg_hash: :func:`config_hash` of the config being resumed.
        n_experiences: the size of a successful cell's accuracy matrix.

    Raises:
        ConfigError: one line naming ``path`` and what is wrong with it.
    """
    fix = "delete it to re-run that cell, or start a new run"
    if not isinstance(record, dict):
        raise ConfigError(f"resume: {path}: expected a JSON object, got {type(record).__name__}")
    if record.get(CHECKSUM) != _digest({k: v for k, v in record.items() if k != CHECKSUM}):
        raise ConfigError(f"resume: {path}: checksum mismatch (edited or corrupt); {fix}")
    if record.get(CONFIG_HASH) != cfg_hash:
        raise ConfigError(
            f"resume: {path} was made with another config than config.yaml (was config.yaml "
            f"edited?); {fix}"
        )
    moved = [k for k, v in coordinates.items() if record.get(k) != v]
    if moved:
        raise ConfigError(
            f"resume: {path} holds another cell's record ({', '.join(moved)} differ); {fix}"
        )
    matrix = record.get("accuracy_matrix")
    if record.get("error") is None and not (
        isinstance(matrix, list)
        and len(matrix) == n_experiences
        and all(isinstance(row, list) and len(row) == n_experiences for row in matrix)
    ):
        raise ConfigError(
            f"resume: {path}: accuracy_matrix is not {n_experiences}x{n_experiences}; {fix}"
        )
    return record
