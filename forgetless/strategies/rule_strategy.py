"""Moved to :mod:`forgetless.avalanche.rule_strategy`; this path works for one release, with a DeprecationWarning."""

from forgetless._deprecated import moved

moved(__name__, "forgetless.avalanche.rule_strategy")

from forgetless.avalanche.rule_strategy import *  # noqa: E402,F401,F403
