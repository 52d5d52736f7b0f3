"""Things you add to someone else's training loop.

- :mod:`forgetless.plugins.avalanche`: Avalanche ``SupervisedPlugin`` s (import avalanche).
- :mod:`forgetless.plugins.lightning`: Lightning callbacks (import pytorch_lightning).

Each framework is imported only by its own subpackage.
"""
