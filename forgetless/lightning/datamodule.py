"""A forgetless scenario as a Lightning ``LightningDataModule``: ``ContinualDataModule``.

One ``trainer.fit`` trains the whole stream: epoch ``e`` trains on experience
``e // epochs_per_experience``. ``train_dataloader`` is asked again every epoch
(``Trainer(reload_dataloaders_every_n_epochs=1)``, which :func:`continual_trainer` sets), so the
loop's epoch counter, saved in every Lightning checkpoint, is also the position in the stream.

Training is sharded over the processes by this module (a ``DistributedSampler`` with explicit
replicas and rank, each rank taking ``batch_size / W`` of the global batch); evaluation shards are
never padded. Design decisions: docs/lightning.md#datamodule.
"""

from __future__ import annotations

from typing import Any

import pytorch_lightning as pl
from torch.utils.data import DataLoader, DistributedSampler, Subset

from forgetless.checks import positive_int
from forgetless.scenarios import Scenario

_OWNER = "ContinualDataModule"


class ContinualDataModule(pl.LightningDataModule):
    """Serve ``scenario`` experience by experience to one ``trainer.fit``.

    Args:
        scenario: a forgetless :class:`~forgetless.scenarios.Scenario`.
        batch_size: the global training batch (split evenly over the processes).
        eval_batch_size: the per-process evaluation batch.
        epochs_per_experience: epochs spent on each experience.
        seed: seeds the per-epoch shuffling.
        shuffle: reshuffle each experience every epoch (else keep the scenario's order).
        validation: serve ``val_dataloader``: each epoch, the validation split of its
            experience (``scenario.validation``, see
            :func:`forgetless.scenarios.validation.hold_out`), so a validation metric logged by
            ``validation_step`` is there for ``ModelCheckpoint`` / ``ReduceLROnPlateau``.

    Raises:
        ValueError: ``scenario`` is not a Scenario or has no experiences; a batch size or
            ``epochs_per_experience`` is not a positive int; ``seed`` is not an int;
            ``batch_size`` is not divisible by the number of processes (when the training
            loader is built); a checkpoint's stream record differs from this stream's;
            ``validation=True`` on a scenario without a validation split.
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        batch_size: int = 64,
        eval_batch_size: int = 256,
        epochs_per_experience: int = 1,
        seed: int = 0,
        shuffle: bool = True,
        validation: bool = False,
    ) -> None:
        super().__init__()
        if not isinstance(scenario, Scenario):
            raise ValueError(
                f"ContinualDataModule: scenario must be a forgetless Scenario, got "
                f"{type(scenario).__name__}"
            )
        if len(scenario) < 1:
            raise ValueError("ContinualDataModule: scenario has no experiences")
        self.scenario = scenario
        self.batch_size = positive_int(_OWNER, "batch_size", batch_size)
        self.eval_batch_size = positive_int(_OWNER, "eval_batch_size", eval_batch_size)
        self.epochs_per_experience = positive_int(
            _OWNER, "epochs_per_experience", epochs_per_experience
        )
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise ValueError(f"ContinualDataModule: seed must be an int, got {seed!r}")
        self.seed = seed
        self.shuffle = bool(shuffle)
        if validation:
            if scenario.validation is None:
                raise ValueError(
                    "ContinualDataModule: validation=True needs a scenario with a validation "
                    "split (fit_continual(..., validation_fraction=0.1) or hold_out)"
                )
            # An instance attribute: Lightning runs its validation loop only when the
            # datamodule overrides val_dataloader (and warns when no validation_step uses it).
            self.val_dataloader = self._validation_loader

    @property
    def num_experiences(self) -> int:
        return len(self.scenario)

    @property
    def total_epochs(self) -> int:
        """The ``max_epochs`` of a Trainer that trains the whole stream."""
        return self.num_experiences * self.epochs_per_experience

    def experience_of_epoch(self, epoch: int) -> int:
        """The experience trained in (0-based) ``epoch``."""
        return min(epoch // self.epochs_per_experience, self.num_experiences - 1)

    def ends_experience(self, epoch: int) -> bool:
        """True when ``epoch`` is the last epoch of its experience."""
        return (epoch + 1) % self.epochs_per_experience == 0

    def _world(self) -> tuple[int, int]:
        trainer = self.trainer
        if trainer is None:
            return 1, 0
        return trainer.world_size, trainer.global_rank

    def train_dataloader(self) -> DataLoader:
        world, rank = self._world()
        if self.batch_size % world:
            raise ValueError(
                f"ContinualDataModule: batch_size {self.batch_size} is not divisible by the "
                f"{world} processes; pass a multiple of {world}"
            )
        epoch = self.trainer.current_epoch if self.trainer is not None else 0
        dataset = self.scenario.train[self.experience_of_epoch(epoch)]
        sampler = DistributedSampler(
            dataset, num_replicas=world, rank=rank, shuffle=self.shuffle, seed=self.seed
        )
        sampler.set_epoch(epoch)
        return DataLoader(dataset, batch_size=self.batch_size // world, sampler=sampler)

    def _validation_loader(self) -> DataLoader:
        """The validation split of this epoch's experience (Lightning shards it under DDP)."""
        epoch = self.trainer.current_epoch if self.trainer is not None else 0
        dataset = self.scenario.validation[self.experience_of_epoch(epoch)]
        return DataLoader(dataset, batch_size=self.eval_batch_size, shuffle=False)

    def eval_loader(self, experience: int) -> DataLoader:
        """This process's unpadded shard of test experience ``experience``.

        Raises:
            ValueError: ``experience`` is not an index of the stream.
        """
        if not isinstance(experience, int) or not 0 <= experience < self.num_experiences:
            raise ValueError(
                f"ContinualDataModule: experience must be in 0..{self.num_experiences - 1}, "
                f"got {experience!r}"
            )
        world, rank = self._world()
        dataset = self.scenario.test[experience]
        shard = Subset(dataset, range(rank, len(dataset), world))
        return DataLoader(shard, batch_size=self.eval_batch_size, shuffle=False)

    def stream_record(self) -> dict[str, Any]:
        """What identifies this stream; a checkpoint made on another stream is refused."""
        return {
            "scenario": self.scenario.name,
            "num_experiences": self.num_experiences,
            "classes": [list(c) for c in self.scenario.classes],
            "train_sizes": [len(d) for d in self.scenario.train],
            "test_sizes": [len(d) for d in self.scenario.test],
            "batch_size": self.batch_size,
            "epochs_per_experience": self.epochs_per_experience,
            "seed": self.seed,
            "shuffle": self.shuffle,
        }

    def state_dict(self) -> dict[str, Any]:
        module = self.trainer.lightning_module if self.trainer is not None else None
        model = {} if module is None else {"model": type(module).__qualname__}
        return {**self.stream_record(), **model}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        mismatch = stream_mismatch(state_dict, self.stream_record())
        if mismatch:
            where = self.trainer.ckpt_path if self.trainer is not None else "checkpoint"
            raise ValueError(f"{where}: {mismatch}")


def stream_mismatch(saved: dict[str, Any], current: dict[str, Any]) -> str | None:
    """A sentence naming the first field where ``saved`` differs from ``current``, else None.

    Args:
        saved: the stream record stored in a checkpoint.
        current: this run's :meth:`ContinualDataModule.stream_record`.
    """
    for key, value in current.items():
        if key not in saved:
            return f"the checkpoint has no {key!r} in its stream record"
        if saved[key] != value:
            return f"{key} is {saved[key]!r} in the checkpoint but {value!r} in this run"
    return None


def continual_datamodule(trainer: pl.Trainer, owner: str) -> ContinualDataModule:
    """``trainer.datamodule`` if it is a ContinualDataModule.

    Args:
        trainer: the running Trainer.
        owner: the callback's name, for the message.

    Raises:
        ValueError: the Trainer's datamodule is not a :class:`ContinualDataModule`.
    """
    datamodule = trainer.datamodule
    if not isinstance(datamodule, ContinualDataModule):
        raise ValueError(
            f"{owner}: needs trainer.fit(module, datamodule=ContinualDataModule(scenario)) (or "
            f"fit_continual), got datamodule={type(datamodule).__name__}"
        )
    return datamodule
