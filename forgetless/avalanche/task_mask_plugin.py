"""Task-incremental training and evaluation with one shared head: mask the logits per sample."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from avalanche.core import SupervisedPlugin

from forgetless.metrics.class_mask import allowed_classes, mask_logits
from forgetless.report.labels import BACKPROP


class TaskMaskPlugin(SupervisedPlugin):
    """Masks ``strategy.mb_output`` to the classes of each sample's task after every forward
    pass, in training (so the loss sees only the task's classes) and in evaluation (so the
    prediction is among them): the task-incremental setting on a single head.

    The task of a sample is its Avalanche task label (``mb_task_id``; the experience index in a
    task-incremental :func:`~forgetless.avalanche.to_avalanche` benchmark), so a minibatch that
    mixes tasks (replay) is masked row by row.

    Args:
        classes: the classes of each task (``Scenario.classes``).
        num_classes: the width of the model's outputs.

    Raises:
        ValueError: a class outside ``0..num_classes-1``, or an empty task.
    """

    def __init__(self, classes: Sequence[Sequence[int]], num_classes: int) -> None:
        super().__init__()
        self.allowed = allowed_classes(classes, num_classes)

    def _mask(self, strategy: Any) -> None:
        output = strategy.mb_output
        if output is None or output.ndim != 2:  # a rule strategy without training logits
            return
        rows = self.allowed.to(output.device)[strategy.mb_task_id.to(output.device)]
        strategy.mb_output = mask_logits(output, rows)

    def after_forward(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self._mask(strategy)

    def after_eval_forward(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self._mask(strategy)


def task_mask_plugins(scenario: Any, rule: str = BACKPROP) -> list[TaskMaskPlugin]:
    """``[TaskMaskPlugin]`` for a task-incremental ``scenario`` (a forgetless ``Scenario``),
    else ``[]``.

    Raises:
        ValueError: a backprop-free ``rule`` in a task-incremental scenario (its local losses
            cannot be masked by a mask on the output).
    """
    if not scenario.task_incremental:
        return []
    if rule != BACKPROP:
        raise ValueError(
            f"scenario.task_incremental: rule {rule!r} trains on local losses that cannot "
            "be masked to a task's classes; use task_incremental=false or rules=[backprop]"
        )
    return [TaskMaskPlugin(scenario.classes, scenario.num_classes)]
