"""Moved to :mod:`forgetless.lightning`; this path works for one release, with a DeprecationWarning."""

from forgetless._deprecated import moved

moved(__name__, "forgetless.lightning")

from forgetless.lightning import *  # noqa: E402,F401,F403
