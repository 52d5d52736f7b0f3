"""Moved to :mod:`forgetless.lightning.continual_loop`; this path works for one release, with a DeprecationWarning."""

from forgetless._deprecated import moved

moved(__name__, "forgetless.lightning.continual_loop")

from forgetless.lightning.continual_loop import *  # noqa: E402,F401,F403
