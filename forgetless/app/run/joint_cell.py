"""The joint upper bound of a comparison: one cell trained once on the union of the experiences.

The cell's model (or local rule), optimizer and batch size are those of the sequential cells of
the same rule and activation; it trains on the concatenated, shuffled train stream, epoch after
epoch, for exactly the step budget of :func:`joint_steps`. Decision (docs/heads.md, "Reference
rows"): ``references.joint_steps=cumulative`` (default) gives it cumulative training's steps,
``epochs × Σ_k ⌈|D_1..k| / batch⌉``, so that it bounds every strategy of the grid;
``stream`` one sequential run's, ``epochs × ⌈N / batch⌉``. Backprop cells train with Avalanche's
``JointTraining``, local rules with :class:`~forgetless.avalanche.rule_strategy.RuleStrategy`,
both on :func:`~forgetless.avalanche.benchmark.joint_experience`. The record (docs/heads.md, "Reference
rows"): ``joint_accuracy`` (``a*_j`` per evaluated experience), ``acc`` = ``la`` = mean_j a*_j,
no accuracy matrix, the forgetting metrics undefined (null), and ``joint_steps`` (the steps
taken).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from omegaconf import DictConfig

from forgetless.app.configs.heads_check import JOINT_STEPS
from forgetless.app.run.cell import Cell, build_strategy, resolve_device
from forgetless.app.run.memory import PeakMemory
from forgetless.app.run.rule_settings import rule_settings
from forgetless.metrics.bounds import joint_acc
from forgetless.scenarios import Scenario


def joint_steps(budget: str, sizes: list[int], batch_size: int, epochs: int) -> int:
    """The joint cell's number of optimizer steps.

    Args:
        budget: ``cumulative``: ``epochs × Σ_k ⌈(n_1 + … + n_k) / batch⌉``, the steps cumulative
            training takes over the stream; ``stream``: ``epochs × ⌈(n_1 + … + n_K) / batch⌉``,
            one pass of the sequential run's epochs over the union.
        sizes: the train experiences' sizes ``n_1 … n_K``.
        batch_size: the train minibatch size.
        epochs: the epochs per experience.

    Raises:
        ValueError: ``budget`` not one of :data:`JOINT_STEPS`.
    """
    if budget == "stream":
        return epochs * math.ceil(sum(sizes) / batch_size)
    if budget == "cumulative":
        seen = [sum(sizes[: k + 1]) for k in range(len(sizes))]
        return epochs * sum(math.ceil(n / batch_size) for n in seen)
    raise ValueError(f"references.joint_steps: expected one of {list(JOINT_STEPS)}, got {budget!r}")


def _step_budget(steps: int) -> Any:
    """An Avalanche plugin that counts training iterations and stops training after ``steps``."""
    from avalanche.core import SupervisedPlugin

    class StepBudget(SupervisedPlugin):
        def __init__(self) -> None:
            super().__init__()
            self.taken = 0

        def after_training_iteration(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
            self.taken += 1
            if self.taken >= steps:
                strategy.stop_training()

        def after_training_exp(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
            strategy._stop_training = False  # a stop at the last planned step leaves the flag set

    return StepBudget()


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
        sizes = [len(experience) for experience in scenario.train]
        steps = joint_steps(
            cfg.references.joint_steps, sizes, strategy.train_mb_size, strategy.train_epochs
        )
        budget = _step_budget(steps)
        strategy.plugins.append(budget)
        strategy.train_epochs = math.ceil(steps / math.ceil(sum(sizes) / strategy.train_mb_size))
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
        "joint_steps": budget.taken,
        "train_seconds": train_seconds,
        "peak_memory_mb": memory.peak_mb,
        "privacy": None,
        "training": rule_settings(cfg, cell.rule, scenario).record(),
    }
