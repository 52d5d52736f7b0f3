"""One experience of a scenario as a plain PyTorch dataset over in-memory tensors.

Images stay uint8 in memory, shared between experiences (an experience is a list of row indices
into them), and become model inputs on access: ``x = (pixels / 255 − mean) / std`` (or just
``pixels / 255`` with ``normalize=False``), shaped ``(1, 28, 28)`` for grey images stored as
``(N, H, W)`` and ``(C, H, W)`` for colour images stored as ``(N, C, H, W)`` (CIFAR, normalised
per channel), after an optional fixed pixel permutation (Permuted-MNIST). Sharing the uint8 tensor keeps ten permuted copies of full MNIST at
the memory of one. ``__getitems__`` converts a whole batch at once, so a ``DataLoader`` is fast.
"""

from __future__ import annotations

from collections.abc import Sequence, Sized
from dataclasses import dataclass, replace

import torch
from torch.utils.data import Dataset


@dataclass(frozen=True, eq=False, repr=False)
class ExperienceDataset(Dataset):
    """Items ``(x, y)``, or ``(x, y, t)`` when ``task_label`` is set.

    Attributes:
        images: all images of the split, uint8 ``(N, 28, 28)`` or ``(N, C, H, W)`` (shared).
        rows: int64 indices into ``images`` of this experience, in the order served.
        targets: int64 class labels of this experience (``labels[rows]``).
        mean: normalisation mean; std: normalisation std (one per channel for colour images).
        normalize: apply ``(x − mean) / std`` after scaling to [0, 1].
        permutation: optional int64 permutation of the 784 pixels (applied before normalising).
        task_label: task identity returned as third item, or None (class-incremental).
    """

    images: torch.Tensor
    rows: torch.Tensor
    targets: torch.Tensor
    mean: float | tuple[float, ...]
    std: float | tuple[float, ...]
    normalize: bool = True
    permutation: torch.Tensor | None = None
    task_label: int | None = None

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    def __repr__(self) -> str:
        classes = torch.unique(self.targets).tolist()
        return (
            f"ExperienceDataset(size={len(self)}, classes={classes}, task_label={self.task_label}, "
            f"normalize={self.normalize}, permuted={self.permutation is not None})"
        )

    @property
    def input_shape(self) -> tuple[int, ...]:
        """Shape of one input: ``(1, H, W)`` for grey images, ``(C, H, W)`` for colour ones."""
        shape = tuple(self.images.shape[1:])
        return shape if len(shape) == 3 else (1, *shape)

    def inputs(self, index: torch.Tensor | slice | None = None) -> torch.Tensor:
        """Model inputs for ``index`` (default: all), float32 ``(n, *input_shape)``."""
        rows = self.rows if index is None else self.rows[index]
        shape = self.input_shape
        pixels = self.images[rows].to(torch.float32).div_(255.0).reshape(-1, *shape)
        if self.permutation is not None:
            flat = pixels.reshape(pixels.shape[0], -1)
            pixels = flat[:, self.permutation].reshape(-1, *shape)
        if self.normalize:
            if isinstance(self.mean, tuple | list):
                channels = (1, -1, 1, 1)
                mean = torch.tensor(self.mean, dtype=torch.float32).view(channels)
                std = torch.tensor(self.std, dtype=torch.float32).view(channels)
                pixels = pixels.sub_(mean).div_(std)
            else:
                pixels = pixels.sub_(self.mean).div_(self.std)
        return pixels

    def tensors(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The whole experience as ``(inputs (N, *input_shape), targets (N,))``."""
        return self.inputs(), self.targets

    def _item(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, ...]:
        if self.task_label is None:
            return x, y
        return x, y, torch.tensor(self.task_label)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, ...]:
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} out of range for an experience of {len(self)}")
        return self._item(self.inputs(torch.tensor([index]))[0], self.targets[index])

    def __getitems__(self, indices: list[int]) -> list[tuple[torch.Tensor, ...]]:
        batch = torch.as_tensor(indices, dtype=torch.long)
        inputs = self.inputs(batch)
        return [self._item(x, y) for x, y in zip(inputs, self.targets[batch], strict=True)]

    def with_task_label(self, task_label: int | None) -> ExperienceDataset:
        """The same data (shared tensors) with another task label (None: yield ``(x, y)``)."""
        return replace(self, task_label=task_label)


def seeded_shuffle(rows: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """``rows`` in a random order drawn from ``generator`` (reproducible for a given seed)."""
    return rows[torch.randperm(rows.numel(), generator=generator)]


def check_non_empty(
    train: Sequence[Sized],
    test: Sequence[Sized],
    origin: str,
    classes: Sequence[Sequence[int]] | None = None,
) -> None:
    """Every experience has training and test samples; else a ValueError naming the first
    empty one (e.g. a data folder that holds only some of the classes)."""
    for split, experiences in (("training", train), ("test", test)):
        for index, experience in enumerate(experiences):
            if len(experience) == 0:
                which = f" (classes {list(classes[index])})" if classes is not None else ""
                raise ValueError(
                    f"data: experience {index}{which} has no {split} samples in {origin}; "
                    "every experience needs training and test samples"
                )
