"""forgetless.configs."""
