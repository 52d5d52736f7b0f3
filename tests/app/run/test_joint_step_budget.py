"""The joint cell's step budget (``references.joint_steps``): cumulative training's steps or one
sequential run's, counted as optimizer steps."""

import math

import pytest
import torch
from grid_helpers import TINY

from forgetless.app.configs import ConfigError, load_config, validate
from forgetless.app.run.cell import Cell, run_cell
from forgetless.app.run.joint_cell import joint_steps
from forgetless.app.run.scenario_builder import build_scenario

BATCH = 300
SMALL = [*TINY, "references.joint=true", f"train.batch_size={BATCH}", "train.epochs=1"]


def test_joint_steps_formula():
    assert joint_steps("stream", [100, 50, 70], 32, 2) == 2 * math.ceil(220 / 32)  # 14
    assert joint_steps("cumulative", [100, 50, 70], 32, 2) == 2 * (4 + 5 + 7)
    with pytest.raises(ValueError, match="references.joint_steps"):
        joint_steps("double", [100], 32, 1)


@pytest.mark.parametrize("budget", ["cumulative", "stream"])
def test_joint_cell_takes_the_budget_in_optimizer_steps(budget, monkeypatch):
    cfg = load_config([*SMALL, f"references.joint_steps={budget}"])
    validate(cfg)
    scenario = build_scenario(cfg.scenario, 0)
    sizes = [len(experience) for experience in scenario.train]
    union = math.ceil(sum(sizes) / BATCH)
    expected = {
        "stream": union,
        "cumulative": math.ceil(sizes[0] / BATCH) + union,
    }[budget]
    if budget == "cumulative":  # two epochs of the union, the second stopped after a part
        assert union < expected < 2 * union
    steps = []
    sgd_step = torch.optim.SGD.step
    monkeypatch.setattr(
        torch.optim.SGD, "step", lambda self, *a, **k: steps.append(1) or sgd_step(self, *a, **k)
    )
    record = run_cell(cfg, Cell("relu", "backprop", "joint", 0), scenario)
    assert len(steps) == expected == record["joint_steps"]
    assert record["acc"] > 0.6


def test_joint_steps_refused_names_the_key():
    with pytest.raises(ConfigError, match=r"^references.joint_steps: expected one of") as error:
        validate(load_config(["references.joint_steps=double"]))
    assert "\n" not in str(error.value)
