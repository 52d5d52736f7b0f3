"""forgetless.strategies."""
