"""Moved to :mod:`forgetless.app.run.compare`; this path works for one release, with a DeprecationWarning."""

from forgetless._deprecated import moved

moved(__name__, "forgetless.app.run.compare")

from forgetless.app.run.compare import *  # noqa: E402,F401,F403
