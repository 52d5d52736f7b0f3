"""forgetless.activations."""
