"""Fill a forgetless :class:`~forgetless.metrics.AccuracyMatrix` from an Avalanche run."""

from __future__ import annotations

from typing import Any

from avalanche.core import SupervisedPlugin

from forgetless.metrics import AccuracyMatrix


class AccuracyMatrixPlugin(SupervisedPlugin):
    """Records ``R[i, j]`` at every evaluation: ``i`` is the index of the experience trained last
    (None before any training, which fills the untrained baseline ``b``), ``j`` the evaluated one.

    Use it as Avalanche expects: ``train(exp_i)`` then ``eval(test_stream)`` once per experience.
    """

    def __init__(self, num_experiences: int) -> None:
        super().__init__()
        self.matrix = AccuracyMatrix(num_experiences)
        self._trained_on: int | None = None

    def after_training_exp(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self._trained_on = strategy.experience.current_experience

    def after_eval_iteration(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self.matrix.update(
            strategy.mb_output.detach().cpu(),
            strategy.mb_y.cpu(),
            trained_on=self._trained_on,
            evaluated_on=strategy.experience.current_experience,
        )
