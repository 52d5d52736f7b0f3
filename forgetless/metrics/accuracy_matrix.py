"""The continual-learning accuracy matrix as a torchmetrics ``Metric``.

Cell ``(i, j)`` counts correct predictions and samples on experience ``j`` after training on
experience ``i``; ``compute()`` returns ``R[i, j] = correct / total`` (NaN where nothing was
evaluated). A separate row holds the untrained model's counts (``b[j]``, for forward transfer).
The states are counts with ``dist_reduce_fx="sum"``, so under DDP each rank evaluates its shard
and the synchronised matrix is the global one, exactly as if one process had seen all the data.
"""

from __future__ import annotations

import torch
from torchmetrics import Metric

from forgetless.metrics.summary import summarize


class AccuracyMatrix(Metric):
    """Accumulates the accuracy matrix ``R`` of a run over ``num_experiences`` experiences.

    ``update(preds, target, trained_on=i, evaluated_on=j)`` adds one batch; ``preds`` are class
    indices ``(N,)`` or scores ``(N, C)`` (argmax is taken). ``trained_on=None`` records the
    untrained model (the baseline ``b``).
    """

    full_state_update = False
    higher_is_better = True
    is_differentiable = False

    def __init__(self, num_experiences: int, **kwargs) -> None:
        super().__init__(**kwargs)
        if not isinstance(num_experiences, int) or num_experiences < 1:
            raise ValueError(f"num_experiences: expected an integer >= 1, got {num_experiences!r}")
        self.num_experiences = num_experiences
        T = num_experiences
        # float64 counts: exact for any realistic sample count, and reduce cleanly with sum.
        self.add_state("correct", torch.zeros(T, T, dtype=torch.float64), dist_reduce_fx="sum")
        self.add_state("total", torch.zeros(T, T, dtype=torch.float64), dist_reduce_fx="sum")
        self.add_state("base_correct", torch.zeros(T, dtype=torch.float64), dist_reduce_fx="sum")
        self.add_state("base_total", torch.zeros(T, dtype=torch.float64), dist_reduce_fx="sum")

    def _check_index(self, name: str, value: int) -> None:
        if not isinstance(value, int) or not 0 <= value < self.num_experiences:
            raise ValueError(
                f"{name}: expected an experience index in 0..{self.num_experiences - 1}, got {value!r}"
            )

    def update(
        self, preds: torch.Tensor, target: torch.Tensor, trained_on: int | None, evaluated_on: int
    ) -> None:
        self._check_index("evaluated_on", evaluated_on)
        if trained_on is not None:
            self._check_index("trained_on", trained_on)
        if preds.ndim == 2:
            preds = preds.argmax(dim=1)
        if preds.shape != target.shape:
            raise ValueError(
                f"preds: expected class indices of shape {tuple(target.shape)} (or scores (N, C)), "
                f"got {tuple(preds.shape)}"
            )
        hits = (preds == target).sum().to(torch.float64)
        count = float(target.numel())
        if trained_on is None:
            self.base_correct[evaluated_on] += hits
            self.base_total[evaluated_on] += count
        else:
            self.correct[trained_on, evaluated_on] += hits
            self.total[trained_on, evaluated_on] += count

    def compute(self) -> torch.Tensor:
        """The matrix ``R`` (float64, NaN where no sample was evaluated).

        torchmetrics squeezes a one-element result to a scalar; :meth:`matrix` always gives T x T.
        """
        return self.correct / self.total

    def matrix(self) -> torch.Tensor:
        """The T x T matrix ``R``, synchronised across processes when running distributed."""
        return self.matrix_and_baseline()[0]

    def matrix_and_baseline(self) -> tuple[torch.Tensor, torch.Tensor | None]:
        """``R`` and ``b`` (None unless every experience has a baseline), synchronised across
        processes when running distributed."""
        with self.sync_context():
            R = (self.correct / self.total).clone()
            base = None
            if bool((self.base_total > 0).all()):
                base = (self.base_correct / self.base_total).clone()
        return R, base

    def summary(self) -> dict[str, float]:
        """``summarize`` of the (synchronised) matrix and baseline."""
        R, base = self.matrix_and_baseline()
        return summarize(R.cpu(), None if base is None else base.cpu())
