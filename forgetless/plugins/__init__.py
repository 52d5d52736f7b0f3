"""forgetless.plugins."""
