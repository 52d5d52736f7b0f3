"""scenario.task_incremental=true is really task-incremental; class-IL runs also report task-IL
accuracy; every record carries its activation's resolved parameters."""

import json

import pytest
from grid_helpers import TINY

from forgetless.activations.resolved import activation_record
from forgetless.app.configs import load_config
from forgetless.app.run.cell import section_params
from forgetless.app.run.compare import run_compare
from forgetless.avalanche import task_mask_plugins
from forgetless.report import aggregate, format_table, write_summary

FIVE_TASKS = [*TINY[1:], "scenario.n_experiences=5", "activations=[relu]", "seeds=[0]"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    found = {}
    for flag in ("false", "true"):
        cfg = load_config(
            [f"output_dir={out}", f"run_name=ti_{flag}", f"scenario.task_incremental={flag}"]
            + FIVE_TASKS
        )
        folder = run_compare(cfg, echo=lambda _: None)
        (cell,) = json.loads((folder / "results.json").read_text())["cells"]
        found[flag] = (folder, cell)
    return found


def test_the_two_settings_differ_and_task_il_beats_two_class_chance(runs):
    (_, class_il), (folder, task_il) = runs["false"], runs["true"]
    assert class_il["error"] is None and task_il["error"] is None
    assert class_il["accuracy_matrix"] != task_il["accuracy_matrix"]
    assert class_il["acc"] < 0.5 < task_il["acc"]  # one head forgets; masked heads do not
    # in a task-incremental run the matrix is the masked one: its two matrices agree
    assert task_il["accuracy_matrix"] == task_il["accuracy_matrix_task"]
    assert "task-incremental" in (folder / "summary.md").read_text().splitlines()[0]
    assert "task-incremental" not in (runs["false"][0] / "summary.md").read_text()[:200]


def test_a_class_il_run_also_reports_its_task_il_accuracy(runs):
    _, cell = runs["false"]
    R_task = cell["accuracy_matrix_task"]
    assert cell["acc_task"] == pytest.approx(sum(R_task[-1]) / 5)
    assert cell["acc_task"] > cell["acc"] + 0.2  # the same logits, masked, forget far less
    rows = aggregate([cell])
    assert f"| {cell['acc']:.3f} | {cell['acc_task']:.3f} |" in format_table(rows)
    assert cell["avg_incremental_acc"] > cell["acc"]  # early rows see fewer experiences


def test_rule_cells_are_refused_in_a_task_incremental_scenario(runs):
    from forgetless.app.run.scenario_builder import build_scenarios

    cfg = load_config([*FIVE_TASKS, "scenario.task_incremental=true"])
    scenario = build_scenarios(cfg.scenario, [0])[0]
    with pytest.raises(ValueError, match="scenario.task_incremental: rule 'forward_forward'"):
        task_mask_plugins(scenario, "forward_forward")
    assert len(task_mask_plugins(scenario, "backprop")) == 1


def _record_under(overrides: list[str]) -> dict:
    """hard_ash's record entries under a config with ``overrides`` (as run_cell builds them)."""
    params = section_params(load_config(overrides).activation_params, "hard_ash")
    return activation_record("hard_ash", **params)


def test_records_carry_resolved_activation_parameters_and_the_paper_mark(runs, tmp_path):
    _, relu = runs["false"]
    assert relu["activation_params"] == {} and relu["activation_paper_differences"] == {}
    registry = _record_under([])
    assert registry["activation_params"] == {
        "alpha": 3.0,
        "z_k": 0.0,
        "stat_dims": None,
        "input_norm": True,
    }
    assert registry["activation_paper_differences"] == {
        "z_k": [0.0, 2.3],
        "input_norm": [True, False],
    }
    paper = _record_under(
        ["activation_params.hard_ash.z_k=2.3", "activation_params.hard_ash.input_norm=false"]
    )
    assert paper["activation_params"]["z_k"] == 2.3 and paper["activation_paper_differences"] == {}
    marked = aggregate([{**relu, "activation": "hard_ash", **registry}])
    plain = aggregate([{**relu, "activation": "hard_ash", **paper}])
    assert "| hard_ash† |" in format_table(marked) and "| hard_ash |" in format_table(plain)
    write_summary(tmp_path / "summary.md", marked, "t", [])
    assert (
        "hard_ash†: z_k 0.0 (paper 2.3), input_norm True (paper False)"
        in (tmp_path / "summary.md").read_text()
    )
