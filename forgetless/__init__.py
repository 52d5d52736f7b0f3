"""forgetless: sparse and adaptive activations and backprop-free training rules for continual learning.

The core (activations, kernels, rules, scenarios, metrics) is plain PyTorch; the Lightning and
Avalanche doors live in :mod:`forgetless.plugins` and :mod:`forgetless.strategies`.
"""

__version__ = "0.1.0"

import warnings as _warnings

# Avalanche imports qpsolvers, which warns on every import that no QP solver is installed; only
# GEM-style strategies need one, and forgetless uses none of them.
_warnings.filterwarnings("ignore", message="no QP solver found", category=UserWarning)
