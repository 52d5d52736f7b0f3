"""Structured configs and presets for ``forgetless compare``."""

from forgetless.app.configs.load import ConfigError, available_presets, load_config
from forgetless.app.configs.schema import CompareConfig
from forgetless.app.configs.validate import validate

__all__ = ["CompareConfig", "ConfigError", "available_presets", "load_config", "validate"]
