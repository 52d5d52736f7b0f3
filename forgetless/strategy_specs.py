"""The classic continual-learning strategies as plain data: names, defaults, what each allows.

No framework is imported here: the Avalanche door builds the strategies from these defaults
(:func:`forgetless.avalanche.build_cl_strategy`), and the app validates a config against them
without loading Avalanche.

Defaults (used when a config does not override them), chosen for Split-MNIST-sized runs:

- ``naive``: fine-tuning, no protection against forgetting (the lower bound).
- ``ewc``: Elastic Weight Consolidation, ``ewc_lambda=1000`` ("Overcoming catastrophic forgetting
  in neural networks", Kirkpatrick et al., 2017), ``mode="separate"``.
- ``si``: Synaptic Intelligence, ``si_lambda=1.0`` ("Continual Learning Through Synaptic
  Intelligence", Zenke et al., 2017).
- ``lwf``: Learning without Forgetting, ``alpha=1.0``, ``temperature=2.0`` (Li & Hoiem, 2017).
- ``replay``: experience replay with a class-balanced-by-experience buffer, ``mem_size=200``.
"""

from __future__ import annotations

from typing import Any

STRATEGY_DEFAULTS: dict[str, dict[str, Any]] = {
    "naive": {},
    "ewc": {"ewc_lambda": 1000.0, "mode": "separate"},
    "si": {"si_lambda": 1.0},
    "lwf": {"alpha": 1.0, "temperature": 2.0},
    "replay": {"mem_size": 200},
}

# Strategies that DP-SGD supports (see forgetless.avalanche.privacy_plugin for why).
PRIVATE_STRATEGIES = ("naive",)

# Strategies that use no task-boundary signal, so they are meaningful in streaming mode.
STREAMING_STRATEGIES = ("naive",)

# Strategies that act by adding a penalty to the backprop loss; a local rule's update ignores them.
LOSS_PENALTY_STRATEGIES = ("ewc", "si", "lwf")
