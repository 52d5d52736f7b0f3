"""Label handling of Forward-Forward: writing a label into the input, drawing wrong labels.

From Hinton (2022), "The Forward-Forward Algorithm: Some Preliminary Investigations": for image
input the label is written, one-hot, into the first C input values; negative data is the same
input carrying a wrong label. Wrong labels are drawn uniformly from the C − 1 wrong classes only:
``y_neg = (y + k) mod C`` with ``k ~ U{1, …, C−1}``, which can never equal ``y`` (permuting labels
across a batch sometimes returns the true label).
"""

from __future__ import annotations

import torch
from torch import Tensor


def write_label(x: Tensor, labels: Tensor, num_classes: int, value: float = 1.0) -> Tensor:
    """Copy of flat input ``x [N, D]`` whose first ``num_classes`` entries are ``value · onehot``."""
    if x.dim() != 2 or x.shape[1] <= num_classes:
        raise ValueError(
            f"x: needs shape [N, D] with D > num_classes={num_classes} to carry the label, "
            f"got {tuple(x.shape)}"
        )
    out = x.clone()
    out[:, :num_classes] = 0.0
    out[torch.arange(x.shape[0], device=x.device), labels] = value
    return out


def write_neutral_label(x: Tensor, num_classes: int, value: float = 1.0) -> Tensor:
    """Copy of ``x`` whose first ``num_classes`` entries all hold ``value / num_classes``."""
    if x.dim() != 2 or x.shape[1] <= num_classes:
        raise ValueError(
            f"x: needs shape [N, D] with D > num_classes={num_classes} to carry the label, "
            f"got {tuple(x.shape)}"
        )
    out = x.clone()
    out[:, :num_classes] = value / num_classes
    return out


def draw_wrong_labels(
    y: Tensor, num_classes: int, generator: torch.Generator | None = None
) -> Tensor:
    """One label per sample, uniform over the ``num_classes − 1`` classes other than ``y``."""
    if num_classes < 2:
        raise ValueError(f"num_classes must be >= 2 to draw a wrong label, got {num_classes}")
    shift = torch.randint(
        1, num_classes, y.shape, generator=generator, device="cpu" if generator else y.device
    ).to(y.device)
    return (y + shift) % num_classes


def draw_hard_wrong_labels(
    scores: Tensor, y: Tensor, generator: torch.Generator | None = None
) -> Tensor:
    """One wrong label per sample drawn in proportion to the model's own belief in it:
    ``p(c) ∝ exp(scores[c])`` over the classes ``c ≠ y`` (Hinton's "hard" negative labels).

    ``scores`` is ``[N, C]`` (e.g. Forward-Forward's goodness per label); the true class gets
    probability 0, so the draw can never return ``y``.
    """
    if scores.dim() != 2 or scores.shape[0] != y.shape[0] or scores.shape[1] < 2:
        raise ValueError(
            f"scores: expected shape [{y.shape[0]}, C >= 2], got {tuple(scores.shape)}"
        )
    masked = scores.detach().float().clone()
    masked[torch.arange(y.shape[0], device=y.device), y] = float("-inf")
    probs = torch.softmax(masked, dim=1)
    if generator is not None:
        return torch.multinomial(probs.cpu(), 1, generator=generator).squeeze(1).to(y.device)
    return torch.multinomial(probs, 1).squeeze(1)
