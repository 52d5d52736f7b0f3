"""Fill a forgetless :class:`~forgetless.metrics.AccuracyMatrix` from an Avalanche run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from avalanche.core import SupervisedPlugin

from forgetless.metrics import AccuracyMatrix
from forgetless.metrics.class_mask import allowed_classes, mask_logits
from forgetless.metrics.summary import TASK_KEYS, diagonal_and_last_row_measured, task_summary


class AccuracyMatrixPlugin(SupervisedPlugin):
    """Records ``R[i, j]`` at every evaluation: ``i`` is the index of the experience trained last
    (None before any training, which fills the untrained baseline ``b``), ``j`` the evaluated one.

    With ``classes`` (the classes of each experience, ``Scenario.classes``) and ``num_classes``
    (the width of the outputs) it also records ``task_matrix``: the same outputs masked to
    experience ``j``'s classes before the argmax, the task-incremental accuracy of the same run
    (:mod:`forgetless.metrics.class_mask`). Outputs that are class indices, not scores, cannot
    be masked: ``task_matrix`` then stays empty.

    Raises:
        ValueError: ``classes`` without ``num_classes``, or a class outside ``0..num_classes-1``.

    Use it as Avalanche expects: ``train(exp_i)`` then ``eval(test_stream)`` once per experience.
    """

    def __init__(
        self,
        num_experiences: int,
        classes: Sequence[Sequence[int]] | None = None,
        num_classes: int | None = None,
    ) -> None:
        super().__init__()
        self.matrix = AccuracyMatrix(num_experiences)
        self.task_matrix: AccuracyMatrix | None = None
        self._allowed = None
        if classes is not None:
            if num_classes is None:
                raise ValueError("num_classes: expected the output width along with classes")
            self._allowed = allowed_classes(classes, num_classes)
            self.task_matrix = AccuracyMatrix(num_experiences)
        self._trained_on: int | None = None

    def after_training_exp(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self._trained_on = strategy.experience.current_experience

    def after_eval_iteration(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        output = strategy.mb_output.detach().cpu()
        target = strategy.mb_y.cpu()
        j = strategy.experience.current_experience
        self.matrix.update(output, target, trained_on=self._trained_on, evaluated_on=j)
        if self.task_matrix is not None and output.ndim == 2:
            masked = mask_logits(output, self._allowed[j])
            self.task_matrix.update(masked, target, trained_on=self._trained_on, evaluated_on=j)

    def task_record(self) -> dict[str, Any]:
        """``accuracy_matrix_task`` (the task-incremental matrix) and its ``acc_task``,
        ``la_task``, ``forgetting_task``; None where nothing could be masked (no ``classes``,
        or outputs that were class indices). A matrix of ``train.evaluate=current`` holds only
        its diagonal and last row (:func:`~forgetless.metrics.summary.summarize_measured`)."""
        R_task = self.task_matrix.matrix() if self.task_matrix is not None else None
        if R_task is None or not diagonal_and_last_row_measured(R_task):
            return {"accuracy_matrix_task": None, **dict.fromkeys(TASK_KEYS)}
        return {"accuracy_matrix_task": R_task.tolist(), **task_summary(R_task)}
