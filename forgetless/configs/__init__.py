"""Moved to :mod:`forgetless.app.configs`; this path works for one release, with a DeprecationWarning."""

from forgetless._deprecated import moved

moved(__name__, "forgetless.app.configs")

from forgetless.app.configs import *  # noqa: E402,F401,F403
