"""Checkpoint a continual run after every experience: ``ExperienceCheckpoint``.

After the last epoch of experience ``k`` (and after :class:`ContinualMetrics` has evaluated it:
Lightning runs ``Checkpoint`` callbacks after all others) the Trainer's full checkpoint is written
to ``dirpath/experience-{k}.ckpt`` and copied to ``dirpath/last.ckpt``. A Lightning checkpoint
holds the model, the optimizer(s), every callback's ``state_dict`` (the accuracy matrix, the
activation swap, ...), the loops' progress (the epoch, hence the position in the stream) and the
datamodule's stream record. :func:`~forgetless.lightning.continual_loop.fit_continual`
resumes from ``last.ckpt``; before Lightning loads it, this callback's ``setup`` checks the
saved weights' names and shapes against the model (after the other callbacks' ``setup``, i.e.
after an activation swap), so a mismatch is an error that names the file. ``setup`` also refuses
(:class:`CheckpointError`) a ``dirpath`` that is a file, or a folder where ``last.ckpt`` or an
``experience-{k}.ckpt`` goes, before training rather than when the first experience ends.

Design decisions (who writes, the atomic replacement of ``last.ckpt``):
docs/lightning.md#experience-checkpoint.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytorch_lightning as pl
from pytorch_lightning.callbacks import Checkpoint

from forgetless.lightning.checkpoint_files import CheckpointError, check_weights, read_checkpoint
from forgetless.lightning.datamodule import continual_datamodule

LAST = "last.ckpt"


class ExperienceCheckpoint(Checkpoint):
    """Write ``experience-{k}.ckpt`` and ``last.ckpt`` into ``dirpath`` after each experience.

    Args:
        dirpath: the checkpoint folder (created when the first experience ends).
        keep_every: keep every ``experience-{k}.ckpt``; False keeps only ``last.ckpt``.

    Raises:
        ValueError: ``dirpath`` is not a folder path.
        CheckpointError: (in ``setup``) ``dirpath`` is a file, a checkpoint name in it is a
            folder, or the checkpoint to resume from does not match the model's weights.
    """

    def __init__(self, dirpath: str | os.PathLike, *, keep_every: bool = True) -> None:
        if not isinstance(dirpath, str | os.PathLike) or not str(dirpath):
            raise ValueError(
                f"ExperienceCheckpoint: dirpath must be a folder path, got {dirpath!r}"
            )
        self.dirpath = Path(dirpath)
        self.keep_every = bool(keep_every)
        self.saved: list[str] = []
        self.resume_from: Path | None = None

    @property
    def last_path(self) -> Path:
        return self.dirpath / LAST

    def setup(self, trainer: pl.Trainer, pl_module: pl.LightningModule, stage: str) -> None:
        """Check the checkpoint to resume from (``resume_from``, set by ``fit_continual``)
        against the model as the other callbacks left it (swapped activations, rule network),
        before Lightning loads it, so a mismatch names the file."""
        continual_datamodule(trainer, "ExperienceCheckpoint")
        self.check_paths()
        if self.resume_from is not None:
            checkpoint = read_checkpoint(self.resume_from)
            check_weights(self.resume_from, checkpoint, pl_module)

    def check_paths(self) -> None:
        """Refuse, before training, paths this callback could not write after an experience.

        Raises:
            CheckpointError: ``dirpath`` exists but is not a folder, or a folder stands where
                ``last.ckpt``, its temporary file or an ``experience-{k}.ckpt`` goes.
        """
        if self.dirpath.exists() and not self.dirpath.is_dir():
            raise CheckpointError(f"{self.dirpath}: checkpoint dirpath exists but is not a folder")
        if not self.dirpath.is_dir():
            return
        names = [LAST, LAST + ".partial"]
        for path in [*(self.dirpath / n for n in names), *self.dirpath.glob("experience-*.ckpt")]:
            if path.exists() and not path.is_file():
                raise CheckpointError(
                    f"{path}: exists but is not a checkpoint file (a folder?); remove it or "
                    "choose another checkpoint folder"
                )

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        datamodule = continual_datamodule(trainer, "ExperienceCheckpoint")
        epoch = trainer.current_epoch
        if not datamodule.ends_experience(epoch):
            return
        k = datamodule.experience_of_epoch(epoch)
        if trainer.is_global_zero:
            self.dirpath.mkdir(parents=True, exist_ok=True)
        self.saved.append(str(self.dirpath / f"experience-{k}.ckpt"))
        partial = self.dirpath / (LAST + ".partial")
        trainer.save_checkpoint(partial, weights_only=False)
        if trainer.is_global_zero:
            if self.keep_every:
                target = self.dirpath / f"experience-{k}.ckpt"
                target.unlink(missing_ok=True)
                try:
                    os.link(partial, target)
                except OSError:  # no hard links on this filesystem
                    shutil.copyfile(partial, target)
            os.replace(partial, self.last_path)
        trainer.strategy.barrier("ExperienceCheckpoint")

    def state_dict(self) -> dict[str, Any]:
        return {"dirpath": str(self.dirpath), "saved": list(self.saved)}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.saved = [str(p) for p in state_dict.get("saved", [])]
