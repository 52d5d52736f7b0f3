"""Accuracy while the stream is learned, not only at experience ends.

- **Prequential (test-then-train) accuracy**: every incoming training batch is first predicted by
  the current model, then learned; the running accuracy of those predictions over the stream
  (Dawid 1984, "Present Position and Potential Developments: Some Personal Views: Statistical
  Theory: The Prequential Approach"; the online-learning evaluation of streaming CL).
- **Anytime accuracy**: the accuracy on the pooled test data of the experiences seen so far,
  measured every ``n`` training steps (a curve over the stream).

Predictions are the argmax over every output (class-incremental, as the accuracy matrix).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn
from torch.utils.data import ConcatDataset, DataLoader, Dataset


class PrequentialAccuracy:
    """The running test-then-train accuracy: :meth:`update` with each batch's predictions made
    *before* training on it."""

    def __init__(self) -> None:
        self.correct = 0
        self.seen = 0

    def update(self, scores: torch.Tensor, target: torch.Tensor) -> None:
        """Add one batch: ``scores`` ``(N, C)`` (or class indices ``(N,)``), labels ``(N,)``.

        Raises:
            ValueError: predictions and labels of different lengths.
        """
        preds = scores.argmax(dim=1) if scores.dim() == 2 else scores
        if preds.shape != target.shape:
            raise ValueError(
                f"scores: expected (N, C) or (N,) for {tuple(target.shape)} labels, "
                f"got {tuple(scores.shape)}"
            )
        self.correct += int((preds == target).sum())
        self.seen += int(target.numel())

    @property
    def value(self) -> float:
        """Correct / seen so far (NaN before any batch)."""
        return self.correct / self.seen if self.seen else float("nan")


@torch.no_grad()
def pooled_accuracy(
    model: nn.Module, datasets: Sequence[Dataset], batch_size: int = 500, device: str = "cpu"
) -> float:
    """The accuracy of ``model`` (eval mode, its mode restored) on the union of ``datasets``
    (items ``(x, y, ...)``). Torch's CPU generator is restored afterwards (a DataLoader draws a
    seed from it), so measuring during training leaves the training's random stream unchanged.

    Raises:
        ValueError: no dataset, or no sample in them.
    """
    pooled = ConcatDataset(list(datasets)) if datasets else None
    if pooled is None or len(pooled) == 0:
        raise ValueError("datasets: expected at least one sample to evaluate on")
    was_training = model.training
    model.eval()
    correct = 0
    try:
        with torch.random.fork_rng(devices=[]):
            for batch in DataLoader(pooled, batch_size=batch_size):
                x, y = batch[0].to(device), batch[1].to(device)
                correct += int((model(x).argmax(dim=1) == y).sum())
    finally:
        model.train(was_training)
    return correct / len(pooled)
