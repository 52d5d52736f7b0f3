"""The in-process run of the small grid, the reference the launcher and resume tests compare to."""

import pytest
from grid_helpers import run


@pytest.fixture(scope="session")
def in_process(tmp_path_factory):
    """:data:`grid_helpers.GRID` with launcher.jobs=1: every cell in this process."""
    return run(tmp_path_factory.mktemp("runs"), "one")
