"""Moved to :mod:`forgetless.lightning.datamodule`; this path works for one release, with a DeprecationWarning."""

from forgetless._deprecated import moved

moved(__name__, "forgetless.lightning.datamodule")

from forgetless.lightning.datamodule import *  # noqa: E402,F401,F403
