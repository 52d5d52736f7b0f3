"""The grid refusals live in one place: validation refuses the grid, a cell built without
validation is refused by the same function with the same message."""

from __future__ import annotations

import pytest

from forgetless.app.configs import ConfigError, load_config, validate
from forgetless.app.configs.grid_check import check_rule_cells

PENALTY = (
    r"^strategies: \['ewc'\] add a penalty to the backprop loss, which rules \['mono_forward'\] "
    r"do not use; pair those rules with naive or replay \(or run them in another compare\)$"
)


def test_backprop_takes_every_strategy_and_model():
    check_rule_cells(["backprop"], ["naive", "ewc", "si", "lwf", "replay"], "cnn")


def test_local_rules_take_naive_and_replay_on_their_mlp():
    check_rule_cells(["backprop", "mono_forward"], ["naive", "replay"], "mlp")


def test_a_loss_penalty_with_a_local_rule_is_refused():
    with pytest.raises(ConfigError, match=PENALTY):
        check_rule_cells(["backprop", "mono_forward"], ["naive", "ewc"], "mlp")


def test_a_local_rule_on_another_model_is_refused():
    with pytest.raises(ConfigError, match=r"^model\.kind: rules \['noprop'\] build their own MLP"):
        check_rule_cells(["noprop"], ["naive"], "cnn")


def test_validation_refuses_the_grid_with_the_same_message():
    cfg = load_config(["rules=[backprop,mono_forward]", "strategies=[naive,ewc]"])
    with pytest.raises(ConfigError, match=PENALTY):
        validate(cfg)
