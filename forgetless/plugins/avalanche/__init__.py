"""Moved to :mod:`forgetless.avalanche`; this path works for one release, with a DeprecationWarning."""

from forgetless._deprecated import moved

moved(__name__, "forgetless.avalanche")

from forgetless.avalanche import *  # noqa: E402,F401,F403
