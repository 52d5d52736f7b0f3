"""The Lightning door: forgetless inside a ``pl.Trainer`` (imports ``pytorch_lightning``, never Avalanche).

Callbacks (one per file):

- :class:`ActivationSwap`: swap the module's activations (``nn.ReLU`` → elephant, Hard ASH, ...).
- :class:`RuleCallback`: train the module's network with Forward-Forward, Mono-Forward or NoProp.
- :class:`ContinualMetrics`: the accuracy matrix of a continual run, ACC/BWT/FWT/forgetting logged.
- :class:`ExperienceCheckpoint`: a checkpoint after every experience (resume).
- :class:`ExperienceEarlyStop`: an ``EarlyStopping`` stop ends the experience, not the stream.
- :class:`EpochSeed`: reseed every epoch, so a resumed run replays the same random numbers.
- :class:`SparsityMonitor`: per layer, the fraction of (near-)zero activations and gradients.
- :class:`PrivateTraining`: DP-SGD through Opacus (:mod:`.private_training`).
- :class:`ContinualBackpropCallback`, :class:`ReDoCallback`, :class:`ShrinkPerturbCallback`,
  :class:`PlasticityMonitorCallback`: plasticity interventions and monitors
  (:mod:`.plasticity_callbacks`, math in :mod:`forgetless.plasticity`).

The continual loop: :func:`continual_trainer` and :func:`fit_continual` (:mod:`.continual_loop`)
over a :class:`ContinualDataModule` (:mod:`.datamodule`), checkpoints checked by
:mod:`.checkpoint_files`.
"""

from forgetless.lightning.activation_swap import ActivationSwap
from forgetless.lightning.checkpoint_files import CheckpointError
from forgetless.lightning.continual_loop import continual_trainer, fit_continual
from forgetless.lightning.continual_metrics import ContinualMetrics
from forgetless.lightning.datamodule import ContinualDataModule
from forgetless.lightning.epoch_seed import EpochSeed
from forgetless.lightning.experience_checkpoint import ExperienceCheckpoint
from forgetless.lightning.experience_early_stop import ExperienceEarlyStop
from forgetless.lightning.plasticity_callbacks import (
    ContinualBackpropCallback,
    PlasticityMonitorCallback,
    ReDoCallback,
    ShrinkPerturbCallback,
)
from forgetless.lightning.rule_callback import RuleCallback
from forgetless.lightning.sparsity_monitor import SparsityMonitor

__all__ = [
    "ActivationSwap",
    "CheckpointError",
    "ContinualBackpropCallback",
    "ContinualDataModule",
    "ContinualMetrics",
    "EpochSeed",
    "ExperienceCheckpoint",
    "ExperienceEarlyStop",
    "PlasticityMonitorCallback",
    "ReDoCallback",
    "RuleCallback",
    "ShrinkPerturbCallback",
    "SparsityMonitor",
    "continual_trainer",
    "fit_continual",
]
