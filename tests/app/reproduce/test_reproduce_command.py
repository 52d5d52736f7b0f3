"""``forgetless reproduce``: listing, selection, exit codes, and reading values back, on small
entries whose commands print their numbers at once (no training)."""

from __future__ import annotations

import json
import sys

import pytest

from forgetless.app import cli
from forgetless.app.reproduce import command, entries
from forgetless.app.reproduce.entry import Entry, Value, row_values
from forgetless.app.reproduce.readers import cell_numbers, markdown_rows, read_values
from forgetless.app.reproduce.runner import command_line

TABLE = (
    "| Activation | Strategy | ACC | LA |\n|---|---|---|---|\n"
    "| relu | naive | 0.197 ± 0.010 | 0.981 (did not learn) |\n"
)


def printing(name: str, text: str, values: tuple[Value, ...], reader: str = "table") -> Entry:
    return Entry(
        name=name,
        checks="prints its numbers",
        source="README.md",
        command=("python", "-c", f"print({text!r})"),
        values=values,
        reader=reader,
        tolerance=1e-3,
        seconds=1,
        quick=True,
    )


GOOD = printing(
    "good",
    TABLE,
    (
        Value("relu/naive/ACC", 0.197),
        Value("relu/naive/ACC_std", 0.010),
        Value("relu/naive/LA", 0.9805),
    ),
)
BAD = printing("bad", "ratio = 0.5", (Value("ratio", 0.9, r"ratio = ([0-9.]+)"),), "pattern")


@pytest.fixture
def two_entries(monkeypatch):
    monkeypatch.setattr(command, "ENTRIES", (GOOD, BAD))


def test_list_names_every_entry_with_its_time_and_flag(capsys):
    assert cli.main(["reproduce", "--list"]) == 0
    out = capsys.readouterr().out
    for entry in entries.ENTRIES:
        assert f"{entry.name}  ~" in out
    assert "default_table  ~25 s  quick  60 values" in out
    assert "hard_ash_recipe  ~4 min  slow" in out


def test_an_unknown_name_exits_2_with_one_line_naming_it(capsys):
    assert cli.main(["reproduce", "default_table", "no_such_entry"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'no_such_entry'" in err


def test_nothing_to_run_exits_2(capsys):
    assert cli.main(["reproduce"]) == 2
    assert "--quick" in capsys.readouterr().err


def test_a_passing_entry_prints_recorded_and_measured(two_entries, capsys):
    assert cli.main(["reproduce", "good"]) == 0
    out = capsys.readouterr().out
    assert "relu/naive/ACC_std" in out and "measured    0.0100" in out
    assert "good: PASS (3 of 3 values within 0.001)" in out


def test_a_value_off_by_more_than_the_tolerance_fails_with_exit_1(two_entries, capsys):
    assert cli.main(["reproduce", "--quick"]) == 1
    out = capsys.readouterr().out
    assert "good: PASS" in out
    assert "|Δ| 0.4000  FAIL" in out and "FAIL: bad (1 of 2 entries)" in out


def test_a_command_that_fails_fails_its_entry(monkeypatch, capsys):
    broken = printing("broken", "", (Value("x", 1.0, "(x)"),), "pattern")
    broken = Entry(
        **{**broken.__dict__, "command": ("python", "-c", "raise SystemExit('no data')")}
    )
    monkeypatch.setattr(command, "ENTRIES", (broken,))
    assert cli.main(["reproduce", "broken"]) == 1
    assert "broken: FAIL (exit code 1: no data)" in capsys.readouterr().out


def test_a_value_not_in_the_output_is_a_fail_not_a_crash(monkeypatch, capsys):
    missing = printing("missing", TABLE, (Value("gelu/naive/ACC", 0.2),))
    monkeypatch.setattr(command, "ENTRIES", (missing,))
    assert cli.main(["reproduce", "missing"]) == 1
    assert "not found  FAIL" in capsys.readouterr().out


def test_table_cells_give_their_number_and_std_labels_give_none():
    assert cell_numbers("0.701 ± 0.002") == (0.701, 0.002)
    assert cell_numbers("0.684 (did not learn)") == (0.684,)
    assert cell_numbers("-0.171") == (-0.171,)
    assert cell_numbers("ash (α 3, z_k 2.3)") == ()
    assert cell_numbers("**0.719 ± 0.008**") == (0.719, 0.008)  # a bold (selected) row
    rows = markdown_rows("text\n" + TABLE + "after")
    assert rows[0]["#labels"].startswith("relu/naive/") and rows[0]["LA"].startswith("0.981")


def test_table_reader_reads_a_row_whose_activation_carries_the_paper_mark(tmp_path):
    printed = "| Activation | Strategy | LA |\n|---|---|---|\n| hard_ash† | lightning | 0.974 |\n"
    entry = printing("marked", printed, (Value("hard_ash/lightning/LA", 0.974),))
    assert read_values(entry, printed, tmp_path) == {"hard_ash/lightning/LA": 0.974}


def test_results_reader_averages_over_seeds_per_row(tmp_path):
    cells = [
        {"rule": "backprop", "activation": "relu", "strategy": "naive", "seed": s, "acc": a}
        for s, a in ((0, 0.2), (1, 0.4))
    ]
    (tmp_path / "results.json").write_text(json.dumps({"cells": cells}))
    entry = Entry(
        name="r",
        checks="",
        source="README.md",
        command=("forgetless", "compare"),
        values=(
            Value("relu/naive/acc", 0.3),
            Value("backprop/relu/naive/acc_std", 0.1414),
            Value("elephant/naive/acc", 0.3),
        ),
        reader="results",
        tolerance=1e-3,
        seconds=1,
        quick=True,
    )
    got = read_values(entry, "", tmp_path)
    assert got["relu/naive/acc"] == pytest.approx(0.3)
    assert got["backprop/relu/naive/acc_std"] == pytest.approx(0.1414, abs=1e-4)
    assert got["elephant/naive/acc"] is None
    assert read_values(entry, "", tmp_path / "absent") == dict.fromkeys(got)


def test_results_reader_tells_heads_and_reference_rows_apart(tmp_path):
    def cell(activation, strategy, head, acc, rule="backprop"):
        names = {"rule": rule, "activation": activation, "strategy": strategy}
        return {**names, "head": head, "seed": 0, "acc": acc}

    cells = [
        cell("relu", "naive", "none", 0.459),
        cell("relu", "naive", "slda", 0.744),
        cell("relu", "joint", "none", 0.892),
        *(
            cell("reference", "reference", head, acc, rule="reference")
            for head, acc in (("slda_pixels", 0.866), ("ncm_pixels", 0.802))
        ),
    ]
    (tmp_path / "results.json").write_text(json.dumps({"cells": cells}))
    keys = ("relu/naive", "relu/naive/slda", "relu/joint", "reference/slda_pixels")
    keys += ("reference/ncm_pixels", "reference/ncm_random", "relu/naive/ncm")
    entry = Entry(
        name="r",
        checks="",
        source="README.md",
        command=("forgetless", "compare"),
        values=tuple(Value(f"{key}/acc", 0.5) for key in keys),
        reader="results",
        tolerance=1e-3,
        seconds=1,
        quick=True,
    )
    got = read_values(entry, "", tmp_path)
    assert list(got.values()) == [0.459, 0.744, 0.892, 0.866, 0.802, None, None]


def test_a_compare_entry_writes_into_the_given_folder_only(tmp_path):
    argv = command_line(entries.DEFAULT_TABLE, tmp_path, tmp_path)
    assert argv[:3] == [sys.executable, "-m", "forgetless"]
    assert argv[-3:] == [f"output_dir={tmp_path}", "run_name=default_table", "progress=false"]


def test_entries_are_well_formed():
    names = [e.name for e in entries.ENTRIES]
    assert len(names) == len(set(names))
    for entry in entries.ENTRIES:
        keys = [v.key for v in entry.values]
        assert len(keys) == len(set(keys)), entry.name
        assert not (entry.quick and entry.needs), f"{entry.name}: a quick entry needs nothing"
        if entry.reader == "pattern":
            assert all(v.pattern for v in entry.values), entry.name
    with pytest.raises(ValueError, match="reader must be one of"):
        Entry("x", "", "README.md", ("python",), (Value("a", 1.0),), "csv", 0.1, 1, True)
    with pytest.raises(ValueError, match="expected 2 labels and 1 numbers"):
        row_values(("acc",), [("relu", 0.1)])


def test_quick_runs_no_timing_entry_and_a_quick_timing_entry_is_refused():
    quick = command.select([], quick=True)
    assert quick and not [e.name for e in quick if e.timing]
    assert "overhead" in [e.name for e in command.select(["overhead"], quick=False)]
    with pytest.raises(ValueError, match="a timing entry cannot be quick"):
        Entry("t", "", "README.md", ("python",), (Value("a", 1.0),), "pattern", 0.1, 1, True, True)


def test_listing_the_entries_loads_no_torch():
    from fresh_interpreter import packages_loaded_after

    statement = "from forgetless.app import cli\ncli.main(['reproduce', '--list'])"
    assert packages_loaded_after(statement, ("torch", "omegaconf")) == []
