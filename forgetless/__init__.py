"""forgetless: sparse and adaptive activations and backprop-free training rules for continual learning.

The core (activations, kernels, rules, scenarios, metrics) is plain PyTorch; the Lightning and
Avalanche doors live in :mod:`forgetless.plugins` and :mod:`forgetless.strategies`.
"""

__version__ = "0.1.0"
