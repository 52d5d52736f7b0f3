"""forgetless.strategies."""

from forgetless.strategies.rule_strategy import RuleStrategy

__all__ = ["RuleStrategy"]
