"""Run folders are unique without run_name; the sweep's options fail in one line before anything
is written; a --grid over scenario.validation_fraction is applied (or refused when out of range)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from forgetless.app.cli import main
from forgetless.app.configs import ConfigError
from forgetless.app.run import run_folder
from forgetless.app.run.sweep import SweepSpec, plan, point_config

BASE = ("scenario.n_experiences=2", "model.hidden=[8]", "strategies=[naive]", "activations=[relu]")


class _Frozen(datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(2026, 1, 2, 3, 4, 5)


def test_runs_started_in_the_same_second_get_distinct_folders(tmp_path, monkeypatch):
    monkeypatch.setattr(run_folder, "datetime", _Frozen)
    made = [run_folder.create_run_folder(str(tmp_path), None, "p") for _ in range(3)]
    assert [p.name for p in made] == [
        "20260102-030405-p",
        "20260102-030405-p-2",
        "20260102-030405-p-3",
    ]
    assert all(p.is_dir() and not any(p.iterdir()) for p in made)


def test_huge_select_seed_names_the_option_and_leaves_no_folder(tmp_path, capsys):
    args = ["sweep", *BASE, f"output_dir={tmp_path}", "run_name=s", "--grid", "optimizer.lr=[0.1]"]
    assert main([*args, "--select-seeds", "99999999999999999999"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("forgetless: error: --select-seeds: seeds: expected") and "\n" not in err
    assert not (tmp_path / "s").exists()


def test_a_non_integer_option_value_is_one_line(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["sweep", "--grid", "optimizer.lr=[0.1]", "--random", "abc"])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "--random: invalid int value: 'abc'" in err and "\n" not in err
    assert not err.startswith("usage")


def test_grid_over_validation_fraction_is_applied(tmp_path):
    spec = SweepSpec(BASE, ("scenario.validation_fraction=[0.2,0.3]",))
    _, chosen, held = plan(spec)
    configs = [point_config(spec, o, held, Path(tmp_path), "p") for o in chosen]
    assert [c.scenario.validation_fraction for c in configs] == [0.2, 0.3]
    assert all(c.scenario.evaluate_on == "validation" for c in configs)


def test_grid_over_validation_fraction_out_of_range_is_refused():
    with pytest.raises(ConfigError, match=r"^--grid scenario.validation_fraction: expected .*0.6"):
        plan(SweepSpec(BASE, ("scenario.validation_fraction=[0.6]",)))
