"""Create a run's folder: ``output_dir`` (if needed) and ``<output_dir>/<run_name>`` itself.

Called once the config is valid and the data are loaded (so a bad config or missing data
creates nothing). Every failure is raised before anything of the run is written: an
``output_dir`` that cannot be created or written is a :class:`~forgetless.app.configs.ConfigError`
naming ``output_dir``; a run folder that exists already is a ``FileExistsError`` naming
``run_name`` and how to resume it. What the folder holds during and after a run:
:mod:`forgetless.app.run.cell_store`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from forgetless.app.configs.load import ConfigError


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def create_run_folder(output_dir: str, run_name: str | None, preset: str) -> Path:
    """Create and return ``<output_dir>/<run_name>`` (default name: time and preset)."""
    out_root = Path(output_dir).expanduser()
    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"output_dir: cannot create {out_root} ({_reason(error)})") from None
    name = run_name or f"{datetime.now():%Y%m%d-%H%M%S}-{preset}"
    final = out_root / name
    try:
        final.mkdir()
    except FileExistsError:
        raise FileExistsError(
            f"output_dir/run_name: {final} already exists; pick another run_name, or continue "
            f"it with: forgetless compare resume={final}"
        ) from None
    except OSError as error:
        raise ConfigError(f"output_dir: cannot write in {out_root} ({_reason(error)})") from None
    return final
