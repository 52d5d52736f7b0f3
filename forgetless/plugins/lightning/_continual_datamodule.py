"""Find the :class:`ContinualDataModule` a continual callback works with (one check, one message)."""

from __future__ import annotations

import pytorch_lightning as pl

from forgetless.strategies.lightning_datamodule import ContinualDataModule


def continual_datamodule(trainer: pl.Trainer, owner: str) -> ContinualDataModule:
    """``trainer.datamodule`` if it is a ContinualDataModule, else a ``ValueError`` from ``owner``."""
    datamodule = trainer.datamodule
    if not isinstance(datamodule, ContinualDataModule):
        raise ValueError(
            f"{owner}: needs trainer.fit(module, datamodule=ContinualDataModule(scenario)) (or "
            f"fit_continual), got datamodule={type(datamodule).__name__}"
        )
    return datamodule
