"""CI's share of ``forgetless reproduce --quick``: the default table (10 cells, embedded
Split-MNIST, seed 0) must give its 60 recorded numbers again. Accuracy on fixed seeds is
deterministic on CPU, so this is a regression test of every default cell, not a timed one. The
reference rows are left out here (``references.joint=false references.heads=[]``: cells of their
own, not among the 60 values, and most of the entry's time); the other quick entries
(docs/reproduce.md) take minutes and run on demand."""

from __future__ import annotations

from dataclasses import replace

from forgetless.app import cli
from forgetless.app.reproduce import command
from forgetless.app.reproduce.entries.comparisons import DEFAULT_TABLE

WITHOUT_REFERENCES = ("references.joint=false", "references.heads=[]")


def test_the_default_table_reproduces(monkeypatch, capsys):
    cells_only = replace(DEFAULT_TABLE, command=(*DEFAULT_TABLE.command, *WITHOUT_REFERENCES))
    monkeypatch.setattr(command, "ENTRIES", (cells_only,))
    assert cli.main(["reproduce", "default_table"]) == 0
    out = capsys.readouterr().out
    assert "default_table: PASS (60 of 60 values within 0.001)" in out
    assert "PASS: all 1 entries" in out
