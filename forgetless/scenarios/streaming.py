"""Streaming mode: one pass over a scenario's training data, with no task-boundary signal.

The setting of "Hard ASH: Sparsity and the right optimizer make a continual learner" (Keskinen,
2024): the learner sees the experiences one after another, each sample once, in mini-batches of
``batch_size`` (1..k), and is never told where one experience ends.

One ``DataLoader``, no shuffling, no task labels; the decisions: docs/scenarios.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from torch.utils.data import ConcatDataset, DataLoader

from forgetless.checks import check_int

if TYPE_CHECKING:
    from forgetless.scenarios.scenario import Scenario


def stream_loader(scenario: Scenario, batch_size: int = 1) -> DataLoader:
    """A one-pass ``DataLoader`` of ``(x, y)`` batches over ``scenario.train`` in order."""
    check_int("batch_size", batch_size, 1)
    experiences = [experience.with_task_label(None) for experience in scenario.train]
    return DataLoader(
        ConcatDataset(experiences), batch_size=batch_size, shuffle=False, drop_last=False
    )
