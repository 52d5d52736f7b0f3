"""``results.json``: the config, the environment and one record per grid cell."""

from __future__ import annotations

import json
import math
import os
import platform
from pathlib import Path
from typing import Any

import torch

# Keys every cell record carries (values are null where a cell failed or a metric is undefined).
# ``evaluated_on``: the stream the matrix was measured on, "test" or "validation". ``head``:
# none, a grid head or a reference head; ``joint_accuracy``: a joint bound's a*_j (its
# accuracy_matrix is null); ``acc_vs_joint`` / ``intransigence``: against that bound.
RESULT_KEYS = (
    "activation",
    "rule",
    "strategy",
    "head",
    "seed",
    "evaluated_on",
    "accuracy_matrix",
    "baseline_accuracy",
    "acc",
    "la",
    "learned",
    "bwt",
    "fwt",
    "forgetting",
    "avalanche_forgetting",
    "joint_accuracy",
    "acc_vs_joint",
    "intransigence",
    "train_seconds",
    "peak_memory_mb",
    "privacy",
    "training",
    "error",
)


def _finite_or_null(value: Any) -> Any:
    """JSON has no NaN: undefined metrics (e.g. FWT of one experience) become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_finite_or_null(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite_or_null(v) for k, v in value.items()}
    return value


def environment(device: str) -> dict[str, Any]:
    """Versions and hardware the run used."""
    from importlib.metadata import PackageNotFoundError, version

    def ver(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "device": device,
        "versions": {
            name: ver(name)
            for name in (
                "forgetless",
                "torch",
                "avalanche-lib",
                "pytorch-lightning",
                "torchmetrics",
            )
        },
    }
    if device.startswith("cuda") and torch.cuda.is_available():
        info["gpu"] = torch.cuda.get_device_name()
    return info


def write_results(
    path: Path,
    config: dict[str, Any],
    env: dict[str, Any],
    cells: list[dict[str, Any]],
    **extra: Any,
) -> None:
    """Write ``results.json`` with keys ``config``, ``environment``, ``cells`` (and ``extra``)."""
    records = [{key: cell.get(key) for key in RESULT_KEYS} for cell in cells]
    payload = {"config": config, "environment": env, "cells": records, **extra}
    path.write_text(json.dumps(_finite_or_null(payload), indent=2) + "\n")
