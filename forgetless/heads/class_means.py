"""Running class means and counts: the statistics both streaming heads share.

:class:`ClassMeanHead` keeps, per class ``c``, the count ``n_c`` and the mean ``μ_c`` of the
features seen so far, in float64, merged batch by batch exactly (``μ ← μ + n_b / (n_c + n_b) ·
(μ_b − μ)``); a head subclass turns them into logits, with ``−inf`` for the classes not seen yet.
"""

from __future__ import annotations

import torch
from torch import nn

from forgetless.checks import floating_input, positive_int

STATS_DTYPE = torch.float64


class ClassMeanHead(nn.Module):
    """Per-class running means and counts (buffers, so ``state_dict`` checkpoints them).

    Args:
        num_features: the length ``d`` of one feature vector.
        num_classes: the number of classes ``C``; labels are ``0..C-1``.

    Raises:
        ValueError: naming ``num_features`` or ``num_classes`` unless each is a positive int.
    """

    means: torch.Tensor
    counts: torch.Tensor

    def __init__(self, num_features: int, num_classes: int) -> None:
        super().__init__()
        owner = type(self).__name__
        self.num_features = positive_int(owner, "num_features", num_features)
        self.num_classes = positive_int(owner, "num_classes", num_classes)
        self.register_buffer("means", torch.zeros(num_classes, num_features, dtype=STATS_DTYPE))
        self.register_buffer("counts", torch.zeros(num_classes, dtype=torch.int64))

    def extra_repr(self) -> str:
        return f"num_features={self.num_features}, num_classes={self.num_classes}"

    @property
    def seen(self) -> torch.Tensor:
        """Boolean ``(C,)``: the classes with at least one sample."""
        return self.counts > 0

    def check_features(self, x: object) -> torch.Tensor:
        """``x`` as a float64 ``(N, d)`` tensor, or a ValueError naming ``x``."""
        owner = type(self).__name__
        floating_input(owner, x)
        if x.dim() != 2 or x.shape[1] != self.num_features:
            raise ValueError(
                f"{owner}: x must have shape (N, {self.num_features}), got {tuple(x.shape)}"
            )
        if not torch.isfinite(x).all():
            raise ValueError(f"{owner}: x must be finite, got NaN or inf")
        return x.to(device=self.means.device, dtype=STATS_DTYPE)

    def check_labels(self, y: object, n: int) -> torch.Tensor:
        """``y`` as an int64 ``(n,)`` tensor of labels in ``0..C-1``, or a ValueError naming ``y``."""
        owner = type(self).__name__
        if not isinstance(y, torch.Tensor) or y.is_floating_point() or y.dtype == torch.bool:
            kind = y.dtype if isinstance(y, torch.Tensor) else type(y).__name__
            raise ValueError(f"{owner}: y must be an integer torch.Tensor, got {kind}")
        if y.shape != (n,):
            raise ValueError(
                f"{owner}: y must have shape ({n},) like x's rows, got {tuple(y.shape)}"
            )
        if n and (int(y.min()) < 0 or int(y.max()) >= self.num_classes):
            raise ValueError(
                f"{owner}: y must hold labels in [0, {self.num_classes - 1}], "
                f"got [{int(y.min())}, {int(y.max())}]"
            )
        return y.to(device=self.means.device, dtype=torch.int64)

    def batch_means(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The batch's own per-class counts ``(C,)`` and means ``(C, d)`` (0 where absent)."""
        counts = torch.bincount(y, minlength=self.num_classes)
        sums = torch.zeros_like(self.means).index_add_(0, y, x)
        means = sums / counts.clamp(min=1).unsqueeze(1).to(STATS_DTYPE)
        return counts, means

    def merge_means(self, counts: torch.Tensor, means: torch.Tensor) -> torch.Tensor:
        """Merge a batch's class counts and means into the running ones (in place); return the
        old means (the scatter update of :class:`~forgetless.heads.slda.StreamingLDA` needs them)."""
        old = self.means.clone()
        total = self.counts + counts
        weight = (counts.to(STATS_DTYPE) / total.clamp(min=1).to(STATS_DTYPE)).unsqueeze(1)
        self.means.add_(weight * (means - old))
        self.counts.copy_(total)
        return old

    def mask_unseen(self, logits: torch.Tensor) -> torch.Tensor:
        """``logits`` with ``−inf`` in the columns of classes not seen yet (a ValueError if none
        is seen: there is nothing to predict)."""
        if not bool(self.seen.any()):
            raise ValueError(f"{type(self).__name__}: no class seen yet; call update(x, y) first")
        return logits.masked_fill(~self.seen, float("-inf"))

    def predict(self, x: torch.Tensor) -> torch.Tensor:
        """The predicted class of each row of ``x``: ``argmax`` of :meth:`forward` ``(N,)``."""
        return self(x).argmax(dim=1)
