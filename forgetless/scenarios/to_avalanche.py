"""Moved to :mod:`forgetless.avalanche.benchmark`; this path works for one release, with a DeprecationWarning."""

from forgetless._deprecated import moved

moved(__name__, "forgetless.avalanche.benchmark")

from forgetless.avalanche.benchmark import *  # noqa: E402,F401,F403
