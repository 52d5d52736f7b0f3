import json

import pytest

from forgetless.app.configs import load_config, validate
from forgetless.app.run.cell import Cell, build_strategy
from forgetless.app.run.compare import run_compare
from forgetless.scenarios import split_mnist

RULES = ("backprop", "forward_forward", "collaborative_ff", "mono_forward", "noprop")


def test_every_rule_runs_as_a_compare_cell(tmp_path):
    cfg = load_config(
        [
            "preset=rules_split_mnist",
            f"output_dir={tmp_path}",
            "run_name=rules",
            f"rules=[{','.join(RULES)}]",
            "scenario.n_experiences=2",
            "model.hidden=[32,32]",
            "rule_params.noprop.T=3",
            "progress=false",
            "references.joint=false",  # no reference rows here: tests/app/run/test_compare_references.py
            "references.heads=[]",
            # one epoch each (the recipes train for many more; that is measured in docs/recipes.md)
            *(f"rule_train.{rule}.epochs=1" for rule in RULES),
        ]
    )
    validate(cfg)
    lines = []
    data = json.loads((run_compare(cfg, echo=lines.append) / "results.json").read_text())
    cells = {c["rule"]: c for c in data["cells"]}
    assert sorted(cells) == sorted(RULES)
    for rule, cell in cells.items():
        assert cell["error"] is None, (rule, cell["error"])
        assert cell["training"]["epochs"] == 1
        R = cell["accuracy_matrix"]
        assert all(0.0 <= v <= 1.0 for row in R for v in row)
    # one short pass is enough for these to learn their first experience (5 classes, chance 0.2);
    # Forward-Forward needs many epochs (its learning is tested in tests/rules)
    for rule in ("backprop", "mono_forward", "noprop"):
        assert cells[rule]["accuracy_matrix"][0][0] > 0.4, (rule, cells[rule]["accuracy_matrix"])
    assert "| Rule | Activation | Strategy |" in next(
        line for line in lines if line.startswith("| ")
    )


@pytest.mark.parametrize("strategy", ["ewc", "si", "lwf"])
def test_loss_penalty_strategies_are_refused_for_local_rules(strategy):
    cfg = load_config(["preset=rules_split_mnist", "model.hidden=[8,8]"])
    scenario = split_mnist(n_experiences=2, source="embedded")
    with pytest.raises(ValueError, match="pair those rules with naive or replay"):
        build_strategy(cfg, Cell("relu", "mono_forward", strategy, 0), scenario, "cpu", [])
