"""Value checks of the ``launcher`` section (:class:`~forgetless.app.configs.schema.LauncherConfig`).

Ray is looked for, never imported: validating a config loads no framework.
"""

from __future__ import annotations

import importlib.util
import math

from omegaconf import DictConfig

from forgetless.app.configs.load import ConfigError

KINDS = ("local", "ray")
MAX_JOBS = 4096
MAX_THREADS = 1024


def check_launcher(launcher: DictConfig) -> None:
    """Raise :class:`ConfigError` (one line naming the key) for a bad ``launcher`` value."""
    if launcher.kind not in KINDS:
        raise ConfigError(f"launcher.kind: expected one of {list(KINDS)}, got {launcher.kind!r}")
    for key, high in (("jobs", MAX_JOBS), ("threads", MAX_THREADS)):
        if not 1 <= launcher[key] <= high:
            raise ConfigError(
                f"launcher.{key}: expected an integer in [1, {high}], got {launcher[key]}"
            )
    if not (math.isfinite(launcher.cpus_per_cell) and launcher.cpus_per_cell > 0):
        raise ConfigError(
            f"launcher.cpus_per_cell: expected a finite number > 0, got {launcher.cpus_per_cell}"
        )
    gpus = launcher.gpus_per_cell
    if gpus is not None and not (math.isfinite(gpus) and gpus >= 0):
        raise ConfigError(f"launcher.gpus_per_cell: expected null or a number >= 0, got {gpus}")
    if launcher.kind != "ray" and launcher.address is not None:
        raise ConfigError("launcher.address: joins a Ray cluster; set launcher.kind=ray too")
    if launcher.kind == "ray" and importlib.util.find_spec("ray") is None:
        raise ConfigError(
            "launcher.kind: 'ray' needs the ray package (pip install 'forgetless[ray]')"
        )
