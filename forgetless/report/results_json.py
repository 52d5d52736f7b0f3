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
# ``evaluated_on``: the stream the matrix was measured on, "test" or "validation".
# ``accuracy_matrix_task`` / ``*_task``: the same run's task-incremental matrix (logits masked to
# the evaluated experience's classes) and its summaries; ``activation_params``: the activation's
# resolved factory parameters, ``activation_paper_differences`` those that differ from the paper.
# ``head``: none, a grid head or a reference head; ``joint_accuracy``: a joint bound's a*_j (its
# accuracy_matrix is null) and ``joint_steps`` its optimizer steps; ``acc_vs_joint`` /
# ``intransigence``: against that bound. ``plasticity_*``: the plasticity monitor's history and
# its tenth means with ``monitors.plasticity``; ``prequential_acc`` / ``anytime_accuracy`` with
# ``monitors.streaming_accuracy`` (else null).
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
    "avg_incremental_acc",
    "la_first_tenth",
    "la_last_tenth",
    "plasticity_first_tenth",
    "plasticity_last_tenth",
    "plasticity_monitor",
    "prequential_acc",
    "anytime_accuracy",
    "accuracy_matrix_task",
    "acc_task",
    "la_task",
    "forgetting_task",
    "activation_params",
    "activation_paper_differences",
    "joint_accuracy",
    "joint_steps",
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


def _git_revision(folder: Path) -> str | None:
    """The commit checked out at ``folder`` (None outside a git checkout or without git)."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def data_provenance(
    scenarios: dict[int, Any], source_asked: str, root: str | None, argv: list[str]
) -> dict[str, Any]:
    """What a run really used: the data (resolved source, root, sizes and classes per
    experience, per seed), the command line and the git revision of the forgetless code.

    Args:
        scenarios: the built :class:`~forgetless.scenarios.Scenario` per seed.
        source_asked: ``scenario.source`` as configured (``auto`` resolves to one source).
        root: ``scenario.root`` as configured (None: the source's own search).
        argv: the process's command line (``sys.argv``).
    """
    first = next(iter(scenarios.values()))
    per_seed = {
        str(seed): {
            "classes": [list(map(int, c)) for c in scenario.classes],
            "train_sizes": [len(d) for d in scenario.train],
            "test_sizes": [len(d) for d in scenario.test],
            "evaluated_on": scenario.evaluated_on,
        }
        for seed, scenario in scenarios.items()
    }
    return {
        "data": {
            "scenario": first.name,
            "source": first.source,
            "source_asked": source_asked,
            "root": root,
            "experiences": per_seed,
        },
        "command": list(argv),
        "git_revision": _git_revision(Path(__file__).resolve().parent),
    }


def data_line(provenance: dict[str, Any]) -> str:
    """One line saying which data the run used (printed before the cells start)."""
    data = provenance["data"]
    sizes = next(iter(data["experiences"].values()))["train_sizes"]
    if len(sizes) > 5 and len(set(sizes)) == 1:  # a long stream of equal experiences
        sizes = f"{sizes[0]} in each of {len(sizes)}"
    where = f" at {data['root']}" if data["root"] else ""
    line = (
        f"data: {data['scenario']} from source {data['source']}{where} "
        f"(asked: {data['source_asked']}); training samples per experience {sizes}"
    )
    if data["source"] == "embedded":
        line += "; the embedded 5,000-digit sample: set scenario.source or scenario.root for the full dataset"
    return line
