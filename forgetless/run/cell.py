"""Moved to :mod:`forgetless.app.run.cell`; this path works for one release, with a DeprecationWarning."""

from forgetless._deprecated import moved

moved(__name__, "forgetless.app.run.cell")

from forgetless.app.run.cell import *  # noqa: E402,F401,F403
