"""CI's share of ``forgetless reproduce --quick``: the default table (10 cells, embedded
Split-MNIST, seed 0; about 25 s on 2 cores) must give its 60 recorded numbers again. Accuracy on
fixed seeds is deterministic on CPU, so this is a regression test of every default cell, not a
timed one. The other quick entries (docs/reproduce.md) take minutes and run on demand."""

from __future__ import annotations

from forgetless.app import cli


def test_the_default_table_reproduces(capsys):
    assert cli.main(["reproduce", "default_table"]) == 0
    out = capsys.readouterr().out
    assert "default_table: PASS (60 of 60 values within 0.001)" in out
    assert "PASS: all 1 entries" in out
