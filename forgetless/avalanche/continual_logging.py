"""The continual scalars of an Avalanche run, sent to Avalanche's own loggers.

``ContinualScalars`` is an Avalanche ``PluginMetric``: put it in an ``EvaluationPlugin`` with any
Avalanche loggers (``TensorboardLogger``, ``WandBLogger``, :class:`CSVScalarLogger`, ...) and
it emits the names of :mod:`forgetless.metrics.logged`, the ones the Lightning door's
``ContinualMetrics`` logs: ``train/loss`` and ``continual/experience`` every ``every_n_steps``
training iterations, and after each trained experience (at the first evaluation that follows)
``continual/*`` and ``accuracy/experience_<j>``, experiences numbered 1..T. ``x_plot`` is the
global training step (iterations so far), so both doors' curves share one axis::

    recorder = AccuracyMatrixPlugin(len(benchmark.train_stream))
    evaluator = continual_evaluator(recorder, [TensorboardLogger("tb")], every_n_steps=10)
    strategy = Naive(model, optimizer, plugins=[recorder], evaluator=evaluator, ...)

The accuracies come from the :class:`AccuracyMatrixPlugin` given (which must be among the
strategy's plugins; Avalanche calls plugins before the evaluator, so its row is complete when
this metric reads it). The metric counts iterations itself rather than reading the strategy's
clock, whose update order relative to the evaluator is an Avalanche detail.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from avalanche.evaluation import PluginMetric
from avalanche.evaluation.metric_results import MetricValue

from forgetless.avalanche.accuracy_matrix_plugin import AccuracyMatrixPlugin
from forgetless.metrics.logged import EXPERIENCE, TRAIN_LOSS, experience_scalars, is_log_step


class ContinualScalars(PluginMetric[dict]):
    """Emit the forgetless continual scalars (see the module docstring).

    Args:
        recorder: the strategy's :class:`AccuracyMatrixPlugin`.
        every_n_steps: log the training loss every this many iterations.
    """

    def __init__(self, recorder: AccuracyMatrixPlugin, every_n_steps: int = 1) -> None:
        super().__init__()
        if not isinstance(recorder, AccuracyMatrixPlugin):
            raise ValueError(
                f"recorder must be an AccuracyMatrixPlugin, got {type(recorder).__name__}"
            )
        if not isinstance(every_n_steps, int) or every_n_steps < 1:
            raise ValueError(f"every_n_steps must be a positive int, got {every_n_steps!r}")
        self.recorder = recorder
        self.every_n_steps = every_n_steps
        self.iterations = 0
        self._trained: int | None = None
        self._last: dict[str, float] = {}

    def result(self) -> dict[str, float]:
        """The scalars emitted last."""
        return dict(self._last)

    def reset(self) -> None:
        self._last = {}

    def _emit(self, scalars: dict[str, float], step: int) -> list[MetricValue]:
        self._last = scalars
        return [MetricValue(self, name, value, step) for name, value in scalars.items()]

    def after_training_iteration(self, strategy: Any) -> list[MetricValue] | None:
        step, self.iterations = self.iterations, self.iterations + 1
        if strategy.loss is None or not is_log_step(step, self.every_n_steps):
            return None
        loss = strategy.loss.detach() if hasattr(strategy.loss, "detach") else strategy.loss
        experience = float(strategy.experience.current_experience + 1)
        return self._emit({TRAIN_LOSS: float(loss), EXPERIENCE: experience}, step)

    def after_training_exp(self, strategy: Any) -> None:
        self._trained = strategy.experience.current_experience

    def after_eval(self, strategy: Any) -> list[MetricValue] | None:
        if self._trained is None:  # the untrained baseline, or a second evaluation
            return None
        k, self._trained = self._trained, None
        R, baseline = self.recorder.matrix.matrix_and_baseline()
        task = self.recorder.task_matrix
        R_task = None if task is None else task.matrix().cpu()
        return self._emit(experience_scalars(R.cpu(), baseline, k, R_task), self.iterations)

    def __str__(self) -> str:
        return "ContinualScalars"


def continual_evaluator(
    recorder: AccuracyMatrixPlugin, loggers: Sequence[Any] = (), every_n_steps: int = 1
) -> Any:
    """An ``EvaluationPlugin`` with :class:`ContinualScalars` feeding ``loggers``."""
    from avalanche.training.plugins import EvaluationPlugin

    with warnings.catch_warnings():  # "No loggers specified" when loggers is empty
        warnings.simplefilter("ignore", UserWarning)
        return EvaluationPlugin(ContinualScalars(recorder, every_n_steps), loggers=list(loggers))


def close_logger(logger: Any) -> None:
    """Flush and close an Avalanche logger that holds files or a run (TensorBoard's writer,
    :class:`CSVScalarLogger`, W&B); a no-op for the others."""
    if callable(getattr(logger, "close", None)):
        logger.close()
    elif getattr(logger, "writer", None) is not None:  # avalanche's TensorboardLogger
        logger.writer.close()
