"""Lightning's ``EarlyStopping`` in a continual run: it ends the experience, not the stream.

One ``trainer.fit`` trains the whole stream, so a stop signalled by ``EarlyStopping`` would end
every later experience too. :class:`ExperienceEarlyStop` (added by :func:`continual_trainer`)
turns that signal into "this experience is done": it clears ``trainer.should_stop``, moves the
loop's epoch counter to the experience's last epoch (so the accuracy matrix row, the
experience checkpoint and the next experience follow as if its epochs had run, and a resume
starts at the next experience), evaluates the experience, and resets every ``EarlyStopping``
(patience and best score) when an experience ends, so each experience is judged on its own.

It is a ``Checkpoint`` only so that Lightning runs its ``on_train_epoch_end`` after
``EarlyStopping``'s (Lightning calls ``EarlyStopping`` and ``Checkpoint`` callbacks after all
others); it saves nothing. Design: docs/lightning.md ("Continual loop").
"""

from __future__ import annotations

import time

import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import Checkpoint, EarlyStopping

from forgetless.lightning.continual_metrics import ContinualMetrics
from forgetless.lightning.datamodule import continual_datamodule


def _reset(stopper: EarlyStopping) -> None:
    stopper.wait_count = 0
    stopper.stopped_epoch = 0
    infinity = torch.tensor(torch.inf)
    stopper.best_score = infinity if stopper.monitor_op == torch.lt else -infinity


def _skip_to(trainer: pl.Trainer, epoch: int) -> None:
    """Count the epochs up to ``epoch`` as run (every counter of the epoch progress)."""
    progress = trainer.fit_loop.epoch_progress
    skipped = epoch - trainer.current_epoch
    for tracker in (progress.total, progress.current):
        tracker.ready += skipped
        tracker.started += skipped
        tracker.processed += skipped
        tracker.completed += skipped


class ExperienceEarlyStop(Checkpoint):
    """End the current experience (not the stream) when an ``EarlyStopping`` signals a stop."""

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        stoppers = [c for c in trainer.callbacks if isinstance(c, EarlyStopping)]
        if not stoppers:
            return
        datamodule = continual_datamodule(trainer, "ExperienceEarlyStop")
        epoch = trainer.current_epoch
        if trainer.should_stop and not datamodule.ends_experience(epoch):
            trainer.should_stop = False
            k = datamodule.experience_of_epoch(epoch)
            _skip_to(trainer, (k + 1) * datamodule.epochs_per_experience - 1)
            for metrics in (c for c in trainer.callbacks if isinstance(c, ContinualMetrics)):
                metrics._epoch_started = time.perf_counter()  # its epoch time is counted
                metrics.on_train_epoch_end(trainer, pl_module)  # the row of experience k
        elif trainer.should_stop:
            trainer.should_stop = False  # the experience ends here anyway
        if datamodule.ends_experience(trainer.current_epoch):
            for stopper in stoppers:
                _reset(stopper)
