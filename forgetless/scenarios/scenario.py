"""The ``Scenario`` container: a sequence of experiences as plain PyTorch datasets.

A scenario knows neither Lightning nor Avalanche. Its experiences are
:class:`~forgetless.scenarios.experience.ExperienceDataset` objects usable from any loop;
:meth:`Scenario.as_stream` gives the one-pass stream of :mod:`forgetless.scenarios.streaming`;
the Avalanche door converts a scenario with :func:`forgetless.avalanche.to_avalanche`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch

from forgetless.scenarios.experience import ExperienceDataset

if TYPE_CHECKING:
    from torch.utils.data import DataLoader


@dataclass(frozen=True, eq=False, repr=False)
class Scenario:
    """A continual-learning scenario.

    Attributes:
        name: its entry in :data:`forgetless.scenario_specs.SCENARIOS`, e.g. ``"split_mnist"``.
        train: one training dataset per experience, served in a fixed (seeded) order.
        test: one test dataset per experience (same classes / permutation as ``train[i]``).
        classes: the classes present in each experience.
        num_classes: classes over the whole scenario (10; 100 for Split-CIFAR-100).
        input_shape: shape of one input, ``(1, 28, 28)`` (``(3, 32, 32)`` for CIFAR).
        task_incremental: items are ``(x, y, t)`` with ``t`` = experience index when True,
            ``(x, y)`` otherwise (class- or domain-incremental).
        source: which data source was used (see :mod:`forgetless.scenarios.sources`).
        permutations: Permuted-MNIST's pixel permutation per experience, else None.
        validation: the validation data held out of each training experience, or None
            (see :func:`forgetless.scenarios.validation.hold_out`).
        evaluated_on: what ``test`` holds: ``"test"``, or ``"validation"`` after
            :func:`forgetless.scenarios.validation.evaluate_on` made it the validation stream.
    """

    name: str
    train: list[ExperienceDataset]
    test: list[ExperienceDataset]
    classes: list[list[int]]
    num_classes: int = 10
    input_shape: tuple[int, int, int] = (1, 28, 28)
    task_incremental: bool = False
    source: str = ""
    permutations: list[torch.Tensor] | None = None
    validation: list[ExperienceDataset] | None = None
    evaluated_on: str = "test"

    def __len__(self) -> int:
        """Number of experiences."""
        return len(self.train)

    def __repr__(self) -> str:
        held = self.validation is not None
        validation = f"validation_sizes={[len(d) for d in self.validation]}, " if held else ""
        evaluated = f"evaluated_on={self.evaluated_on!r}, " if self.evaluated_on != "test" else ""
        return (
            f"Scenario(name={self.name!r}, experiences={len(self)}, classes={self.classes}, "
            f"train_sizes={[len(d) for d in self.train]}, test_sizes={[len(d) for d in self.test]}, "
            f"{validation}{evaluated}task_incremental={self.task_incremental}, "
            f"source={self.source!r})"
        )

    def as_stream(self, batch_size: int = 1) -> DataLoader:
        """One pass over all training data, in order, no task labels (see :func:`stream_loader`)."""
        from forgetless.scenarios.streaming import stream_loader

        return stream_loader(self, batch_size=batch_size)
