"""Moved to :mod:`forgetless.app.run.scenario_builder`; this path works for one release, with a DeprecationWarning."""

from forgetless._deprecated import moved

moved(__name__, "forgetless.app.run.scenario_builder")

from forgetless.app.run.scenario_builder import *  # noqa: E402,F401,F403
