"""Lightning callbacks: the Lightning door into the forgetless core (imports ``pytorch_lightning``).

- :class:`ActivationSwap`: swap the module's activations (``nn.ReLU`` → elephant, Hard ASH, ...).
- :class:`RuleCallback`: train the module's network with Forward-Forward, Mono-Forward or NoProp.
- :class:`ContinualMetrics`: the accuracy matrix of a continual run, ACC/BWT/FWT/forgetting logged.
- :class:`ExperienceCheckpoint`: a checkpoint after every experience (resume).
- :class:`EpochSeed`: reseed every epoch, so a resumed run replays the same random numbers.
- :class:`SparsityMonitor`: per layer, the fraction of (near-)zero activations and gradients.

The continual loop itself is in :mod:`forgetless.strategies.lightning_continual`.
"""

from forgetless.plugins.lightning.activation_swap import ActivationSwap
from forgetless.plugins.lightning.continual_metrics import ContinualMetrics
from forgetless.plugins.lightning.epoch_seed import EpochSeed
from forgetless.plugins.lightning.experience_checkpoint import ExperienceCheckpoint
from forgetless.plugins.lightning.rule_callback import RuleCallback
from forgetless.plugins.lightning.sparsity_monitor import SparsityMonitor

__all__ = [
    "ActivationSwap",
    "ContinualMetrics",
    "EpochSeed",
    "ExperienceCheckpoint",
    "RuleCallback",
    "SparsityMonitor",
]
