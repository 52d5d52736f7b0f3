"""Avalanche's own deprecation notices are dropped from a cell; other warnings still come out."""

from __future__ import annotations

import importlib.util
import warnings

import pytest

from forgetless.avalanche.quiet_warnings import avalanche_deprecations_hidden


def _module_inside_avalanche(tmp_path):
    """A module whose file lies in an ``avalanche`` folder, calling a function marked with
    Avalanche's own ``deprecated`` (which resets the warning filters to "once" itself)."""
    folder = tmp_path / "avalanche"
    folder.mkdir()
    source = folder / "caller.py"
    source.write_text(
        "from avalanche._annotations import deprecated\n"
        "@deprecated(0.7, 'switch to pre_adapt')\n"
        "def update():\n"
        "    return 1\n"
        "def call():\n"
        "    return update()\n"
    )
    spec = importlib.util.spec_from_file_location("fake_avalanche_caller", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_avalanche_deprecations_are_dropped_and_other_warnings_reissued(tmp_path):
    module = _module_inside_avalanche(tmp_path)
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        with avalanche_deprecations_hidden():
            module.call()
            warnings.warn("a user's own warning", UserWarning, stacklevel=1)
    assert [str(w.message) for w in shown] == ["a user's own warning"]
    with pytest.warns(DeprecationWarning, match="Call to deprecated function update"):
        module.call()  # outside the block it still warns
