"""A streaming head reading a frozen feature extractor: one module a door can train and score.

``HeadOnFeatures(extractor, head)`` is ``x ↦ head(flatten(extractor(x)))``: ``update(x, y)`` runs
the extractor without gradients (in eval mode, its own mode restored after) and merges the
features into the head's statistics; ``forward`` returns the head's logits, ``−inf`` for the
classes not seen yet. The extractor is never trained here (features that drift: docs/heads.md).
"""

from __future__ import annotations

import torch
from torch import nn

from forgetless.heads.class_means import ClassMeanHead


class HeadOnFeatures(nn.Module):
    """A :class:`~forgetless.heads.class_means.ClassMeanHead` on a frozen extractor's features.

    Args:
        extractor: the feature map (e.g. :class:`~forgetless.heads.RandomReLUFeatures`, a model
            of the grid cut before its output layer), or None for the flattened inputs.
        head: a streaming head whose ``num_features`` is the extractor's output width.

    Raises:
        ValueError: naming ``extractor`` or ``head`` when they are not modules of those kinds.
    """

    def __init__(self, extractor: nn.Module | None, head: ClassMeanHead) -> None:
        super().__init__()
        if extractor is not None and not isinstance(extractor, nn.Module):
            raise ValueError(
                f"HeadOnFeatures: extractor must be an nn.Module or None, got {extractor!r}"
            )
        if not isinstance(head, ClassMeanHead):
            raise ValueError(f"HeadOnFeatures: head must be a ClassMeanHead, got {head!r}")
        self.extractor = extractor if extractor is not None else nn.Flatten()
        self.head = head

    @torch.no_grad()
    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The extractor's output for ``x``, flattened to ``(N, k)`` (eval mode, no gradient)."""
        was_training = self.extractor.training
        self.extractor.eval()
        try:
            out = self.extractor(x)
        finally:
            self.extractor.train(was_training)
        return out.reshape(out.shape[0], -1)

    def update(self, x: torch.Tensor, y: torch.Tensor) -> None:
        """Merge the features of ``x`` with labels ``y`` into the head (see the head's update)."""
        self.head.update(self.features(x), y)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The head's logits ``(N, C)`` on the features of ``x``."""
        return self.head(self.features(x))

    def predict(self, x: torch.Tensor) -> torch.Tensor:
        """The predicted class of each input ``(N,)``."""
        return self(x).argmax(dim=1)
