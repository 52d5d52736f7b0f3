"""Create a run's folders: ``output_dir`` (if needed) and the hidden temporary run folder.

Every failure is raised before anything of the run is written: an ``output_dir`` that cannot be
created or written is a :class:`~forgetless.app.configs.ConfigError` naming ``output_dir``; a run
folder that exists already is a ``FileExistsError`` naming ``run_name``.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from forgetless.app.configs.load import ConfigError


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def create_run_folders(output_dir: str, run_name: str | None, preset: str) -> tuple[Path, Path]:
    """``(final, tmp)``: where the finished run goes, and the temporary folder it is built in."""
    out_root = Path(output_dir).expanduser()
    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"output_dir: cannot create {out_root} ({_reason(error)})") from None
    name = run_name or f"{datetime.now():%Y%m%d-%H%M%S}-{preset}"
    final = out_root / name
    if final.exists():
        raise FileExistsError(f"output_dir/run_name: {final} already exists; pick another run_name")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=out_root))
    except OSError as error:
        raise ConfigError(f"output_dir: cannot write in {out_root} ({_reason(error)})") from None
    return final, tmp
