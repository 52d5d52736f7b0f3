"""``loggers=[wandb]`` logs each cell to W&B (offline here) without printing W&B's banner and
sync lines: the command's output is the same as without loggers, plus nothing from W&B."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from grid_helpers import TINY

pytest.importorskip("wandb")


def test_wandb_logger_prints_nothing(tmp_path):
    env = {**os.environ, "WANDB_MODE": "offline", "WANDB_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "forgetless.app.cli", "compare", *TINY]
    args = ["activations=[relu]", "seeds=[0]", "train.epochs=1", "loggers=[wandb]"]
    done = subprocess.run(
        [*command, *args, f"output_dir={tmp_path}", "run_name=w"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    printed = (done.stdout + done.stderr).replace(str(tmp_path), "<tmp>").splitlines()
    assert not [line for line in printed if "wandb" in line.lower()], printed
    assert list((tmp_path / "w" / "logs").glob("*/wandb/offline-run-*"))  # it did log
