"""The forgetless app: the ``forgetless`` command line, its configs, and the comparison runner."""
