"""forgetless.rules."""
