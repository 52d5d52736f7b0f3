"""The Avalanche door: forgetless inside Avalanche strategies (imports ``avalanche``, never Lightning).

Plugins (one per file), added to any strategy's ``plugins=[...]``:

- :class:`ActivationPlugin`: swap the model's activations before training.
- :class:`KeepOptimizerState`: keep the optimizer's state across experiences (Hard ASH's Adagrad).
- :class:`UpdateClip`: clip every parameter update to ``±c``.
- :class:`AccuracyMatrixPlugin`: record the accuracy matrix R (and the untrained baseline).

Strategies: :func:`build_cl_strategy` (naive, EWC, SI, LwF, replay by name),
:class:`RuleStrategy` (a backprop-free rule as an Avalanche strategy). :func:`to_avalanche` turns a forgetless
:class:`~forgetless.scenarios.Scenario` into an Avalanche benchmark holding the same data.

Private training (needs the ``[privacy]`` extra, Opacus) is imported on its own:
:class:`~forgetless.avalanche.privacy_plugin.PrivacyPlugin` and
:func:`~forgetless.avalanche.private_strategy.make_private_strategy`.
"""

from forgetless.avalanche import quiet_warnings as _quiet_warnings
from forgetless.avalanche.accuracy_matrix_plugin import AccuracyMatrixPlugin
from forgetless.avalanche.activation_plugin import ActivationPlugin
from forgetless.avalanche.benchmark import to_avalanche
from forgetless.avalanche.cl_strategies import build_cl_strategy, quiet_evaluator
from forgetless.avalanche.keep_optimizer_state import KeepOptimizerState
from forgetless.avalanche.rule_strategy import RuleStrategy
from forgetless.avalanche.update_clip import UpdateClip

_quiet_warnings.install()

__all__ = [
    "AccuracyMatrixPlugin",
    "ActivationPlugin",
    "KeepOptimizerState",
    "RuleStrategy",
    "UpdateClip",
    "build_cl_strategy",
    "quiet_evaluator",
    "to_avalanche",
]
