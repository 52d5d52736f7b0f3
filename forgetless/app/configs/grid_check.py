"""The refusals of grid cells that could not run, in one place: validation calls them for the
whole grid before anything runs, :func:`forgetless.app.run.cell.build_strategy` for one cell.

What each strategy allows comes from :data:`forgetless.strategy_specs.STRATEGIES`.
"""

from __future__ import annotations

from collections.abc import Sequence

from forgetless.app.configs.load import ConfigError
from forgetless.strategy_specs import STRATEGIES, strategies_where


def check_rule_cells(rules: Sequence[str], strategies: Sequence[str], model_kind: str) -> None:
    """Local rules (every rule but backprop) take neither a loss-penalty strategy nor a model
    other than their own MLP.

    Args:
        rules: the grid's rules.
        strategies: the grid's strategies.
        model_kind: ``model.kind``.

    Raises:
        ConfigError: naming ``strategies`` or ``model.kind``.
    """
    local = [rule for rule in rules if rule != "backprop"]
    if not local:
        return
    penalty_names = strategies_where("loss_penalty")
    penalties = [s for s in strategies if s in penalty_names]
    if penalties:
        raise ConfigError(
            f"strategies: {penalties} add a penalty to the backprop loss, which rules {local} do "
            "not use; pair those rules with naive or replay (or run them in another compare)"
        )
    own_class = [s for s in strategies if not STRATEGIES[s].rule_ok]
    if own_class:
        raise ConfigError(
            f"strategies: {own_class} are their own Avalanche strategy classes, which rules "
            f"{local} (trained by RuleStrategy) do not run; pair those rules with "
            f"{strategies_where('rule_ok')} (or run them in another compare)"
        )
    if model_kind != "mlp":
        raise ConfigError(f"model.kind: rules {local} build their own MLP; expected 'mlp'")


def check_strategy_cells(strategies: Sequence[str]) -> None:
    """Every strategy of the grid can run here (its entry has no ``refusal``).

    Raises:
        ConfigError: naming ``strategies``, the strategy and its entry's reason.
    """
    for name in strategies:
        if STRATEGIES[name].refusal:
            raise ConfigError(f"strategies: {name} cannot run here: {STRATEGIES[name].refusal}")
