"""Create a run's folder: ``output_dir`` (if needed) and ``<output_dir>/<run_name>`` itself.

Called once the config is valid and the data are loaded (so a bad config or missing data
creates nothing). Every failure is raised before anything of the run is written: an
``output_dir`` that cannot be created or written is a :class:`~forgetless.app.configs.ConfigError`
naming ``output_dir``; a run folder that exists already is a ``FileExistsError`` naming
``run_name`` and how to resume it. Without ``run_name`` the folder is named after the time and
the preset, and two runs started in the same second get distinct folders (``-2``, ``-3``, ...
appended): ``mkdir`` either creates the folder or fails, so exactly one run owns each name.
What the folder holds during and after a run: :mod:`forgetless.app.run.cell_store`.
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
    if run_name is None:
        return _create_unique(out_root, f"{datetime.now():%Y%m%d-%H%M%S}-{preset}")
    final = out_root / run_name
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


def _create_unique(out_root: Path, stem: str) -> Path:
    """Create ``out_root/stem``, or the first free ``stem-2``, ``stem-3``, ... (atomically)."""
    for index in range(1, 10_000):
        final = out_root / (stem if index == 1 else f"{stem}-{index}")
        try:
            final.mkdir()
            return final
        except FileExistsError:
            continue
        except OSError as error:
            raise ConfigError(
                f"output_dir: cannot write in {out_root} ({_reason(error)})"
            ) from None
    raise ConfigError(f"output_dir: {out_root} holds 10000 runs named {stem}; set run_name")
