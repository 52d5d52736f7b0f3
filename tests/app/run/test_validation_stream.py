"""``scenario.validation_fraction`` / ``scenario.evaluate_on`` in compare (issue 18): the held-out
split never trains, the report says which stream was measured, f = 0 is today's scenario, and
bad values are refused in one line naming the key before anything is written."""

from __future__ import annotations

import json

import pytest
import torch
from grid_helpers import TINY as GRID_TINY

from forgetless.app.cli import main
from forgetless.app.configs import load_config
from forgetless.app.run.compare import run_compare
from forgetless.app.run.scenario_builder import build_scenario
from forgetless.scenarios import split_mnist

TINY = [*GRID_TINY, "activations=[relu]"]


def _run(tmp_path, name: str, *overrides: str) -> tuple[dict, str]:
    cfg = load_config([*TINY, f"output_dir={tmp_path}", f"run_name={name}", *overrides])
    folder = run_compare(cfg, echo=lambda _: None)
    return json.loads((folder / "results.json").read_text()), (folder / "summary.md").read_text()


def test_fraction_zero_builds_todays_scenario():
    cfg = load_config(["scenario.seed=2"])
    built, before = build_scenario(cfg.scenario, 1), split_mnist(5, seed=3)
    assert built.validation is None and built.evaluated_on == "test"
    for new, old in zip([*built.train, *built.test], [*before.train, *before.test], strict=True):
        assert torch.equal(new.rows, old.rows) and torch.equal(new.targets, old.targets)


def test_training_never_sees_the_validation_split():
    cfg = load_config(["scenario.validation_fraction=0.2", "scenario.evaluate_on=validation"])
    built = build_scenario(cfg.scenario, 0)
    assert built.test is built.validation and built.evaluated_on == "validation"
    for train, validation in zip(built.train, built.validation, strict=True):
        assert set(train.rows.tolist()).isdisjoint(validation.rows.tolist())


@pytest.fixture(scope="module")
def both_streams(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    held = "scenario.validation_fraction=0.2"
    return (
        _run(out, "test", held),
        _run(out, "validation", held, "scenario.evaluate_on=validation"),
    )


def test_results_and_summary_name_the_stream(both_streams):
    (test, test_md), (validation, validation_md) = both_streams
    assert test["evaluated_on"] == "test" and validation["evaluated_on"] == "validation"
    assert validation["validation_fraction"] == test["validation_fraction"] == 0.2
    assert [c["evaluated_on"] for c in validation["cells"]] == ["validation"]
    assert [c["evaluated_on"] for c in test["cells"]] == ["test"]
    assert "VALIDATION stream" in validation_md and "NOT test numbers" in validation_md
    assert "test stream" in test_md and "VALIDATION" not in test_md


def test_same_training_other_data_measured(both_streams):
    """Same seed, same training data: the runs differ only in what R is measured on."""
    (test, _), (validation, _) = both_streams
    r_test, r_val = test["cells"][0]["accuracy_matrix"], validation["cells"][0]["accuracy_matrix"]
    assert r_test != r_val
    cfg = load_config([*TINY, "scenario.validation_fraction=0.2"])
    built = build_scenario(cfg.scenario, 0)
    n_val, n_test = len(built.validation[0]), len(built.test[0])  # 400 and 500 images
    assert n_val != n_test and len(built.validation[1]) == n_val and len(built.test[1]) == n_test

    def counts(n: int, matrix: list[list[float]]) -> bool:  # every entry is k / n
        return all(abs(v * n - round(v * n)) < 1e-6 for row in matrix for v in row)

    assert counts(n_val, r_val) and not counts(n_val, r_test) and counts(n_test, r_test)


@pytest.mark.parametrize(
    "overrides, start",
    [
        (["scenario.validation_fraction=0.5"], "scenario.validation_fraction: expected"),
        (["scenario.validation_fraction=-0.1"], "scenario.validation_fraction: expected"),
        (["scenario.evaluate_on=validation"], "scenario.evaluate_on: 'validation' needs"),
        (["scenario.evaluate_on=train"], "scenario.evaluate_on: expected one of"),
    ],
)
def test_refusals(tmp_path, capsys, overrides, start):
    code = main(["compare", f"output_dir={tmp_path / 'runs'}", *TINY, *overrides])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith(f"forgetless: error: {start}"), err
    assert not (tmp_path / "runs").exists()
