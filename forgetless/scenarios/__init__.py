"""forgetless.scenarios."""
