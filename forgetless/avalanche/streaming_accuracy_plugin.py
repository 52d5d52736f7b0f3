"""Prequential and anytime accuracy inside an Avalanche strategy
(:mod:`forgetless.metrics.streaming_accuracy` holds the definitions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from avalanche.core import SupervisedPlugin
from torch.utils.data import Dataset

from forgetless.checks import positive_int
from forgetless.metrics.streaming_accuracy import PrequentialAccuracy, pooled_accuracy


class StreamingAccuracyPlugin(SupervisedPlugin):
    """Score each training minibatch before it is learned (prequential accuracy) and, every
    ``every_n_steps`` iterations, the pooled test accuracy of the experiences seen so far.

    Args:
        test_sets: the test dataset of each experience, in stream order (a forgetless
            ``Scenario``'s ``test``).
        every_n_steps: iterations between two anytime measurements.
        eval_batch_size: minibatch size of the anytime evaluation.

    Attributes:
        prequential: the running :class:`PrequentialAccuracy`.
        anytime: ``(step, accuracy)`` pairs over the stream, ``step`` the iterations done.

    Raises:
        ValueError: no test set, or a non-positive interval or batch size.
    """

    def __init__(
        self, test_sets: Sequence[Dataset], every_n_steps: int = 50, eval_batch_size: int = 500
    ) -> None:
        super().__init__()
        if not test_sets:
            raise ValueError("test_sets: expected one test dataset per experience")
        self.test_sets = list(test_sets)
        self.every_n_steps = positive_int("StreamingAccuracyPlugin", "every_n_steps", every_n_steps)
        self.eval_batch_size = positive_int(
            "StreamingAccuracyPlugin", "eval_batch_size", eval_batch_size
        )
        self.prequential = PrequentialAccuracy()
        self.anytime: list[tuple[int, float]] = []
        self.steps = 0

    @torch.no_grad()
    def before_forward(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        model = strategy.model
        was_training = model.training
        model.eval()
        try:
            self.prequential.update(model(strategy.mb_x), strategy.mb_y)
        finally:
            model.train(was_training)

    def after_training_iteration(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self.steps += 1
        if self.steps % self.every_n_steps == 0:
            seen = self.test_sets[: strategy.experience.current_experience + 1]
            accuracy = pooled_accuracy(
                strategy.model, seen, self.eval_batch_size, str(strategy.device)
            )
            self.anytime.append((self.steps, accuracy))
