"""forgetless: sparse and adaptive activations and backprop-free training rules for continual learning.

One core and two sealed doors (see ``docs/architecture.md``):

- the core, plain PyTorch: :mod:`forgetless.activations`, :mod:`forgetless.kernels`,
  :mod:`forgetless.rules`, :mod:`forgetless.scenarios`, :mod:`forgetless.metrics`,
  :mod:`forgetless.models`, :mod:`forgetless.privacy`, :mod:`forgetless.report`;
- the Avalanche door :mod:`forgetless.avalanche` and the Lightning door :mod:`forgetless.lightning`,
  each importing only its own framework;
- the app :mod:`forgetless.app` (the ``forgetless`` command, its configs, the comparison runner).
"""

__version__ = "0.2.0"
