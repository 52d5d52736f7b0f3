"""Moved to :mod:`forgetless.avalanche.cl_strategies`; this path works for one release, with a DeprecationWarning."""

from forgetless._deprecated import moved

moved(__name__, "forgetless.avalanche.cl_strategies")

from forgetless.avalanche.cl_strategies import *  # noqa: E402,F401,F403
