"""forgetless.metrics."""
