"""Moved to :mod:`forgetless.app.cli`; this path works for one release, with a DeprecationWarning."""

from forgetless._deprecated import moved

moved(__name__, "forgetless.app.cli")

from forgetless.app.cli import *  # noqa: E402,F401,F403
