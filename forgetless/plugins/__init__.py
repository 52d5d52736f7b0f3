"""Old home of the two doors; see :mod:`forgetless.avalanche` and :mod:`forgetless.lightning`.

``forgetless.plugins.avalanche`` and ``forgetless.plugins.lightning`` still import, with a
DeprecationWarning, for one release.
"""
