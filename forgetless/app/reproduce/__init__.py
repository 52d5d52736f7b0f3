"""``forgetless reproduce``: every number README.md and docs/ state, as an entry (a command, its
recorded values, a tolerance, the expected time) that can be run again and checked.

:mod:`~forgetless.app.reproduce.entries` holds the entries (the one place the docs' numbers come
from), :mod:`~forgetless.app.reproduce.runner` runs one in a temporary folder,
:mod:`~forgetless.app.reproduce.command` is the subcommand. docs/reproduce.md: how to use and
extend it.
"""
