"""Reseed torch's random generator at the start of every training epoch: ``EpochSeed``.

Lightning checkpoints do not carry the random generators' states, so a run resumed from a
checkpoint would draw different random numbers (Forward-Forward's negative labels, NoProp's
noise, dropout masks, a DataLoader's base seed) than the run that was not interrupted. With this
callback, epoch ``e`` on global rank ``r`` starts from ``torch.manual_seed(s)`` with
``s = seed · 1_000_003 + e · 1_009 + r``. Any run that starts epoch ``e`` therefore replays the
same numbers, which makes resume bit-identical on CPU. Design decisions:
docs/lightning.md#epoch-seed.
"""

from __future__ import annotations

import pytorch_lightning as pl
import torch


def epoch_seed(seed: int, epoch: int, rank: int) -> int:
    """The seed of ``epoch`` on ``rank``; fits torch's 64-bit seed range.

    Args:
        seed: the run's seed.
        epoch: the 0-based training epoch.
        rank: the process's global rank.

    Returns:
        ``(seed · 1_000_003 + epoch · 1_009 + rank) mod 2**63``.
    """
    return (seed * 1_000_003 + epoch * 1_009 + rank) % (2**63)


class EpochSeed(pl.Callback):
    """``torch.manual_seed(epoch_seed(seed, epoch, rank))`` at every ``on_train_epoch_start``.

    Args:
        seed: the run's seed, mixed with the epoch and the global rank.

    Raises:
        ValueError: ``seed`` is not a non-negative int.
    """

    def __init__(self, seed: int = 0) -> None:
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise ValueError(f"EpochSeed: seed must be a non-negative int, got {seed!r}")
        self.seed = seed

    def on_train_epoch_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        torch.manual_seed(epoch_seed(self.seed, trainer.current_epoch, trainer.global_rank))
