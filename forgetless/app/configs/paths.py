"""Checks of the paths in a compare config, before anything is written.

- ``run_name`` is a plain folder name: not empty, not ``.``/``..``, no path separator or NUL,
  not hidden (a leading ``.`` marks temporary files and folders), at most
  :data:`MAX_NAME_BYTES` bytes in UTF-8 (the temporary name adds a suffix to it).
- ``output_dir`` is a folder, or can become one: the path, or its nearest existing ancestor, is
  a writable folder. Nothing is created here (see
  :func:`forgetless.app.run.run_folder.create_run_folder`, which maps any remaining ``OSError``
  to a :class:`ConfigError` too).
- ``scenario.root``, when given, is an existing folder (except for ``source=torchvision``, where
  it is where the download goes).
"""

from __future__ import annotations

import os
from pathlib import Path

from omegaconf import DictConfig

from forgetless.app.configs.load import ConfigError

MAX_NAME_BYTES = 200


def _plain_text(key: str, value: str) -> None:
    if not value or "\0" in value:
        raise ConfigError(f"{key}: expected a non-empty path without NUL characters, got {value!r}")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise ConfigError(f"{key}: expected a path encodable as UTF-8, got {value!r}") from None


def check_run_name(run_name: str | None) -> None:
    """``run_name`` is None or a plain folder name (see the module docstring)."""
    if run_name is None:
        return
    _plain_text("run_name", run_name)
    separators = {"/", "\\", os.sep, os.altsep or "/"}
    if any(s in run_name for s in separators) or run_name in (".", "..") or run_name[0] == ".":
        raise ConfigError(
            f"run_name: expected a plain folder name (no path separators, not hidden, not . or ..), "
            f"got {run_name!r}; choose the parent folder with output_dir"
        )
    if len(run_name.encode()) > MAX_NAME_BYTES:
        raise ConfigError(
            f"run_name: expected at most {MAX_NAME_BYTES} bytes, got {len(run_name.encode())}"
        )


def check_output_dir(output_dir: str) -> None:
    """``output_dir`` is a writable folder or can be created as one."""
    _plain_text("output_dir", output_dir)
    path = Path(output_dir).expanduser()
    probe = path
    while not os.path.lexists(probe) and probe.parent != probe:
        probe = probe.parent
    if not probe.is_dir():
        what = "is not a folder" if probe == path else f"cannot be created: {probe} is not a folder"
        raise ConfigError(f"output_dir: {path} {what}")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise ConfigError(f"output_dir: {probe} is not writable")


def check_scenario_root(section: DictConfig) -> None:
    """``scenario.root`` is None or an existing folder (a download target for torchvision)."""
    if section.root is None:
        return
    _plain_text("scenario.root", section.root)
    path = Path(section.root).expanduser()
    if section.source != "torchvision" and not path.is_dir():
        raise ConfigError(f"scenario.root: {path} is not an existing folder")
