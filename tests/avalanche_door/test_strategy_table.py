"""The door builds every entry of the strategy table: its class, its parameters over the
defaults, its plugin after the caller's (Avalanche adds its evaluator and clock behind them)."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from forgetless.avalanche.cl_strategies import build_cl_strategy, strategy_plugins
from forgetless.avalanche.replay_plugin import QuietReplayPlugin
from forgetless.resolve import resolve
from forgetless.strategy_specs import STRATEGIES


class _Mine:
    """A caller's plugin that does nothing."""


def _build(name: str, **params):
    model = nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    return build_cl_strategy(
        name,
        model,
        optimizer,
        train_mb_size=2,
        train_epochs=1,
        eval_mb_size=2,
        plugins=[_Mine()],
        **params,
    )


def _after_mine(strategy) -> list[type]:
    types = [type(p) for p in strategy.plugins]
    return types[types.index(_Mine) + 1 :]


@pytest.mark.parametrize(
    "name", [n for n, s in STRATEGIES.items() if not s.refusal and s.builder is None]
)
def test_every_entry_builds_its_class_with_its_plugin_last(name):
    """(Entries with a ``builder`` need forgetless's models: tests/strategies.)"""
    spec = STRATEGIES[name]
    strategy = _build(name)
    assert type(strategy) is resolve(spec.avalanche_class)
    if spec.plugin is not None:
        assert _after_mine(strategy)[0] is resolve(spec.plugin)
    else:
        assert QuietReplayPlugin not in _after_mine(strategy)


def test_parameters_reach_the_class_and_the_plugin():
    (ewc,) = [p for p in _build("ewc", ewc_lambda=5.0).plugins if type(p).__name__ == "EWCPlugin"]
    assert ewc.ewc_lambda == 5.0
    (lwf,) = [p for p in _build("lwf", temperature=3.0).plugins if type(p).__name__ == "LwFPlugin"]
    assert lwf.lwf.temperature == 3.0
    (replay,) = [p for p in _build("replay", mem_size=7).plugins if type(p) is QuietReplayPlugin]
    assert replay.mem_size == 7


def test_a_local_rule_gets_only_the_entry_plugins():
    assert strategy_plugins("naive", {}) == []
    (plugin,) = strategy_plugins("replay", {"mem_size": 3})
    assert isinstance(plugin, QuietReplayPlugin) and plugin.mem_size == 3
    with pytest.raises(ValueError, match=r"^strategy_params\.replay\.mem_size: "):
        strategy_plugins("replay", {"mem_size": 0})
