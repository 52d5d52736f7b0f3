"""Structured configs and presets for ``forgetless compare``."""

from forgetless.configs.load import ConfigError, available_presets, load_config
from forgetless.configs.schema import CompareConfig
from forgetless.configs.validate import validate

__all__ = ["CompareConfig", "ConfigError", "available_presets", "load_config", "validate"]
