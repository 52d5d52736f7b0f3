"""The joint upper bound of a comparison: one cell trained once on the union of the experiences.

The cell's model (or local rule), optimizer and epochs are those of the sequential cells of the
same rule and activation; one ``train`` over the concatenated, shuffled train stream takes
``epochs × ⌈N / batch⌉`` steps, the sequential run's ``epochs × Σ_i ⌈n_i / batch⌉`` up to the
rounding of the last batch. Backprop cells train with Avalanche's ``JointTraining``, local rules
with :class:`~forgetless.avalanche.rule_strategy.RuleStrategy`, both on
:func:`~forgetless.avalanche.benchmark.joint_experience`. The record (docs/heads.md, "Reference
rows"): ``joint_accuracy`` (``a*_j`` per evaluated experience), ``acc`` = ``la`` = mean_j a*_j,
no accuracy matrix, and the forgetting metrics undefined (null).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from omegaconf import DictConfig

from forgetless.app.run.cell import Cell, build_strategy, resolve_device
from forgetless.app.run.memory import PeakMemory
from forgetless.app.run.rule_settings import rule_settings
from forgetless.metrics.bounds import joint_acc
from forgetless.scenarios import Scenario


def run_joint_cell(
    cfg: DictConfig,
    cell: Cell,
    scenario: Scenario,
    on_experience: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Train ``cell`` (an ``upper_bound`` strategy) once on every experience; evaluate each."""
    from forgetless.avalanche import AccuracyMatrixPlugin, to_avalanche  # isort: skip
    from avalanche.training.determinism.rng_manager import RNGManager  # isort: skip

    from forgetless.avalanche.benchmark import joint_experience

    RNGManager.set_random_seeds(cell.seed)  # the same draws as the sequential cells
    device = resolve_device(cfg.train.device)
    recorder = AccuracyMatrixPlugin(len(scenario))
    with PeakMemory(device) as memory:
        strategy, _ = build_strategy(cfg, cell, scenario, device, [recorder])
        benchmark = to_avalanche(scenario)
        strategy.eval(benchmark.test_stream)
        if on_experience is not None:
            on_experience(0, 1)
        start = time.perf_counter()
        strategy.train(joint_experience(benchmark.train_stream))
        train_seconds = time.perf_counter() - start
        strategy.eval(benchmark.test_stream)
    R, baseline = recorder.matrix.matrix_and_baseline()
    joint = R[0].tolist()  # trained on the one joint experience, index 0
    acc = joint_acc(joint)
    return {
        "evaluated_on": scenario.evaluated_on,
        "accuracy_matrix": None,
        "baseline_accuracy": None if baseline is None else baseline.tolist(),
        "joint_accuracy": joint,
        "acc": acc,
        "la": acc,
        **dict.fromkeys(("bwt", "fwt", "forgetting", "avalanche_forgetting"), math.nan),
        "train_seconds": train_seconds,
        "peak_memory_mb": memory.peak_mb,
        "privacy": None,
        "training": rule_settings(cfg, cell.rule, scenario).record(),
    }
