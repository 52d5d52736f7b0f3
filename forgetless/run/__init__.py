"""Moved to :mod:`forgetless.app.run`; this path works for one release, with a DeprecationWarning."""

from forgetless._deprecated import moved

moved(__name__, "forgetless.app.run")

from forgetless.app.run import *  # noqa: E402,F401,F403
