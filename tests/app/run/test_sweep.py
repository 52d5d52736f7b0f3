"""``forgetless sweep`` end to end on a tiny grid (issue 18): points measured on the validation
split, a table ranked by validation ACC, test numbers for the selected row only, a compare
command that reproduces them, and a second run of the same sweep that reuses what is done."""

from __future__ import annotations

import json
import shlex

import pytest

from forgetless.app.cli import main
from forgetless.app.run.sweep import SweepSpec, run_sweep

BASE = (
    "scenario.n_experiences=2",
    "model.hidden=[8]",
    "train.batch_size=64",
    "progress=false",
    "strategies=[naive]",
    "activations=[relu,elephant]",
    "scenario.validation_fraction=0.2",
)


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweeps")
    spec = SweepSpec(
        (*BASE, f"output_dir={out}", "run_name=tiny"),
        ("optimizer.lr=[0.002,0.05]",),
        select_seeds=(0,),
        seeds=(0, 1),
    )
    folder = run_sweep(spec, echo=lambda _: None)
    return spec, folder, json.loads((folder / "sweep.json").read_text())


def test_table_is_ranked_by_validation_acc(sweep):
    _, folder, summary = sweep
    rows = summary["rows"]
    assert len(rows) == 2 * 2  # two points x two activations
    accs = [r["validation"]["acc"][0] for r in rows]
    assert accs == sorted(accs, reverse=True)
    assert {(r["activation"], r["overrides"][0]) for r in rows} == {
        (a, f"optimizer.lr={lr}") for a in ("relu", "elephant") for lr in (0.002, 0.05)
    }
    assert all(r["validation"]["la"][0] is not None for r in rows)
    table = (folder / "sweep.md").read_text()
    assert "VALIDATION ACC" in table and table.count("| optimizer.lr=") == 4


def test_points_ran_on_validation_with_the_selection_seeds(sweep):
    _, folder, summary = sweep
    for point in sorted((folder / "points").iterdir()):
        results = json.loads((point / "results.json").read_text())
        assert results["evaluated_on"] == "validation" and results["validation_fraction"] == 0.2
        assert {c["seed"] for c in results["cells"]} == {0}
    assert summary["validation_fraction"] == 0.2


def test_only_the_selected_row_has_test_numbers(sweep):
    _, folder, summary = sweep
    best, *others = summary["rows"]
    assert summary["selected"] == best and all(r["test"] is None for r in others)
    assert best["test"]["seeds"] == 2 and 0 <= best["test"]["acc"][0] <= 1
    selected = json.loads((folder / "selected" / "results.json").read_text())
    assert selected["evaluated_on"] == "test" and selected["validation_fraction"] == 0.2
    cells = selected["cells"]
    assert {(c["activation"], c["seed"]) for c in cells} == {
        (best["activation"], 0),
        (best["activation"], 1),
    }
    table = (folder / "sweep.md").read_text().splitlines()
    rows = [line for line in table if line.startswith("| ") and line[2].isdigit()]
    assert not rows[0].endswith("|  |") and all(r.endswith("|  |") for r in rows[1:])


def test_the_command_reproduces_the_test_numbers(sweep, tmp_path, capsys):
    _, folder, summary = sweep
    command = shlex.split(summary["selected"]["command"])
    assert command[:2] == ["forgetless", "compare"]
    assert "scenario.evaluate_on=validation" not in command
    code = main([*command[1:], f"output_dir={tmp_path}", "run_name=again"])
    assert code == 0, capsys.readouterr().err
    again = json.loads((tmp_path / "again" / "results.json").read_text())
    first = json.loads((folder / "selected" / "results.json").read_text())
    assert [c["accuracy_matrix"] for c in again["cells"]] == [
        c["accuracy_matrix"] for c in first["cells"]
    ]


def test_the_same_sweep_again_reuses_its_points(sweep):
    spec, folder, summary = sweep
    stamps = {p: p.stat().st_mtime_ns for p in folder.glob("*/**/results.json")}
    assert run_sweep(spec, echo=lambda _: None) == folder
    assert {p: p.stat().st_mtime_ns for p in folder.glob("*/**/results.json")} == stamps
    again = json.loads((folder / "sweep.json").read_text())
    assert again["rows"] == summary["rows"]


def test_an_interrupted_point_is_resumed(sweep):
    """A point killed after one of its cells: the same sweep again runs only the missing cell."""
    spec, folder, summary = sweep
    point = folder / "points" / "point_001"
    (point / "results.json").unlink()
    (point / "cells" / "backprop__relu__naive__seed0.json").unlink()
    kept = (point / "cells" / "backprop__elephant__naive__seed0.json").stat().st_mtime_ns
    run_sweep(spec, echo=lambda _: None)
    assert (point / "cells" / "backprop__elephant__naive__seed0.json").stat().st_mtime_ns == kept
    assert json.loads((folder / "sweep.json").read_text())["rows"] == summary["rows"]


def test_points_in_worker_processes_give_the_same_table(sweep, tmp_path):
    """launcher.jobs=2 with two points: one worker process per point, the same numbers."""
    spec, _, summary = sweep
    parallel = SweepSpec(
        (*BASE, f"output_dir={tmp_path}", "launcher.jobs=2"),
        spec.grid,
        select_seeds=spec.select_seeds,
        seeds=spec.seeds,
    )
    folder = run_sweep(parallel, echo=lambda _: None)
    rows = json.loads((folder / "sweep.json").read_text())["rows"]
    assert [r["validation"] for r in rows] == [r["validation"] for r in summary["rows"]]
    assert rows[0]["test"]["acc"] == summary["selected"]["test"]["acc"]
