"""Moved to :mod:`forgetless.avalanche.private_strategy`; this path works for one release, with a DeprecationWarning."""

from forgetless._deprecated import moved

moved(__name__, "forgetless.avalanche.private_strategy")

from forgetless.avalanche.private_strategy import *  # noqa: E402,F401,F403
