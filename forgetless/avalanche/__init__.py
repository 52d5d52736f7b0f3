"""The Avalanche door: forgetless inside Avalanche strategies (imports ``avalanche``, never Lightning).

Plugins (one per file), added to any strategy's ``plugins=[...]``:

- :class:`ActivationPlugin`: swap the model's activations before training.
- :class:`KeepOptimizerState`: keep the optimizer's state across experiences (Hard ASH's Adagrad).
- :class:`UpdateClip`: clip every parameter update to ``±c``.
- :class:`AccuracyMatrixPlugin`: record the accuracy matrix R (and the untrained baseline).
- :class:`ContinualBackpropPlugin`, :class:`ReDoPlugin`, :class:`ShrinkPerturbPlugin`: the
  plasticity interventions; :class:`PlasticityMonitorPlugin`: the plasticity monitors
  (:mod:`forgetless.plasticity`).
- :class:`StreamingAccuracyPlugin`: prequential (test-then-train) and anytime accuracy.
- :class:`TaskMaskPlugin`: mask the logits to each sample's task classes (task-incremental).

Logging through Avalanche's ``EvaluationPlugin`` and loggers, with the names and step axis the
Lightning door uses (:mod:`forgetless.metrics.logged`): :class:`ContinualScalars` (a
``PluginMetric``), :func:`continual_evaluator` (an ``EvaluationPlugin`` holding it),
:class:`CSVScalarLogger` (any scalar to one CSV) and :class:`WandBScalarLogger` (Avalanche's
W&B logger working with current wandb).

Strategies: :func:`build_cl_strategy` (naive, EWC, SI, LwF, replay by name),
:class:`RuleStrategy` (a backprop-free rule as an Avalanche strategy). :func:`to_avalanche` turns a forgetless
:class:`~forgetless.scenarios.Scenario` into an Avalanche benchmark holding the same data.

Private training (needs the ``[privacy]`` extra, Opacus) is imported on its own:
:class:`~forgetless.avalanche.privacy_plugin.PrivacyPlugin` and
:func:`~forgetless.avalanche.private_strategy.make_private_strategy`.
"""

from forgetless.avalanche import quiet_warnings  # noqa: F401  (first: filters before Avalanche loads)
from forgetless.avalanche.accuracy_matrix_plugin import AccuracyMatrixPlugin
from forgetless.avalanche.activation_plugin import ActivationPlugin
from forgetless.avalanche.benchmark import to_avalanche
from forgetless.avalanche.cl_strategies import build_cl_strategy, quiet_evaluator
from forgetless.avalanche.continual_logging import ContinualScalars, continual_evaluator
from forgetless.avalanche.csv_scalar_logger import CSVScalarLogger
from forgetless.avalanche.keep_optimizer_state import KeepOptimizerState
from forgetless.avalanche.plasticity_plugins import (
    ContinualBackpropPlugin,
    PlasticityMonitorPlugin,
    ReDoPlugin,
    ShrinkPerturbPlugin,
)
from forgetless.avalanche.rule_strategy import RuleStrategy
from forgetless.avalanche.streaming_accuracy_plugin import StreamingAccuracyPlugin
from forgetless.avalanche.task_mask_plugin import TaskMaskPlugin, task_mask_plugins
from forgetless.avalanche.update_clip import UpdateClip
from forgetless.avalanche.wandb_scalar_logger import WandBScalarLogger

__all__ = [
    "AccuracyMatrixPlugin",
    "ActivationPlugin",
    "CSVScalarLogger",
    "ContinualBackpropPlugin",
    "ContinualScalars",
    "KeepOptimizerState",
    "PlasticityMonitorPlugin",
    "ReDoPlugin",
    "RuleStrategy",
    "ShrinkPerturbPlugin",
    "StreamingAccuracyPlugin",
    "TaskMaskPlugin",
    "UpdateClip",
    "WandBScalarLogger",
    "build_cl_strategy",
    "continual_evaluator",
    "quiet_evaluator",
    "task_mask_plugins",
    "to_avalanche",
]
