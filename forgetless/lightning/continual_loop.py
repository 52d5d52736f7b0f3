"""Train a LightningModule on a forgetless scenario, experience by experience, and resume.

``continual_trainer(scenario, ...)`` builds an ordinary ``pl.Trainer`` set up for a continual
run; ``fit_continual(trainer, module, scenario, ...)`` runs (or resumes) it and returns the
:class:`~forgetless.lightning.ContinualMetrics` callback (accuracy matrix, summary)::

    trainer = continual_trainer(scenario, checkpoint_dir="ckpt", callbacks=[ActivationSwap("elephant")])
    metrics = fit_continual(trainer, LitClassifier(), scenario, batch_size=64)
    if trainer.is_global_zero:  # one print, not one per DDP process
        print(metrics.summary())

One ``trainer.fit`` trains the whole stream (epoch ``e`` trains experience
``e // epochs_per_experience``), so the optimizer's state carries over between experiences; a
run resumes from ``last.ckpt`` of its :class:`ExperienceCheckpoint`.
Design decisions: docs/lightning.md#continual-loop.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytorch_lightning as pl
from pytorch_lightning.callbacks import Callback, Checkpoint, EarlyStopping
from pytorch_lightning.utilities import rank_zero_warn
from pytorch_lightning.utilities.model_helpers import is_overridden

from forgetless.lightning.checkpoint_files import (
    IDENTIFIED,
    check_callbacks,
    check_model,
    check_stream,
    read_checkpoint,
)
from forgetless.lightning.continual_metrics import ContinualMetrics
from forgetless.lightning.datamodule import ContinualDataModule
from forgetless.lightning.epoch_seed import EpochSeed
from forgetless.lightning.experience_checkpoint import ExperienceCheckpoint
from forgetless.lightning.experience_early_stop import ExperienceEarlyStop
from forgetless.metrics import learning_threshold
from forgetless.scenarios import Scenario, hold_out


def continual_trainer(
    scenario: Scenario,
    *,
    epochs_per_experience: int = 1,
    checkpoint_dir: str | os.PathLike | None = None,
    plot_dir: str | os.PathLike | None = None,
    seed: int = 0,
    callbacks: Sequence[Callback] = (),
    **trainer_kwargs: Any,
) -> pl.Trainer:
    """A ``pl.Trainer`` for a continual run over ``scenario``.

    Adds :class:`ContinualMetrics` (with ``plot_dir``), :class:`EpochSeed` (``seed``), with an
    ``EarlyStopping`` in ``callbacks`` :class:`ExperienceEarlyStop` (a stop ends the experience,
    not the stream) and, with ``checkpoint_dir``, :class:`ExperienceCheckpoint` to ``callbacks``; sets ``max_epochs`` and
    ``reload_dataloaders_every_n_epochs=1``; passes every other keyword to ``pl.Trainer``
    (``accelerator``, ``devices``, ``strategy="ddp"``, ``logger``, ...). Lightning's default
    ``ModelCheckpoint`` is not added (with ``checkpoint_dir`` the ExperienceCheckpoint takes
    its place; without, ``enable_checkpointing`` defaults to False). Without
    ``log_every_n_steps``, the interval is chosen from the stream when ``fit`` starts (about ten
    loss points per epoch of the shortest experience, at most 50 steps apart; see
    :func:`forgetless.metrics.logged.log_interval`).

    Args:
        scenario: the forgetless :class:`~forgetless.scenarios.Scenario` to train on.
        epochs_per_experience: training epochs spent on each experience.
        checkpoint_dir: folder of the :class:`ExperienceCheckpoint` (None: no checkpoints).
        plot_dir: folder for :class:`ContinualMetrics`' plots (None: no plots).
        seed: the :class:`EpochSeed` seed.
        callbacks: the user's callbacks, placed before the ones added here.
        **trainer_kwargs: passed to ``pl.Trainer``.

    Raises:
        ValueError: ``scenario`` is not a Scenario, ``epochs_per_experience`` is not a positive
            int, or ``trainer_kwargs`` holds ``max_epochs`` or
            ``reload_dataloaders_every_n_epochs`` (this function sets them).
    """
    if not isinstance(scenario, Scenario):
        raise ValueError(f"scenario must be a forgetless Scenario, got {type(scenario).__name__}")
    if not isinstance(epochs_per_experience, int) or epochs_per_experience < 1:
        raise ValueError(
            f"epochs_per_experience must be a positive int, got {epochs_per_experience!r}"
        )
    for key in ("max_epochs", "reload_dataloaders_every_n_epochs"):
        if key in trainer_kwargs:
            raise ValueError(f"continual_trainer sets {key} itself; do not pass it")
    auto_log_interval = "log_every_n_steps" not in trainer_kwargs
    metrics = ContinualMetrics(plot_dir=plot_dir, auto_log_interval=auto_log_interval)
    extra: list[Callback] = [metrics, EpochSeed(seed)]
    if any(isinstance(c, EarlyStopping) for c in callbacks):
        extra.append(ExperienceEarlyStop())  # a stop ends the experience, not the stream
    if checkpoint_dir is not None:
        extra.append(ExperienceCheckpoint(checkpoint_dir))
    if not any(isinstance(c, Checkpoint) for c in [*callbacks, *extra]):
        trainer_kwargs.setdefault("enable_checkpointing", False)  # no default ModelCheckpoint
    trainer_kwargs.setdefault("num_sanity_val_steps", 0)
    return pl.Trainer(
        max_epochs=len(scenario) * epochs_per_experience,
        reload_dataloaders_every_n_epochs=1,
        callbacks=[*callbacks, *extra],
        **trainer_kwargs,
    )


def _refuse_early_stopping(trainer: pl.Trainer, scenario: Scenario) -> None:
    stopping = [c for c in trainer.callbacks if isinstance(c, EarlyStopping)]
    handled = any(isinstance(c, ExperienceEarlyStop) for c in trainer.callbacks)
    if stopping and not handled and len(scenario) > 1:
        raise ValueError(
            f"fit_continual: EarlyStopping(monitor={stopping[0].monitor!r}) would end the whole "
            "stream, not one experience (one trainer.fit trains every experience); build the "
            "Trainer with continual_trainer(callbacks=[EarlyStopping(...)]) or add "
            "ExperienceEarlyStop()"
        )


def _find(trainer: pl.Trainer, kind: type[Callback]) -> Any:
    found = [c for c in trainer.callbacks if isinstance(c, kind)]
    return found[0] if found else None


def fit_continual(
    trainer: pl.Trainer,
    module: pl.LightningModule,
    scenario: Scenario,
    *,
    batch_size: int = 64,
    eval_batch_size: int = 256,
    epochs_per_experience: int = 1,
    seed: int = 0,
    shuffle: bool = True,
    resume: bool = True,
    ckpt_path: str | os.PathLike | None = None,
    validation_fraction: float = 0.0,
) -> Any:
    """Train ``module`` on ``scenario`` experience by experience; return ``ContinualMetrics``.

    ``ckpt_path`` resumes from that file; otherwise, with ``resume=True`` and an
    :class:`ExperienceCheckpoint` whose ``last.ckpt`` exists, from that. The checkpoint is read
    with ``torch.load(weights_only=True)`` and checked (a full training checkpoint of the same
    stream, the same weight names and shapes) before Lightning loads it.

    Args:
        trainer: a ``pl.Trainer`` built by :func:`continual_trainer` (or set up the same way).
        module: the LightningModule to train.
        scenario: the stream, the same as the Trainer was built for.
        batch_size: the global training batch (split evenly over the processes).
        eval_batch_size: the per-process evaluation batch.
        epochs_per_experience: epochs spent on each experience.
        seed: seeds the per-epoch shuffling of the :class:`ContinualDataModule`.
        shuffle: reshuffle each experience every epoch.
        resume: resume from the :class:`ExperienceCheckpoint`'s ``last.ckpt`` when it exists.
        ckpt_path: a checkpoint to resume from (takes precedence over ``resume``).
        validation_fraction: hold out this fraction of each training experience
            (:func:`forgetless.scenarios.hold_out`, seeded with ``seed``) as its validation data;
            when the scenario has a validation split and the module a ``validation_step``, every
            epoch validates on its experience's split.

    Returns:
        The Trainer's :class:`ContinualMetrics` callback (None if it has none).

    Raises:
        ValueError: ``trainer`` or ``module`` has the wrong type, a datamodule argument is
            invalid, the Trainer has an ``EarlyStopping`` but no :class:`ExperienceEarlyStop`
            (the stop would cut the stream), or the Trainer's ``max_epochs`` / ``reload_dataloaders_every_n_epochs`` do
            not fit the stream (the message names the setting).
        CheckpointError: the checkpoint to resume from is unreadable, not a full training
            checkpoint, or made on another stream or other weights (names the file).
    """
    if not isinstance(trainer, pl.Trainer):
        raise ValueError(
            f"trainer must be a pytorch_lightning.Trainer, got {type(trainer).__name__}"
        )
    if not isinstance(module, pl.LightningModule):
        raise ValueError(
            f"module must be a pytorch_lightning.LightningModule, got {type(module).__name__}"
        )
    _refuse_early_stopping(trainer, scenario)
    if validation_fraction:
        scenario = hold_out(scenario, validation_fraction, seed)
    datamodule = ContinualDataModule(
        scenario,
        validation=scenario.validation is not None
        and is_overridden("validation_step", module, pl.LightningModule),
        batch_size=batch_size,
        eval_batch_size=eval_batch_size,
        epochs_per_experience=epochs_per_experience,
        seed=seed,
        shuffle=shuffle,
    )
    if trainer.max_epochs != datamodule.total_epochs:
        raise ValueError(
            f"trainer: max_epochs is {trainer.max_epochs}, this stream needs "
            f"{datamodule.total_epochs} ({len(scenario)} experiences x {epochs_per_experience} "
            "epochs); build it with continual_trainer(scenario, epochs_per_experience=...)"
        )
    if trainer.reload_dataloaders_every_n_epochs != 1:
        raise ValueError(
            "trainer: reload_dataloaders_every_n_epochs must be 1 (each epoch asks for its "
            f"experience's loader), got {trainer.reload_dataloaders_every_n_epochs}"
        )
    checkpointer = _find(trainer, ExperienceCheckpoint)
    if ckpt_path is None and resume and checkpointer is not None:
        if checkpointer.last_path.is_file():
            ckpt_path = checkpointer.last_path
    if ckpt_path is not None:
        ckpt_path = Path(ckpt_path)
        checkpoint = read_checkpoint(ckpt_path)
        check_stream(ckpt_path, checkpoint, datamodule)
        check_model(ckpt_path, checkpoint, module)
        check_callbacks(ckpt_path, checkpoint, trainer.callbacks)
        if checkpointer is not None:
            checkpointer.resume_from = ckpt_path
    try:
        trainer.fit(
            module,
            datamodule=datamodule,
            ckpt_path=None if ckpt_path is None else str(ckpt_path),
            weights_only=True,
        )
    finally:
        if checkpointer is not None:
            checkpointer.resume_from = None
    metrics = _find(trainer, ContinualMetrics)
    if metrics is not None and trainer.is_global_zero:
        _warn_if_not_learned(trainer, module, scenario, metrics.summary().get("la"))
    return metrics


def _warn_if_not_learned(
    trainer: pl.Trainer, module: pl.LightningModule, scenario: Scenario, la: float | None
) -> None:
    """The "did not learn" warning of ``forgetless compare``, for a Lightning run."""
    threshold = learning_threshold([len(c) for c in scenario.classes])
    if la is None or la >= threshold:
        return
    made = [type(module).__name__]
    made += [
        f"{type(c).__name__}({getattr(c, 'rule_name', getattr(c, 'name', ''))!r})"
        for c in trainer.callbacks
        if type(c).__name__ in IDENTIFIED
    ]
    rank_zero_warn(
        f"warning: {' + '.join(made)} did not learn (LA {la:.3f} < {threshold:.2f}, halfway "
        "between chance and perfect). Its forgetting numbers are not a result. Train longer "
        "(epochs_per_experience), raise the learning rate, or keep the method's recipe "
        "(RuleCallback(..., recipe=True), docs/recipes.md)."
    )
